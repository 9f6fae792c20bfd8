import { decodePostBinding, encodePostBinding } from '../saml/bindings.js';
import { describeCertificateCached } from '../saml/certificate-cache.js';
import { NS } from '../saml/constants.js';
import { childElements, parseXmlSafely } from '../saml/xml.js';
import { DEFAULT_XML_LIMITS } from '../saml/xml-limit-defaults.js';
import { xmlLimitsLeft } from '../saml/xml-tree-limits.js';
import { type Account, type AuthProfile, type DirectoryUser, selectTrustedCertificates } from './accounts.js';
import { findBearerConfirmation } from './checks/bearer.js';
import { type CheckContext, runChecks } from './checks/index.js';
import { describePayloadFailure, payloadCheck } from './checks/payload.check.js';
import { decryptAssertion, type EncryptedShape, readEncryptedShape, serializeWithPlaintext } from './encrypted-assertion.js';
import type { NodeSamlGate, NodeSamlGateInput, NodeSamlVerdict } from './node-saml-gate.js';
import type { PendingRequest } from './ports.js';
import { type ResponseFacts, readResponseFacts } from './response-facts.js';
import { analyzeSignatures } from './signature-analysis.js';
import type { CheckResult } from './traces.js';
import type { ValidationSettings } from './validation-settings.js';

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
  validation: ValidationSettings;
  decryptionKey: string | null;
  gate: NodeSamlGate;
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

/** The message decrypted (or not): what the SP consumes, and what the encryption check reports. */
export interface DecryptedMessage {
  shape: EncryptedShape;
  /** The decrypted assertion, standing where the EncryptedAssertion stood; null when none. */
  assertion: Element | null;
  plaintext: Document | null;
  report: CheckContext['encrypted'];
}

/**
 * Evaluates a base64 SAMLResponse (HTTP-POST binding) against every rule and returns every result,
 * in named phases: decode → parse → decrypt → facts → resolve → verify → gate → checks. The message
 * is parsed once; every signature the SP relies on is verified by the SP on the nodes it reads, and
 * node-saml judges the same document as a second gate. A fault in any phase is a recorded refusal.
 */
export async function evaluateSamlResponse(samlResponse: string | undefined, env: EvaluationEnv): Promise<Evaluation> {
  if (samlResponse === undefined || samlResponse.trim() === '') return unread(payloadCheck.fail('SP_PAYLOAD_MISSING'), null);
  let xml: string;
  try {
    xml = decodePostBinding(samlResponse, env.validation.maxSamlBytes);
  } catch (error) {
    return unread(describePayloadFailure(error), null);
  }
  try {
    return await evaluateXml(xml, env);
  } catch (error) {
    // A phase that throws on some input must refuse that input, never turn it into a server error.
    return unread(describePayloadFailure(error, 'SP_EVALUATION_FAILED'), xml);
  }
}

async function evaluateXml(xml: string, env: EvaluationEnv): Promise<Evaluation> {
  const parsed = parseResponse(xml, env.validation.maxSamlBytes);
  if ('failure' in parsed) return unread(parsed.failure, xml);
  const { doc } = parsed;
  const { decrypted, facts, pending, target } = await readAndResolve(doc, env);
  const certificates = selectTrustedCertificates(target.profile);
  const signatures =
    certificates.length > 0
      ? analyzeSignatures(
          { received: doc, consumed: facts.assertion?.element ?? null, plaintext: decrypted.plaintext },
          certificates.map(describeCertificateCached),
        )
      : null;
  const gateInput = buildGateInput(xml, doc, decrypted, target, env);
  const nodeSaml: NodeSamlVerdict | undefined = gateInput ? await env.gate.validate(gateInput) : undefined;
  const nameId = facts.assertion?.nameId?.value;
  const ctx: CheckContext = {
    now: env.now,
    skewMs: env.validation.clockSkewMs,
    refuseSha1: env.validation.refuseSha1,
    facts,
    account: target.account,
    profile: target.profile,
    resolvedBy: target.resolvedBy,
    audiences: target.audiences,
    acsUrls: target.acsUrls,
    signatures,
    pending,
    replaySeen: facts.assertion?.id && env.isReplay ? await env.isReplay(facts.assertion.id) : undefined,
    directoryUser: nameId && target.account && env.findUser ? await env.findUser(target.account.code, nameId) : undefined,
    nodeSaml,
    encrypted: decrypted.report,
  };
  const checks = [payloadCheck.pass(`A samlp:Response of ${Buffer.byteLength(xml)} bytes.`), ...runChecks(ctx)];
  return {
    ok: !checks.some((c) => c.status === 'fail'),
    xml,
    checks,
    facts,
    target,
    pending,
    directoryUser: ctx.directoryUser,
    encrypted: decrypted.shape.kind !== 'none',
  };
}

interface ResolvedMessage {
  decrypted: DecryptedMessage;
  facts: ResponseFacts;
  pending: PendingRequest | null | undefined;
  target: ResolvedTarget;
}

