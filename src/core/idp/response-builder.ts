/**
 * Builds SAML Responses shaped exactly like Microsoft Entra ID's, then signs and optionally encrypts
 * them. Every field is an input so that SP tests can also produce broken and hostile variants.
 */
import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';
import { buildEntraIssuer, NS, STATUS, SUBJECT_CONFIRMATION } from '../saml/constants.js';
import type { AdditionalClaim } from './additional-claims.js';
import { applyClaimEdits, buildDefaultClaims, type Claim, type EntraUser } from './claims.js';
import { encryptAssertion, signEnveloped } from './response-signing.js';
import { type BlockCipherName, ENTRA_DEFAULTS, type KeyTransportName, type SigningAlgorithmName } from './saml-names.js';

/** Entra's "Signing Option" values, plus `none` for tests of unsigned responses. */
export type SigningOption = 'assertion' | 'response' | 'response-and-assertion' | 'none';

export interface EntraResponseInput {
  tenantId: string;
  /** Default `https://sts.windows.net/<tenantId>/`, on both Response and Assertion. */
  issuer?: string;
  /** The Reply URL; null leaves Destination out (a variant some IdPs send). */
  destination: string | null;
  /** SubjectConfirmationData Recipient; default = destination. */
  recipient?: string;
  /** The app's Identifier (Entity ID). */
  audience: string;
  /** The AuthnRequest ID; absent or null for IdP-initiated sign-in, where Entra leaves it out. */
  inResponseTo?: string | null;
  user: EntraUser;
  /** NameID value (default the UPN, Entra's user.userprincipalname source) and Format (null: none). */
  nameId?: { value?: string; format?: string | null };
  authnContextClassRef?: string;
  authnMethodsReferences?: string[];
  /** Replace a claim's values in place, or append a new claim. */
  extraClaims?: Claim[];
  /** The app's additional claims (Attributes & Claims); Entra's four when absent. */
  additionalClaims?: readonly AdditionalClaim[];
  /** Claim Names to leave out. */
  omitClaims?: string[];
  issueInstant: Date;
  /** When the user authenticated; default issueInstant. Entra reports the original sign-in time. */
  authnInstant?: Date;
  /** Conditions NotBefore = issueInstant − this; default 5 min. */
  notBeforeSkewMs?: number;
  /** Conditions NotOnOrAfter = issueInstant + this; default 60 min. */
  lifetimeMs?: number;
  /**
   * SubjectConfirmationData NotOnOrAfter = issueInstant + this. Default = lifetimeMs: Entra emits the
   * same instant here as in Conditions NotOnOrAfter (see ENTRA_DEFAULTS).
   */
  confirmationLifetimeMs?: number;
  /** AuthnStatement SessionIndex; default the assertion ID as Entra does, null to leave it out. */
  sessionIndex?: string | null;
  ids: { responseId: string; assertionId: string };
  /** Non-success: no assertion (like Entra's AADSTS errors) unless includeAssertion says otherwise. */
  status?: { code: string; subCode?: string; message?: string };
  includeAssertion?: boolean;
  signing: { key: string; cert: string; option: SigningOption; algorithm: SigningAlgorithmName; prefix?: string };
  encryption?: { cert: string; blockCipher?: BlockCipherName; keyTransport?: KeyTransportName };
  /** Default bearer (SAML Profiles 4.1.4.2); tests send holder-of-key and others. */
  confirmationMethod?: string;
  /** Last chance to change the unsigned document: for variants the fields above cannot express. */
  beforeSign?: (doc: Document) => void;
}

export interface BuiltResponse {
  xml: string;
  /** What goes in the SAMLResponse form field (HTTP-POST binding, SAML Bindings 3.5.4). */
  base64: string;
  responseId: string;
  assertionId: string;
  /** Local names of the elements that carry a signature, outermost first. */
  signedElements: ('Response' | 'Assertion')[];
  encrypted: boolean;
}

