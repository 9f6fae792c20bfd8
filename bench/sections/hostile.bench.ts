/**
 * Section 6: hostile input. The worst time per request over heavy input shapes, at the default size
 * and shape limits, for three surfaces: the SP's ACS core (consumeSamlResponse), the console's
 * metadata import from pasted XML (importProfileMetadata) and the mock Entra's AuthnRequest parsing
 * and judging (readSamlRequest then beginSpInitiatedSignIn). Every input is built before any timing;
 * each shape runs once untimed, then a bounded number of timed runs, one after another.
 */
import { randomBytes } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { DEFAULT_MAX_REQUEST_BYTES, type RequestBinding, readSamlRequest } from '../../src/core/idp/authn-request.js';
import { buildEntraResponse, type EntraResponseInput } from '../../src/core/idp/response-builder.js';
import { beginSpInitiatedSignIn, resolveTenant } from '../../src/core/idp/sso.js';
import { randomIds } from '../../src/core/ids.js';
import { decodePostBinding, decodeRedirectBinding, encodePostBinding, encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { buildEntraIssuer, NS } from '../../src/core/saml/constants.js';
import { DEFAULT_MAX_XML_BYTES } from '../../src/core/saml/xml.js';
import { DEFAULT_METADATA_XML_LIMITS, DEFAULT_XML_LIMITS } from '../../src/core/saml/xml-limit-defaults.js';
import { consumeSamlResponse } from '../../src/core/sp/acs.js';
import { importProfileMetadata } from '../../src/core/sp/profile-import.js';
import { startSpInitiatedSignIn } from '../../src/core/sp/sign-in.js';
import { readKeyPair } from '../../src/runtime/keys.js';
import { startInProcessSp } from '../lib/in-process-sp.js';
import type { HostileRow, HostileSection, HostileSurface } from '../lib/report-types.js';
import { computeMedian, roundTo } from '../lib/stats.js';

export interface HostileOptions {
  /** Timed runs per shape, after one untimed run. */
  runs: number;
  log(line: string): void;
}

const EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const ACCOUNT = 'CUK12A34';

/** Elements in a document, counted as start tags (comments and declarations aside). */
function countElements(xml: string): number {
  return (xml.match(/<[A-Za-z_]/g) ?? []).length;
}

/** `levels` nested elements <j>…</j>, with `inner` at the bottom. */
function nested(levels: number, inner = ''): string {
  return `${'<j>'.repeat(levels)}${inner}${'</j>'.repeat(levels)}`;
}

/** `count` empty elements, grouped under <g> parents of at most `perParent` children each. */
function wide(count: number, perParent: number): string {
  const out: string[] = [];
  for (let left = count; left > 0; ) {
    const n = Math.min(perParent, left - 1);
    if (n <= 0) {
      out.push('<j/>');
      break;
    }
    out.push(`<g>${'<j/>'.repeat(n)}</g>`);
    left -= n + 1;
  }
  return out.join('');
}

/** `elements` empty elements carrying `perElement` attributes each. */
function manyAttributes(elements: number, perElement: number): string {
  const attrs = Array.from({ length: perElement }, (_, i) => ` a${i}="v"`).join('');
  return `<j${attrs}/>`.repeat(elements);
}

/** The e-mail shape that makes a backtracking e-mail pattern go quadratic or worse. */
function redosEmail(totalChars: number): string {
  return `a@${'a.'.repeat(Math.max(1, Math.floor((totalChars - 3) / 2)))}!`;
}

/** Builds DOM children from a fragment of markup (parsed in the assertion namespace). */
function appendMarkup(doc: Document, parent: Element, markup: string): void {
  // xmldom has no innerHTML: parse the fragment in a wrapper and import its children.
  const fragment = new DOMParser().parseFromString(`<w xmlns="${NS.saml}">${markup}</w>`, 'text/xml');
  for (let child = fragment.documentElement.firstChild; child; child = child.nextSibling) parent.appendChild(doc.importNode(child, true));
}

/** The first saml:AttributeValue of the document: xs:anyType, so anything may go inside. */
function firstAttributeValue(doc: Document): Element {
  const el = doc.getElementsByTagNameNS(NS.saml, 'AttributeValue')[0];
  if (!el) throw new Error('the response has no AttributeValue');
  return el;
}

/** Inserts markup just after the first match of `after` (a literal), or throws. */
function insertAfter(xml: string, after: RegExp, markup: string): string {
  const m = after.exec(xml);
  if (!m) throw new Error(`no ${after} in the document`);
  return xml.slice(0, m.index + m[0].length) + markup + xml.slice(m.index + m[0].length);
}

interface Shape<T> {
  surface: HostileSurface;
  shape: string;
  /** One input per run (the ACS refuses a replayed assertion, so every run gets its own). */
  inputs: T[];
  xmlBytes: number;
  sentBytes: number;
}

/** Runs each input once (first untimed), returning the outcome of the last and every time in ms. */
async function timeShape<T>(shape: Shape<T>, run: (input: T) => Promise<string>): Promise<HostileRow> {
  const [first, ...timed] = shape.inputs;
  if (first === undefined) throw new Error(`${shape.shape}: no inputs`);
  const outcomes = new Set<string>();
  outcomes.add(await run(first));
  const times: number[] = [];
  for (const input of timed) {
    const t0 = performance.now();
    const outcome = await run(input);
    times.push(performance.now() - t0);
    outcomes.add(outcome);
  }
  return {
    surface: shape.surface,
    shape: shape.shape,
    xmlBytes: shape.xmlBytes,
    sentBytes: shape.sentBytes,
    outcome: [...outcomes].join(' / '),
    runs: times.length,
    medianMs: roundTo(computeMedian(times), 2),
    worstMs: roundTo(Math.max(...times), 2),
  };
}

/** The code an error carries (AppError, XmlSafetyError), else its name. */
function describeThrown(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string')
    return `refused ${(error as { code: string }).code}`;
  return `threw ${error instanceof Error ? error.name : String(error)}`;
}

export async function runHostileBench(options: HostileOptions): Promise<HostileSection> {
  const count = options.runs + 1;
  const sp = await startInProcessSp();
  try {
    const rows: HostileRow[] = [];
    const idp = sp.harness.idp;
    const seeded = sp.harness.walkthrough.idp;
    if (!idp || !seeded) throw new Error('the in-process harness has no mock Entra');

    // ---- ACS ----
    const signing = readKeyPair('idp-signing-1');
    const base = (): EntraResponseInput => ({
      tenantId: sp.target.tenantId,
      issuer: buildEntraIssuer(sp.target.tenantId),
      destination: sp.target.acsUrl,
      audience: sp.target.audience,
      issueInstant: new Date(),
      ids: { responseId: randomIds.samlId(), assertionId: randomIds.samlId() },
      user: {
        userPrincipalName: sp.target.email,
        mail: sp.target.email,
        objectId: '8c1e6f4a-3b2d-4e5f-9a0b-1c2d3e4f5a6b',
        displayName: 'B.Simon',
      },
      signing: { key: signing.key, cert: signing.cert, option: 'assertion', algorithm: 'sha256' },
    });
    const build = (edit: (input: EntraResponseInput) => EntraResponseInput = (i) => i, after: (xml: string) => string = (x) => x): string =>
      after(buildEntraResponse(edit(base())).xml);
    const genuine = build();
    const genuineElements = countElements(genuine);
    const maxBytes = sp.ctx.settings.maxSamlBytes;
    const room = maxBytes - Buffer.byteLength(genuine) - 512;
    const L = DEFAULT_XML_LIMITS;
    // Depth of the first AttributeValue (Response > Assertion > AttributeStatement > Attribute > AttributeValue) and of SignedInfo (Response > Assertion > Signature > SignedInfo).
    const attributeValueDepth = 5;
    const signedInfoDepth = 4;
    const signature = /<(?:\w+:)?Signature\b[\s\S]*?<\/(?:\w+:)?Signature>/.exec(genuine)?.[0] ?? '';
    const perSignature = countElements(signature);
    const signatureCopies = Math.min(
      60,
      Math.floor((L.maxElements - genuineElements - 2) / perSignature),
      Math.floor(room / signature.length),
    );
    const junk = (bytes: number) => randomBytes(bytes).toString('base64');
    const encryptedData = (i: number) =>
      `<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element" Id="_d${i}"><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/><ds:KeyInfo xmlns:ds="${NS.ds}"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"/><xenc:CipherData><xenc:CipherValue>${junk(256)}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue>${junk(1024)}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>`;
    const perDecoy = countElements(encryptedData(0));
    const decoys = Math.min(Math.floor((L.maxElements - genuineElements - 2) / perDecoy), Math.floor(room / encryptedData(0).length));
    const assertionDecoys = Math.min(
      Math.floor((L.maxElements - genuineElements) / (perDecoy + 1)),
      Math.floor(room / (encryptedData(0).length + 60)),
    );
    const afterResponseIssuer = /<\/Issuer>/;
    const inAttributeValue =
      (markup: string) =>
      (input: EntraResponseInput): EntraResponseInput => ({
        ...input,
        beforeSign: (doc) => appendMarkup(doc, firstAttributeValue(doc), markup),
      });
    const withEmail =
      (value: string) =>
      (input: EntraResponseInput): EntraResponseInput => ({ ...input, extraClaims: [{ name: EMAIL_CLAIM, values: [value] }] });
    const acsShapes: { shape: string; make: () => string }[] = [
      { shape: 'genuine Entra response (reference)', make: () => build() },
      {
        shape: `deep: ${L.maxDepth} levels in SignedInfo (at the limit)`,
        make: () => build(undefined, (x) => insertAfter(x, /<(?:\w+:)?SignedInfo>/, nested(L.maxDepth - signedInfoDepth))),
      },
      {
        shape: 'deep: 30,000 levels in SignedInfo',
        make: () => build(undefined, (x) => insertAfter(x, /<(?:\w+:)?SignedInfo>/, nested(30_000))),
      },
      {
        shape: `deep: ${L.maxDepth} levels in the assertion (at the limit, signed)`,
        make: () => build(inAttributeValue(nested(L.maxDepth - attributeValueDepth, 'x'))),
      },
      {
        shape: 'deep: 30,000 levels in the assertion',
        make: () => build(undefined, (x) => insertAfter(x, /<AttributeValue>/, nested(30_000))),
      },
      {
        shape: `wide: ${L.maxElements - 10} elements (signed)`,
        make: () => build(inAttributeValue(wide(L.maxElements - 10 - genuineElements, L.maxChildren - 10))),
      },
      {
        shape: `wide: ${L.maxChildren - 1} children of one element (signed)`,
        make: () => build(inAttributeValue(`<g>${'<j/>'.repeat(L.maxChildren - 1)}</g>`)),
      },
      {
        shape: `wide: ${L.maxAttributes - 1} attributes per element, ~${L.maxTotalAttributes - 50} in all (signed)`,
        make: () =>
          build(inAttributeValue(manyAttributes(Math.floor((L.maxTotalAttributes - 50) / (L.maxAttributes - 1)), L.maxAttributes - 1))),
      },
      {
        shape: 'long NameID: a@a.a.…! near the size limit (signed)',
        make: () => build((i) => ({ ...i, nameId: { value: redosEmail(room) } })),
      },
      { shape: 'long attribute: e-mail claim a@a.a.…! near the size limit (signed)', make: () => build(withEmail(redosEmail(room))) },
      {
        shape: `${signatureCopies} ds:Signature copies in samlp:Extensions`,
        make: () =>
          build(undefined, (x) =>
            insertAfter(x, afterResponseIssuer, `<samlp:Extensions>${signature.repeat(signatureCopies)}</samlp:Extensions>`),
          ),
      },
      {
        shape: `${decoys} EncryptedData decoys in samlp:Extensions`,
        make: () =>
          build(undefined, (x) =>
            insertAfter(
              x,
              afterResponseIssuer,
              `<samlp:Extensions>${Array.from({ length: decoys }, (_, i) => encryptedData(i)).join('')}</samlp:Extensions>`,
            ),
          ),
      },
      {
        shape: `${assertionDecoys} EncryptedAssertion decoys beside the assertion`,
        make: () =>
          build(undefined, (x) =>
            x.replace(
              /<\/samlp:Response>$/,
              `${Array.from({ length: assertionDecoys }, (_, i) => `<EncryptedAssertion xmlns="${NS.saml}">${encryptedData(i)}</EncryptedAssertion>`).join('')}</samlp:Response>`,
            ),
          ),
      },
      {
        shape: 'junk SignatureValue over a big signed body',
        make: () =>
          build(withEmail(`${'x'.repeat(room)}@contoso.com`), (x) => x.replace(/(<(?:\w+:)?SignatureValue>)[^<]*/, `$1${junk(256)}`)),
      },
    ];
    options.log(`hostile: building ${acsShapes.length * count} responses (untimed)`);
    for (const { shape, make } of acsShapes) {
      const xmls = Array.from({ length: count }, make);
      const xml = xmls[0] as string;
      const inputs = xmls.map(encodePostBinding);
      rows.push(
        await timeShape(
          { surface: 'acs', shape, inputs, xmlBytes: Buffer.byteLength(xml), sentBytes: (inputs[0] as string).length },
          async (samlResponse) => {
            try {
              const outcome = await consumeSamlResponse(sp.ctx, { samlResponse, relayState: null });
              return outcome.ok ? 'accepted' : `refused ${outcome.trace.summary.firstFailure ?? '(no code)'}`;
            } catch (error) {
              return describeThrown(error);
            }
          },
        ),
      );
    }

    // ---- mock Entra: AuthnRequest ----
    const start = await startSpInitiatedSignIn(sp.ctx, { accountCode: ACCOUNT, relayState: null });
    const requestXml =
      start.kind === 'post'
        ? decodePostBinding(start.fields.SAMLRequest ?? '', 1 << 20)
        : decodeRedirectBinding(new URL(start.location).searchParams.get('SAMLRequest') ?? '', 1 << 20);
    const reqRoom = DEFAULT_MAX_REQUEST_BYTES - Buffer.byteLength(requestXml) - 256;
    const reqElements = countElements(requestXml);
    const afterRequestIssuer = /<\/saml:Issuer>/;
    const inExtensions = (markup: string) => insertAfter(requestXml, afterRequestIssuer, `<samlp:Extensions>${markup}</samlp:Extensions>`);
    const tenant = await resolveTenant(idp.ctx, seeded.tenantId);
    const requestShapes: { shape: string; xml: string; bindings: RequestBinding[] }[] = [
      { shape: 'genuine AuthnRequest from the SP (reference)', xml: requestXml, bindings: ['post', 'redirect'] },
      {
        shape: `deep: ${L.maxDepth} levels in samlp:Extensions (at the limit)`,
        xml: inExtensions(nested(L.maxDepth - 2)),
        bindings: ['post', 'redirect'],
      },
      {
        shape: `deep: ${Math.floor(reqRoom / 7).toLocaleString('en')} levels (size limit)`,
        xml: inExtensions(nested(Math.floor(reqRoom / 7))),
        bindings: ['post', 'redirect'],
      },
      {
        shape: `wide: ${L.maxElements - 10} elements`,
        xml: inExtensions(wide(L.maxElements - 11 - reqElements, L.maxChildren - 10)),
        bindings: ['post', 'redirect'],
      },
      {
        shape: `wide: ${L.maxAttributes - 1} attributes per element, ~${L.maxTotalAttributes - 50} in all`,
        xml: inExtensions(manyAttributes(Math.floor((L.maxTotalAttributes - 50) / (L.maxAttributes - 1)), L.maxAttributes - 1)),
        bindings: ['post', 'redirect'],
      },
      {
        shape: 'long Issuer: a@a.a.…! near the size limit',
        xml: requestXml.replace(/(<saml:Issuer[^>]*>)[^<]*/, `$1${redosEmail(reqRoom)}`),
        bindings: ['post', 'redirect'],
      },
      {
        shape: 'long ID attribute near the size limit',
        xml: requestXml.replace(/ ID="[^"]*"/, ` ID="_${'a'.repeat(reqRoom)}"`),
        bindings: ['post', 'redirect'],
      },
      {
        shape: 'deflate bomb: 20 MB of white space inside the request',
        xml: requestXml.replace(/<saml:Issuer/, `${' '.repeat(20 * 1024 * 1024)}<saml:Issuer`),
        bindings: ['redirect'],
      },
    ];
    options.log(`hostile: encoding ${requestShapes.length} AuthnRequest shapes (untimed)`);
    for (const { shape, xml, bindings } of requestShapes) {
      for (const binding of bindings) {
        const value = binding === 'post' ? encodePostBinding(xml) : encodeRedirectBinding(xml);
        rows.push(
          await timeShape(
            {
              surface: 'idp-sso',
              shape: `${shape} [${binding === 'post' ? 'HTTP-POST' : 'HTTP-Redirect'}]`,
              inputs: Array.from({ length: count }, () => value),
              xmlBytes: Buffer.byteLength(xml),
              sentBytes: value.length,
            },
            async (v) => {
              try {
                const parsed = readSamlRequest(v, binding);
                if (parsed.kind !== 'authn') return `parsed as ${parsed.kind}`;
                await beginSpInitiatedSignIn(idp.ctx, tenant, parsed, null);
                return 'accepted';
              } catch (error) {
                return describeThrown(error);
              }
            },
          ),
        );
      }
    }

    // ---- console: metadata import from pasted XML (last: an accepted import replaces the profile's certificates) ----
    const metadata = await (await fetch(seeded.appFederationMetadataUrl)).text();
    const M = DEFAULT_METADATA_XML_LIMITS;
    const mdRoom = DEFAULT_MAX_XML_BYTES - Buffer.byteLength(metadata) - 1024;
    const mdElements = countElements(metadata);
    const afterMdSignature = /<\/Signature>/;
    const mdExtensions = (markup: string) => insertAfter(metadata, afterMdSignature, `<Extensions>${markup}</Extensions>`);
    const keyDescriptor = /<KeyDescriptor use="signing">[\s\S]*?<\/KeyDescriptor>/.exec(metadata)?.[0] ?? '';
    const certCopies = Math.min(
      Math.floor(mdRoom / keyDescriptor.length),
      Math.floor((M.maxElements - mdElements) / countElements(keyDescriptor)),
    );
    const mdShapes: { shape: string; xml: string }[] = [
      { shape: 'genuine app federation metadata (reference)', xml: metadata },
      { shape: `deep: ${M.maxDepth} levels in Extensions (at the limit)`, xml: mdExtensions(nested(M.maxDepth - 2)) },
      {
        shape: `deep: ${Math.floor(mdRoom / 7).toLocaleString('en')} levels (size limit)`,
        xml: mdExtensions(nested(Math.floor(mdRoom / 7))),
      },
      { shape: `wide: ${M.maxElements - 10} elements`, xml: mdExtensions(wide(M.maxElements - 11 - mdElements, M.maxChildren - 10)) },
      {
        shape: `wide: ${M.maxAttributes - 1} attributes per element, ~${M.maxTotalAttributes - 300} in all`,
        xml: mdExtensions(manyAttributes(Math.floor((M.maxTotalAttributes - 300) / (M.maxAttributes - 1)), M.maxAttributes - 1)),
      },
      {
        shape: `${certCopies + 1} signing certificates (KeyDescriptor copies)`,
        xml: metadata.replace(keyDescriptor, keyDescriptor.repeat(certCopies + 1)),
      },
      {
        shape: 'long X509Certificate: junk base64 near the size limit',
        xml: metadata.replace(/(<X509Certificate>)[^<]*/, `$1${junk(Math.floor((mdRoom * 3) / 4))}`),
      },
      {
        shape: 'long entityID near the size limit',
        xml: metadata.replace(/entityID="[^"]*"/, `entityID="https://${'a.'.repeat(Math.floor(mdRoom / 2))}!"`),
      },
    ];
    for (const { shape, xml } of mdShapes) {
      rows.push(
        await timeShape(
          {
            surface: 'metadata-import',
            shape,
            inputs: Array.from({ length: count }, () => xml),
            xmlBytes: Buffer.byteLength(xml),
            sentBytes: Buffer.byteLength(xml),
          },
          async (pasted) => {
            try {
              const result = await importProfileMetadata(sp.ctx, ACCOUNT, { xml: pasted });
              return `accepted (${result.profile.idpCertificates.length} cert${result.profile.idpCertificates.length === 1 ? '' : 's'}${result.findings.length ? `, ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}` : ''})`;
            } catch (error) {
              return describeThrown(error);
            }
          },
        ),
      );
    }

    const worst = (surface: HostileSurface) => {
      const own = rows.filter((r) => r.surface === surface && r.worstMs !== null);
      return own.length === 0 ? null : Math.max(...own.map((r) => r.worstMs as number));
    };
    return {
      runsPerShape: options.runs,
      rows,
      worstMs: { acs: worst('acs'), metadataImport: worst('metadata-import'), idpSso: worst('idp-sso') },
    };
  } finally {
    await sp.close();
  }
}