async function resolveFacts(doc: Document, decrypted: DecryptedMessage, env: EvaluationEnv): Promise<ResolvedMessage> {
  const facts = readResponseFacts(
    doc,
    decrypted.assertion && decrypted.shape.kind === 'accepted'
      ? { assertion: decrypted.assertion, replaces: decrypted.shape.encryptedAssertion }
      : null,
  );
  const requestId = facts.inResponseTo ?? findBearerConfirmation(facts.assertion)?.inResponseTo ?? null;
  const pending = requestId && env.findPending ? await env.findPending(requestId) : env.findPending ? null : undefined;
  return { decrypted, facts, pending, target: await env.resolve(facts, pending) };
}

/**
 * Phases decrypt → facts → resolve. An EncryptedAssertion in the accepted shape is decrypted only
 * for an account whose profile accepts encrypted assertions, found from what is readable without
 * the key (the request it answers, the Response's Issuer); for any other it stays unread, refused
 * by the encryption check, and node-saml is not given it.
 */
async function readAndResolve(doc: Document, env: EvaluationEnv): Promise<ResolvedMessage> {
  const shape = readEncryptedShape(doc);
  if (shape.kind !== 'accepted')
    return resolveFacts(doc, await decryptMessage(doc, env.decryptionKey, env.validation.maxSamlBytes, shape), env);
  const unread: DecryptedMessage = {
    shape,
    assertion: null,
    plaintext: null,
    report: { refused: null, decrypted: false, error: null, notEnabled: true },
  };
  const before = await resolveFacts(doc, unread, env);
  if (before.target.profile?.acceptEncryptedAssertions !== true) return before;
  return resolveFacts(doc, await decryptMessage(doc, env.decryptionKey, env.validation.maxSamlBytes, shape), env);
}

/** Phase parse: the safe parser with its limits, and the samlp:Response root. */
export function parseResponse(xml: string, maxBytes: number): { doc: Document } | { failure: CheckResult } {
  let doc: Document;
  try {
    doc = parseXmlSafely(xml, { maxBytes });
  } catch (error) {
    return { failure: describePayloadFailure(error) };
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== NS.samlp || root.localName !== 'Response') {
    const received = root ? `{${root.namespaceURI ?? ''}}${root.localName}` : '(none)';
    return { failure: payloadCheck.fail('SP_PAYLOAD_WRONG_ROOT', { expected: `{${NS.samlp}}Response`, received }) };
  }
  return { doc };
}

/**
 * Phase decrypt: the one accepted EncryptedAssertion shape, decrypted once. The received tree is
 * left as it came, so a Response signature is verified over what was signed. The plaintext gets
 * what the Response left of one message's element, attribute and node budget, not a second one.
 * `shape` is passed in when the caller has already read it.
 */
export async function decryptMessage(
  doc: Document,
  key: string | null,
  maxBytes: number,
  shape: EncryptedShape = readEncryptedShape(doc),
): Promise<DecryptedMessage> {
  const unreadAs = (report: DecryptedMessage['report']): DecryptedMessage => ({ shape, assertion: null, plaintext: null, report });
  if (shape.kind === 'none') return unreadAs(null);
  if (shape.kind === 'refused') return unreadAs({ refused: shape.problem, decrypted: false, error: null });
  if (!key) return unreadAs({ refused: null, decrypted: false, error: 'This SP has no encryption key configured.' });
  const result = await decryptAssertion(shape, key, maxBytes, xmlLimitsLeft(doc, DEFAULT_XML_LIMITS));
  if (!result.ok) return unreadAs({ refused: null, decrypted: false, error: result.error, ...(result.code ? { code: result.code } : {}) });
  return { shape, assertion: result.assertion, plaintext: result.plaintext, report: { refused: null, decrypted: true, error: null } };
}

/**
 * Phase gate: what node-saml is given. It judges the text the SP decoded, re-encoded, so both read
 * the same bytes. With an encrypted assertion it gets the Response as the SP consumes it (the
 * plaintext in place), except when the Response itself is signed: that signature covers the
 * ciphertext, so node-saml gets the message as received and the key, and decrypts the one
 * EncryptedData the shape check admitted. Either way the node-saml check compares the assertion it
 * read with the SP's. Not run when there is nothing to trust, or the encrypted content was refused.
 */
export function buildGateInput(
  xml: string,
  doc: Document,
  decrypted: DecryptedMessage,
  target: ResolvedTarget,
  env: EvaluationEnv,
): NodeSamlGateInput | null {
  const certificates = selectTrustedCertificates(target.profile);
  const audience = target.audiences[0];
  if (certificates.length === 0 || !audience) return null;
  const base = { certificates, audience, acsUrl: target.acsUrls.local, skewMs: env.validation.clockSkewMs, clockFrozen: env.clockFrozen };
  const { shape } = decrypted;
  if (shape.kind === 'none') return { ...base, samlResponse: encodePostBinding(xml), decryptionKey: null };
  if (shape.kind !== 'accepted' || !decrypted.assertion) return null;
  const responseSigned = childElements(doc.documentElement as Element, NS.ds, 'Signature').length > 0;
  if (responseSigned) return { ...base, samlResponse: encodePostBinding(xml), decryptionKey: env.decryptionKey };
  return { ...base, samlResponse: encodePostBinding(serializeWithPlaintext(doc, shape, decrypted.assertion)), decryptionKey: null };
}

function unread(result: CheckResult, xml: string | null): Evaluation {
  // Nothing else can be read from a message that does not decode; the report says so once.
  return { ok: false, xml, checks: [result], facts: null, target: null, pending: undefined, directoryUser: undefined, encrypted: false };
}
