import type { PendingRequest } from '../../store/ports.js';
import { AppError } from '../errors.js';
import { decodePostBinding } from '../saml/bindings.js';
import { NS } from '../saml/constants.js';
import { describeCertificateCached } from '../saml/certificate-cache.js';
import { parseXmlSafely, stripBom } from '../saml/xml.js';
import type { Account, AuthProfile, DirectoryUser } from './accounts.js';
import { runChecks, type CheckContext } from './checks/index.js';
import { findBearerConfirmation } from './checks/bearer.js';
import { describeCheck } from './checks/check-context.js';
import { decryptAssertions } from './decrypt-assertion.js';
import { runNodeSamlGate } from './node-saml-gate.js';
import { readResponseFacts, type ResponseFacts } from './response-facts.js';
import { analyzeSignatures } from './signature-analysis.js';
import type { CheckResult } from './traces.js';

/** Who the response is for, as the caller resolved it from the facts. */
export interface ResolvedTarget {
  account: Account | null;
  profile: AuthProfile | null;
  resolvedBy: CheckContext['resolvedBy'];
  audiences: string[];
  acsUrls: { local: string; production: string | null };
}

/**
 * Where the evaluation gets what is not in the message. The ACS backs these with its stores; the
 * offline `check` command leaves the optional ones out and those checks skip.
 */
export interface EvaluationEnv {
  now: Date;
  clockFrozen: boolean;
  skewMs: number;
  refuseSha1: boolean;
  maxSamlBytes: number;
  decryptionKey: string | null;
  resolve(facts: ResponseFacts, pending: PendingRequest | null | undefined): Promise<ResolvedTarget>;
  findPending?(id: string): Promise<PendingRequest | null>;
  isReplay?(assertionId: string): Promise<boolean>;
  findUser?(accountCode: string, email: string): Promise<DirectoryUser | null>;
}

export interface Evaluation {
  ok: boolean;
  xml: string | null;
  checks: CheckResult[];
  facts: ResponseFacts | null;
  target: ResolvedTarget | null;
  pending: PendingRequest | null | undefined;
  /** The directory address the NameID matched, when a directory was consulted. */
  directoryUser: DirectoryUser | null | undefined;
  encrypted: boolean;
}

const payloadCheck = describeCheck('payload', 'Message decodes to a SAML Response', 'SAML Bindings 3.5.4; Core 3.2.2');

/**
 * Evaluates a base64 SAMLResponse (HTTP-POST binding) against every rule and returns every result.
 * The document is parsed once; the checks read facts extracted from that one parse.
 */
export async function evaluateSamlResponse(samlResponse: string | undefined, env: EvaluationEnv): Promise<Evaluation> {
  const unread = (result: CheckResult, xml: string | null): Evaluation => ({
    ok: false,
    xml,
    // Nothing else can be read from a message that does not decode; the report says so once.
    checks: [result],
    facts: null,
    target: null,
    pending: undefined,
    directoryUser: undefined,
    encrypted: false,
  });
  if (samlResponse === undefined || samlResponse.trim() === '') return unread(payloadCheck.fail('SP_PAYLOAD_MISSING'), null);

  let xml: string;
  let doc: Document;
  try {
    xml = decodePostBinding(samlResponse, env.maxSamlBytes);
  } catch (error) {
    return unread(payloadFailure(error), null);
  }
  try {
    doc = parseXmlSafely(xml, { maxBytes: env.maxSamlBytes });
  } catch (error) {
    return unread(payloadFailure(error), xml);
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== NS.samlp || root.localName !== 'Response') {
    return unread(payloadCheck.fail('SP_PAYLOAD_WRONG_ROOT', { expected: `{${NS.samlp}}Response`, received: root ? `{${root.namespaceURI ?? ''}}${root.localName}` : '(none)' }), xml);
  }

  const receivedXml = xml;
  const decryption = await decryptAssertions(doc, env.decryptionKey, env.maxSamlBytes);
  // Decryption rewrites the tree; a Response signature was made over the ciphertext, so it is checked
  // on the message as received (parsed again only in this encrypted case).
  let received: { doc: Document; xml: string } | undefined;
  if (decryption.decrypted) {
    received = { doc: parseXmlSafely(receivedXml, { maxBytes: env.maxSamlBytes }), xml: receivedXml };
    xml = decryption.xml;
    doc = decryption.doc;
  }
  const facts = readResponseFacts(doc);
  const requestId = facts.inResponseTo ?? findBearerConfirmation(facts.assertion)?.inResponseTo ?? null;
  const pending = requestId && env.findPending ? await env.findPending(requestId) : env.findPending ? null : undefined;
  const target = await env.resolve(facts, pending);
  const certificates = target.profile?.idpCertificates ?? [];
  const nameId = facts.assertion?.nameId?.value;

  // node-saml runs first: when it accepts, the signature check need not recompute the digests.
  const nodeSaml =
    certificates.length > 0 && target.audiences[0]
      ? await runNodeSamlGate(
          samlResponse,
          {
            certificates,
            audience: target.audiences[0],
            acsUrl: target.acsUrls.local,
            skewMs: env.skewMs,
            clockFrozen: env.clockFrozen,
            decryptionKey: env.decryptionKey,
          },
          // The tree as parsed, unless decryption has rewritten it or a BOM was stripped before parsing.
          decryption.present || stripBom(receivedXml).hadBom ? undefined : { xml: receivedXml, doc },
        )
      : undefined;
  const ctx: CheckContext = {
    now: env.now,
    skewMs: env.skewMs,
    refuseSha1: env.refuseSha1,
    facts,
    account: target.account,
    profile: target.profile,
    resolvedBy: target.resolvedBy,
    audiences: target.audiences,
    acsUrls: target.acsUrls,
    signatures:
      certificates.length > 0
        ? analyzeSignatures(doc, xml, facts.assertion?.element ?? null, certificates.map(describeCertificateCached), {
            received,
            digestsVerifiedByNodeSaml: nodeSaml?.accepted === true,
          })
        : null,
    pending,
    replaySeen: facts.assertion?.id && env.isReplay ? await env.isReplay(facts.assertion.id) : undefined,
    directoryUser: nameId && target.account && env.findUser ? await env.findUser(target.account.code, nameId) : undefined,
    nodeSaml,
    encrypted: decryption.present ? { decrypted: decryption.decrypted, error: decryption.error } : null,
  };
  const checks = [payloadCheck.pass(`A samlp:Response of ${Buffer.byteLength(xml)} bytes.`), ...runChecks(ctx)];
  return { ok: !checks.some((c) => c.status === 'fail'), xml, checks, facts, target, pending, directoryUser: ctx.directoryUser, encrypted: decryption.present };
}

function payloadFailure(error: unknown): CheckResult {
  if (error instanceof AppError) return payloadCheck.fail(error.code, { received: error.message });
  return payloadCheck.fail('SP_PAYLOAD_MALFORMED_XML');
}
