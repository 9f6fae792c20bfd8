/**
 * Other SAML service-provider libraries validating the same Entra-shaped responses as the baseline,
 * each configured offline with the mock Entra's signing certificates (no metadata fetch), so the run
 * shows where node-saml, and the harness's ACS beside it, stand among the libraries a team would
 * otherwise reach for. Each peer verifies the assertion signature and its own conditions checks.
 */
import { createRequire } from 'node:module';
import type { InProcessSp } from './in-process-sp.js';

/** One library's validation of a base64 SAMLResponse; rejects when the library refuses it. */
export interface PeerValidator {
  name: string;
  validate(samlResponse: string): Promise<unknown>;
}

const require = createRequire(import.meta.url);

/**
 * samlify, with the IdP's certificates given directly. samlify wants an XML schema validator plugged
 * in before it validates anything; none of the published ones works offline without a JVM or a native
 * build, so the bench plugs in one that accepts every document: samlify then still parses, verifies the
 * signature and checks issuer, audience and time, but does no XSD validation (which costs it extra).
 */
export async function createSamlifyPeer(sp: InProcessSp): Promise<PeerValidator> {
  const samlify = (await import('samlify')) as typeof import('samlify');
  samlify.setSchemaValidator({ validate: async () => 'skipped' });
  const issuer = sp.harness.sp.ctx ? (await sp.harness.sp.stores.profiles.get('CUK12A34'))?.issuerUrl : undefined;
  if (!issuer) throw new Error('the seeded profile has no issuer');
  const idp = samlify.IdentityProvider({
    entityID: issuer,
    signingCert: sp.certificates[0] ?? '',
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${issuer}saml2` }],
    wantAuthnRequestsSigned: false,
  });
  const serviceProvider = samlify.ServiceProvider({
    entityID: sp.target.audience,
    assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: sp.target.acsUrl }],
    wantAssertionsSigned: true,
    clockDrifts: [-sp.ctx.settings.clockSkewMs, sp.ctx.settings.clockSkewMs],
  });
  return { name: 'samlify', validate: (SAMLResponse) => serviceProvider.parseLoginResponse(idp, 'post', { body: { SAMLResponse } }) };
}

interface Saml2Sp {
  post_assert(idp: unknown, options: Record<string, unknown>, cb: (error: Error | null, response?: unknown) => void): void;
}

/**
 * saml2-js, with the IdP's certificates given directly and unencrypted assertions allowed (Entra does
 * not encrypt by default). It checks the signature, the audience and the time conditions.
 */
export function createSaml2JsPeer(sp: InProcessSp): PeerValidator {
  const saml2 = require('saml2-js') as {
    ServiceProvider: new (options: Record<string, unknown>) => Saml2Sp;
    IdentityProvider: new (options: Record<string, unknown>) => unknown;
  };
  const keys = sp.ctx.keys;
  const serviceProvider = new saml2.ServiceProvider({
    entity_id: sp.target.audience,
    private_key: keys.encryptionKey,
    certificate: keys.encryptionCert,
    assert_endpoint: sp.target.acsUrl,
    allow_unencrypted_assertion: true,
    audience: sp.target.audience,
  });
  const idp = new saml2.IdentityProvider({
    sso_login_url: `${sp.target.acsUrl}/unused`,
    sso_logout_url: `${sp.target.acsUrl}/unused`,
    certificates: sp.certificates,
  });
  return {
    name: 'saml2-js',
    validate: (SAMLResponse) =>
      new Promise((resolve, reject) => {
        serviceProvider.post_assert(idp, { request_body: { SAMLResponse }, allow_unencrypted_assertion: true }, (error, response) =>
          error ? reject(error) : resolve(response),
        );
      }),
  };
}

/** Every peer that can be built here; a peer that fails to build is reported with why. */
export async function createPeers(sp: InProcessSp): Promise<{ peers: PeerValidator[]; unavailable: { name: string; reason: string }[] }> {
  const peers: PeerValidator[] = [];
  const unavailable: { name: string; reason: string }[] = [];
  for (const [name, build] of [
    ['samlify', () => createSamlifyPeer(sp)],
    ['saml2-js', async () => createSaml2JsPeer(sp)],
  ] as const) {
    try {
      peers.push(await build());
    } catch (error) {
      unavailable.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { peers, unavailable };
}