/**
 * Builds a SAML 2.0 Response as Entra ID issues it (SAML Core 3.3.3 / 2.3.3; Web Browser SSO profile,
 * SAML Profiles 4.1.4.2), signs it per the app's Signing Option, and encrypts the assertion when an
 * encryption certificate is given. Signing order follows XML-DSig practice: the assertion is signed,
 * then encrypted, then the Response signature covers the result.
 */
export function buildEntraResponse(input: EntraResponseInput): BuiltResponse {
  const success = (input.status?.code ?? STATUS.success) === STATUS.success;
  const withAssertion = input.includeAssertion ?? success;
  const doc = buildResponseDocument(input, withAssertion);
  input.beforeSign?.(doc);
  let xml = new XMLSerializer().serializeToString(doc);

  const { option } = input.signing;
  const signedElements: BuiltResponse['signedElements'] = [];
  const sign = (elementLocalName: 'Response' | 'Assertion', elementId: string): string =>
    signEnveloped(xml, {
      elementId,
      elementLocalName,
      key: input.signing.key,
      cert: input.signing.cert,
      algorithm: input.signing.algorithm,
      insertAfterIssuer: true,
      ...(input.signing.prefix ? { prefix: input.signing.prefix } : {}),
    });
  if (withAssertion && (option === 'assertion' || option === 'response-and-assertion')) {
    xml = sign('Assertion', input.ids.assertionId);
    signedElements.push('Assertion');
  }
  const encrypted = withAssertion && input.encryption !== undefined;
  if (encrypted && input.encryption) {
    xml = encryptAssertion(xml, {
      assertionId: input.ids.assertionId,
      cert: input.encryption.cert,
      ...(input.encryption.blockCipher ? { blockCipher: input.encryption.blockCipher } : {}),
      ...(input.encryption.keyTransport ? { keyTransport: input.encryption.keyTransport } : {}),
    });
  }
  if (option === 'response' || option === 'response-and-assertion') {
    xml = sign('Response', input.ids.responseId);
    signedElements.unshift('Response');
  }
  return {
    xml,
    base64: Buffer.from(xml, 'utf8').toString('base64'),
    responseId: input.ids.responseId,
    assertionId: input.ids.assertionId,
    signedElements,
    encrypted,
  };
}

/** Entra prints every instant as UTC with milliseconds, e.g. 2022-02-23T17:49:18.872Z. */
function formatInstant(at: Date | number): string {
  return new Date(at).toISOString();
}

function buildResponseDocument(input: EntraResponseInput, withAssertion: boolean): Document {
  const doc = new DOMImplementation().createDocument(NS.samlp, 'samlp:Response', null);
  const response = doc.documentElement;
  const add = createAppender(doc);
  const issuer = input.issuer ?? buildEntraIssuer(input.tenantId);
  const issued = formatInstant(input.issueInstant);

  // Attribute order as Entra writes it; the namespace declaration comes last.
  response.setAttribute('ID', input.ids.responseId);
  response.setAttribute('Version', '2.0');
  response.setAttribute('IssueInstant', issued);
  if (input.destination !== null) response.setAttribute('Destination', input.destination);
  if (input.inResponseTo) response.setAttribute('InResponseTo', input.inResponseTo);
  response.setAttributeNS(NS.xmlns, 'xmlns:samlp', NS.samlp);

  const responseIssuer = add(response, NS.saml, 'Issuer', {}, issuer);
  responseIssuer.setAttributeNS(NS.xmlns, 'xmlns', NS.saml);
  appendStatus(add, response, input.status);
  if (withAssertion) appendAssertion(doc, add, response, input, issuer, issued);
  return doc;
}

type Appender = (parent: Element, ns: string, qname: string, attrs?: Record<string, string>, text?: string) => Element;

/** Element creation through the DOM, so every value is escaped by the serializer, never by hand. */
function createAppender(doc: Document): Appender {
  return (parent, ns, qname, attrs = {}, text) => {
    const el = doc.createElementNS(ns, qname);
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
    if (text !== undefined) el.appendChild(doc.createTextNode(text));
    parent.appendChild(el);
    return el;
  };
}

