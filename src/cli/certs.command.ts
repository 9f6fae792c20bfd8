/**
 * `mock-mimecast certs --ca [--dir data/tls]`: the local CA and the HTTPS server certificate that let
 * `start --tls` answer at https://<region>-api.mimecast.com, and how to trust the CA.
 */
import { relative } from 'node:path';
import { ensureTlsMaterial, type TlsMaterial } from '../runtime/tls.js';

/** Shows a path relative to the working directory when it is inside it, as a person would type it. */
function showPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

/** The lines `certs --ca` prints: what was written, then how to trust the CA on each system. */
export function describeTlsMaterial(material: TlsMaterial): string[] {
  const { paths } = material;
  const ca = showPath(paths.caCert);
  const winCa = ca.replaceAll('/', '\\');
  return [
    `local CA            ${ca}  (${material.created.ca ? 'new: trust it as below' : 'kept: machines that trust it need nothing new'})`,
    `CA key              ${showPath(paths.caKey)}  (mode 0600; anyone holding it can impersonate any site to machines that trust the CA)`,
    `server certificate  ${showPath(paths.cert)}  (${material.created.server ? 'issued' : 'kept'}, valid until ${material.serverNotAfter})`,
    `server key          ${showPath(paths.key)}  (mode 0600)`,
    `names               ${material.hosts.join(', ')}`,
    '',
    'Trust the CA once on every machine whose browser will reach the harness:',
    `  Debian/Ubuntu  sudo cp ${ca} /usr/local/share/ca-certificates/mock-mimecast-ca.crt && sudo update-ca-certificates`,
    `                 (Chrome/Chromium on Linux: certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n mock-mimecast -i ${ca})`,
    `  macOS          sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${ca}`,
    `  Windows        certutil -addstore -f Root ${winCa}   (or certmgr.msc › Trusted Root Certification Authorities › Certificates › Import)`,
    '  Firefox        Settings › Privacy & Security › Certificates › View Certificates › Authorities › Import',
    `  Node.js        NODE_EXTRA_CA_CERTS=${ca}`,
    '',
    `Then: mock-mimecast start --tls --tls-dir ${showPath(paths.dir)}`,
    'Remove the CA from the trust store when the rehearsal is over.',
  ];
}

/**
 * Creates the CA when the folder has none (an existing CA is kept, so the trust already installed stays
 * valid) and always issues a fresh server certificate. Returns the lines to print.
 */
export async function runCertsCommand(options: { dir: string }): Promise<string[]> {
  const material = await ensureTlsMaterial(options.dir, { renewServer: true });
  return describeTlsMaterial(material);
}
