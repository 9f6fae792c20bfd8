/**
 * The two single-logout messages (SAML Core 3.7.1 LogoutRequest, 3.7.2 LogoutResponse): built with
 * a DOM (never by string concatenation, so no value can inject markup) and read back from a safely
 * parsed document. Both roles use them; what each role sends and checks lives with the role.
 */
import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';
import { NS, STATUS } from './constants.js';
import { childElements, firstChildElement, readAttribute, readText } from './xml.js';
import { trimXmlSpace } from './xml-space.js';

interface MessageBase {
  id: string;
  issuer: string;
  destination: string;
  issueInstant: Date;
}

function createMessage(localName: 'LogoutRequest' | 'LogoutResponse', input: MessageBase): { doc: Document; root: Element } {
  const doc = new DOMImplementation().createDocument(NS.samlp, `samlp:${localName}`, null);
  const root = doc.documentElement;
  root.setAttributeNS(NS.xmlns, 'xmlns:saml', NS.saml);
  root.setAttribute('ID', input.id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', input.issueInstant.toISOString());
  root.setAttribute('Destination', input.destination);
  const issuer = doc.createElementNS(NS.saml, 'saml:Issuer');
  issuer.appendChild(doc.createTextNode(input.issuer));
  root.appendChild(issuer);
  return { doc, root };
}

/** A LogoutRequest: who (NameID and Format) and which session (SessionIndex) to end. */
export interface LogoutRequestInput extends MessageBase {
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  notOnOrAfter?: Date;
}

/** Builds an unsigned samlp:LogoutRequest (the Redirect binding signs the query string instead). */
export function buildLogoutRequestXml(input: LogoutRequestInput): string {
  const { doc, root } = createMessage('LogoutRequest', input);
  if (input.notOnOrAfter) root.setAttribute('NotOnOrAfter', input.notOnOrAfter.toISOString());
  const nameId = doc.createElementNS(NS.saml, 'saml:NameID');
  if (input.nameIdFormat) nameId.setAttribute('Format', input.nameIdFormat);
  nameId.appendChild(doc.createTextNode(input.nameId));
  root.appendChild(nameId);
  if (input.sessionIndex) {
    const index = doc.createElementNS(NS.samlp, 'samlp:SessionIndex');
    index.appendChild(doc.createTextNode(input.sessionIndex));
    root.appendChild(index);
  }
  return new XMLSerializer().serializeToString(doc);
}

/** A LogoutResponse: the request it answers and a status (Success unless said otherwise). */
export interface LogoutResponseInput extends MessageBase {
  inResponseTo: string;
  status?: { code: string; subCode?: string };
}

/** Builds an unsigned samlp:LogoutResponse with a StatusCode and an optional second-level code. */
export function buildLogoutResponseXml(input: LogoutResponseInput): string {
  const { doc, root } = createMessage('LogoutResponse', input);
  root.setAttribute('InResponseTo', input.inResponseTo);
  const status = doc.createElementNS(NS.samlp, 'samlp:Status');
  const code = doc.createElementNS(NS.samlp, 'samlp:StatusCode');
  code.setAttribute('Value', input.status?.code ?? STATUS.success);
  if (input.status?.subCode) {
    const sub = doc.createElementNS(NS.samlp, 'samlp:StatusCode');
    sub.setAttribute('Value', input.status.subCode);
    code.appendChild(sub);
  }
  status.appendChild(code);
  root.appendChild(status);
  return new XMLSerializer().serializeToString(doc);
}

/** What a logout message says, read from a safely parsed document. */
export interface LogoutMessageFacts {
  kind: 'LogoutRequest' | 'LogoutResponse' | null;
  id: string | null;
  version: string | null;
  issuer: string | null;
  destination: string | null;
  inResponseTo: string | null;
  issueInstant: string | null;
  notOnOrAfter: string | null;
  nameId: { value: string; format: string | null } | null;
  sessionIndexes: string[];
  status: { code: string | null; subCode: string | null; message: string | null };
}

/** Reads a LogoutRequest or LogoutResponse; `kind` is null for any other root. Direct children only. */
export function readLogoutMessageFacts(doc: Document): LogoutMessageFacts {
  const root = doc.documentElement;
  const isLogout = root.namespaceURI === NS.samlp && (root.localName === 'LogoutRequest' || root.localName === 'LogoutResponse');
  const issuer = firstChildElement(root, NS.saml, 'Issuer');
  const nameId = firstChildElement(root, NS.saml, 'NameID');
  const status = firstChildElement(root, NS.samlp, 'Status');
  const code = status ? firstChildElement(status, NS.samlp, 'StatusCode') : null;
  const subCode = code ? firstChildElement(code, NS.samlp, 'StatusCode') : null;
  const message = status ? firstChildElement(status, NS.samlp, 'StatusMessage') : null;
  return {
    kind: isLogout ? (root.localName as 'LogoutRequest' | 'LogoutResponse') : null,
    id: readAttribute(root, 'ID'),
    version: readAttribute(root, 'Version'),
    issuer: issuer ? trimXmlSpace(readText(issuer)) : null,
    destination: readAttribute(root, 'Destination'),
    inResponseTo: readAttribute(root, 'InResponseTo'),
    issueInstant: readAttribute(root, 'IssueInstant'),
    notOnOrAfter: readAttribute(root, 'NotOnOrAfter'),
    nameId: nameId ? { value: trimXmlSpace(readText(nameId)), format: readAttribute(nameId, 'Format') } : null,
    sessionIndexes: childElements(root, NS.samlp, 'SessionIndex').map((el) => trimXmlSpace(readText(el))),
    status: {
      code: code ? readAttribute(code, 'Value') : null,
      subCode: subCode ? readAttribute(subCode, 'Value') : null,
      message: message ? readText(message) : null,
    },
  };
}