/** samlp:Status (SAML Core 3.2.2.1): a nested StatusCode carries the second-level code. */
function appendStatus(add: Appender, response: Element, status: EntraResponseInput['status']): void {
  const statusEl = add(response, NS.samlp, 'samlp:Status');
  const code = add(statusEl, NS.samlp, 'samlp:StatusCode', { Value: status?.code ?? STATUS.success });
  if (status?.subCode) add(code, NS.samlp, 'samlp:StatusCode', { Value: status.subCode });
  if (status?.message !== undefined) add(statusEl, NS.samlp, 'samlp:StatusMessage', {}, status.message);
}

/** The Assertion in SAML Core 2.3.3 element order: Issuer, (Signature), Subject, Conditions, statements. */
function appendAssertion(doc: Document, add: Appender, response: Element, input: EntraResponseInput, issuer: string, issued: string): void {
  const t0 = input.issueInstant.getTime();
  const lifetime = input.lifetimeMs ?? ENTRA_DEFAULTS.lifetimeMs;
  const assertion = doc.createElementNS(NS.saml, 'Assertion');
  assertion.setAttribute('ID', input.ids.assertionId);
  assertion.setAttribute('IssueInstant', issued);
  assertion.setAttribute('Version', '2.0');
  assertion.setAttributeNS(NS.xmlns, 'xmlns', NS.saml);
  response.appendChild(assertion);
  add(assertion, NS.saml, 'Issuer', {}, issuer);

  const subject = add(assertion, NS.saml, 'Subject');
  const format = input.nameId?.format === undefined ? ENTRA_DEFAULTS.nameIdFormat : input.nameId.format;
  add(subject, NS.saml, 'NameID', format === null ? {} : { Format: format }, input.nameId?.value ?? input.user.userPrincipalName);
  const confirmation = add(subject, NS.saml, 'SubjectConfirmation', { Method: input.confirmationMethod ?? SUBJECT_CONFIRMATION.bearer });
  const confirmationData: Record<string, string> = {};
  if (input.inResponseTo) confirmationData.InResponseTo = input.inResponseTo;
  confirmationData.NotOnOrAfter = formatInstant(t0 + (input.confirmationLifetimeMs ?? lifetime));
  const recipient = input.recipient ?? input.destination;
  if (recipient !== null) confirmationData.Recipient = recipient;
  add(confirmation, NS.saml, 'SubjectConfirmationData', confirmationData);

  const conditions = add(assertion, NS.saml, 'Conditions', {
    NotBefore: formatInstant(t0 - (input.notBeforeSkewMs ?? ENTRA_DEFAULTS.notBeforeSkewMs)),
    NotOnOrAfter: formatInstant(t0 + lifetime),
  });
  add(add(conditions, NS.saml, 'AudienceRestriction'), NS.saml, 'Audience', {}, input.audience);

  const defaults = buildDefaultClaims(
    input.user,
    input.tenantId,
    input.authnMethodsReferences ?? ENTRA_DEFAULTS.authnMethodsReferences,
    input.additionalClaims,
  );
  const claims = applyClaimEdits(defaults, {
    ...(input.extraClaims ? { extra: input.extraClaims } : {}),
    ...(input.omitClaims ? { omit: input.omitClaims } : {}),
  });
  // The schema wants at least one Attribute in an AttributeStatement, so none means no statement.
  if (claims.length > 0) {
    const statement = add(assertion, NS.saml, 'AttributeStatement');
    for (const claim of claims) {
      const attribute = add(statement, NS.saml, 'Attribute', { Name: claim.name });
      for (const value of claim.values) add(attribute, NS.saml, 'AttributeValue', {}, value);
    }
  }

  const sessionIndex = input.sessionIndex === undefined ? input.ids.assertionId : input.sessionIndex;
  const authn = add(assertion, NS.saml, 'AuthnStatement', {
    AuthnInstant: formatInstant(input.authnInstant ?? input.issueInstant),
    ...(sessionIndex === null ? {} : { SessionIndex: sessionIndex }),
  });
  add(
    add(authn, NS.saml, 'AuthnContext'),
    NS.saml,
    'AuthnContextClassRef',
    {},
    input.authnContextClassRef ?? ENTRA_DEFAULTS.authnContextClassRef,
  );
}
