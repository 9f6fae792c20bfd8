import { NS } from '../saml/constants.js';
import { childElements, descendantElements, firstChildElement, readAttribute, readText } from '../saml/xml.js';
import { trimXmlSpace } from '../saml/xml-space.js';

/** A SubjectConfirmation with its data (SAML Core 2.4.1.1–2.4.1.2). */
export interface ConfirmationFacts {
  method: string | null;
  recipient: string | null;
  notBefore: string | null;
  notOnOrAfter: string | null;
  inResponseTo: string | null;
}

/** What the checks read from the one assertion the SP would consume. */
export interface AssertionFacts {
  element: Element;
  id: string | null;
  version: string | null;
  issueInstant: string | null;
  issuer: string | null;
  nameId: { value: string; format: string | null; hasComment: boolean } | null;
  confirmations: ConfirmationFacts[];
  /** `audiences` flattened; `restrictions` keeps each AudienceRestriction, since every one must be met. */
  conditions: { notBefore: string | null; notOnOrAfter: string | null; audiences: string[]; restrictions: string[][] } | null;
  authn: { authnInstant: string | null; sessionIndex: string | null; classRef: string | null } | null;
  attributes: { name: string; values: string[] }[];
}

/** What the checks read from a samlp:Response, extracted once from the parsed document. */
export interface ResponseFacts {
  root: Element;
  id: string | null;
  version: string | null;
  issueInstant: string | null;
  destination: string | null;
  inResponseTo: string | null;
  issuer: string | null;
  status: { code: string | null; subCode: string | null; message: string | null };
  /** Assertions that are direct children of the Response (the only place SAML allows them). */
  directAssertions: Element[];
  /** Every saml:Assertion anywhere in the document (wrapping attacks hide them in Extensions or ds:Object). */
  allAssertions: Element[];
  encryptedAssertions: Element[];
  /** The assertion the SP would consume: the single direct child, or null when there is not exactly one. */
  assertion: AssertionFacts | null;
}

/**
 * Reads the facts every check needs from a parsed Response (SAML Core 3.2.2, 3.3.3). `decrypted` is
 * the plaintext of the Response's one EncryptedAssertion, which stands where that element stood.
 */
export function readResponseFacts(doc: Document, decrypted: { assertion: Element; replaces: Element } | null = null): ResponseFacts {
  const root = doc.documentElement as Element;
  const status = firstChildElement(root, NS.samlp, 'Status');
  const statusCode = status ? firstChildElement(status, NS.samlp, 'StatusCode') : null;
  const subCode = statusCode ? firstChildElement(statusCode, NS.samlp, 'StatusCode') : null;
  const statusMessage = status ? firstChildElement(status, NS.samlp, 'StatusMessage') : null;
  const issuer = firstChildElement(root, NS.saml, 'Issuer');
  const directAssertions = childElements(root, NS.saml, 'Assertion');
  if (decrypted) directAssertions.push(decrypted.assertion);
  const encryptedAssertions = descendantElements(doc, NS.saml, 'EncryptedAssertion').filter((el) => el !== decrypted?.replaces);
  return {
    root,
    id: readAttribute(root, 'ID'),
    version: readAttribute(root, 'Version'),
    issueInstant: readAttribute(root, 'IssueInstant'),
    destination: readAttribute(root, 'Destination'),
    inResponseTo: readAttribute(root, 'InResponseTo'),
    issuer: issuer ? trimXmlSpace(readText(issuer)) : null,
    status: {
      code: statusCode ? readAttribute(statusCode, 'Value') : null,
      subCode: subCode ? readAttribute(subCode, 'Value') : null,
      message: statusMessage ? readText(statusMessage) : null,
    },
    directAssertions,
    allAssertions: decrypted
      ? [
          ...descendantElements(doc, NS.saml, 'Assertion'),
          decrypted.assertion,
          ...descendantElements(decrypted.assertion, NS.saml, 'Assertion'),
        ]
      : descendantElements(doc, NS.saml, 'Assertion'),
    encryptedAssertions,
    assertion: directAssertions.length === 1 ? readAssertionFacts(directAssertions[0] as Element) : null,
  };
}

/** Reads one assertion's subject, conditions, authn statement and attributes (SAML Core 2.3–2.7). */
export function readAssertionFacts(assertion: Element): AssertionFacts {
  const issuer = firstChildElement(assertion, NS.saml, 'Issuer');
  const subject = firstChildElement(assertion, NS.saml, 'Subject');
  const nameIdEl = subject ? firstChildElement(subject, NS.saml, 'NameID') : null;
  const conditions = firstChildElement(assertion, NS.saml, 'Conditions');
  const authn = firstChildElement(assertion, NS.saml, 'AuthnStatement');
  const authnContext = authn ? firstChildElement(authn, NS.saml, 'AuthnContext') : null;
  const classRef = authnContext ? firstChildElement(authnContext, NS.saml, 'AuthnContextClassRef') : null;
  return {
    element: assertion,
    id: readAttribute(assertion, 'ID'),
    version: readAttribute(assertion, 'Version'),
    issueInstant: readAttribute(assertion, 'IssueInstant'),
    issuer: issuer ? trimXmlSpace(readText(issuer)) : null,
    nameId: nameIdEl
      ? { value: trimXmlSpace(readText(nameIdEl)), format: readAttribute(nameIdEl, 'Format'), hasComment: hasCommentChild(nameIdEl) }
      : null,
    confirmations: subject ? childElements(subject, NS.saml, 'SubjectConfirmation').map(readConfirmation) : [],
    conditions: conditions ? readConditions(conditions) : null,
    authn: authn
      ? {
          authnInstant: readAttribute(authn, 'AuthnInstant'),
          sessionIndex: readAttribute(authn, 'SessionIndex'),
          classRef: classRef ? trimXmlSpace(readText(classRef)) : null,
        }
      : null,
    attributes: childElements(assertion, NS.saml, 'AttributeStatement').flatMap((statement) =>
      childElements(statement, NS.saml, 'Attribute').map((attr) => ({
        name: readAttribute(attr, 'Name') ?? '',
        values: childElements(attr, NS.saml, 'AttributeValue').map((v) => readText(v)),
      })),
    ),
  };
}

function readConditions(conditions: Element): NonNullable<AssertionFacts['conditions']> {
  const restrictions = childElements(conditions, NS.saml, 'AudienceRestriction').map((r) =>
    childElements(r, NS.saml, 'Audience').map((a) => trimXmlSpace(readText(a))),
  );
  return {
    notBefore: readAttribute(conditions, 'NotBefore'),
    notOnOrAfter: readAttribute(conditions, 'NotOnOrAfter'),
    audiences: restrictions.flat(),
    restrictions,
  };
}

function readConfirmation(el: Element): ConfirmationFacts {
  const data = firstChildElement(el, NS.saml, 'SubjectConfirmationData');
  return {
    method: readAttribute(el, 'Method'),
    recipient: data ? readAttribute(data, 'Recipient') : null,
    notBefore: data ? readAttribute(data, 'NotBefore') : null,
    notOnOrAfter: data ? readAttribute(data, 'NotOnOrAfter') : null,
    inResponseTo: data ? readAttribute(data, 'InResponseTo') : null,
  };
}

// A comment inside NameID is harmless to a reader of the whole text but is the signature of the
// 2018 comment-truncation attack, so the report calls it out.
function hasCommentChild(el: Element): boolean {
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 8) return true;
  return false;
}
