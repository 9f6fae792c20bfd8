/**
 * Tools for crafting hostile XML. They use @xmldom/xmldom's DOMParser directly, without the safety
 * limits of parseXmlSafely: an attacker is free to write anything, and the SP under test must cope.
 * Never use these to read a message the SP received.
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { signElementById } from '../core/idp/response-signing.js';
import { ALGORITHM, NS } from '../core/saml/constants.js';
import type { KeyPair } from './types.js';

/** Parses with no safety limits at all: for crafting only. */
export function parseRawXml(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml');
}

/** Parses, lets `edit` change the document, serializes: tampering after signing. */
export function editXml(xml: string, edit: (doc: Document) => void): string {
  const doc = parseRawXml(xml);
  edit(doc);
  return new XMLSerializer().serializeToString(doc);
}

/** Serializes one node (an element becomes a document of its own when parsed back). */
export function serializeNode(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}

/** The HTTP-POST binding form value for XML text (SAML Bindings 3.5.4). */
export function encodeXml(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

/** Decodes a base64 SAMLResponse back to XML text. */
export function decodeXml(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

/** The first element below `root` (document order) with this namespace and local name; throws when none. */
export function findElement(root: Document | Element, ns: string, localName: string): Element {
  const found = root.getElementsByTagNameNS(ns, localName).item(0);
  if (!found) throw new Error(`crafting: no {${ns}}${localName} in the document`);
  return found;
}

/** The first direct child element with this namespace and local name, or null. */
export function findChild(parent: Element, ns: string, localName: string): Element | null {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === localName) return n as Element;
  }
  return null;
}

/** Removes a node from its parent and returns it. */
export function detach<T extends Node>(node: T): T {
  node.parentNode?.removeChild(node);
  return node;
}

/** Replaces an element's content with one text node. */
export function setText(el: Element, text: string): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  el.appendChild(el.ownerDocument.createTextNode(text));
}

/**
 * The attacker's assertion: a copy of a genuine one with its Signature removed, a new ID and the
 * victim's address as NameID. It is what the SP must never consume.
 */
export function buildEvilAssertion(genuine: Element, id: string, victim: string): Element {
  const evil = genuine.cloneNode(true) as Element;
  const signature = findChild(evil, NS.ds, 'Signature');
  if (signature) evil.removeChild(signature);
  evil.setAttribute('ID', id);
  setText(findElement(evil, NS.saml, 'NameID'), victim);
  return evil;
}

/** Changes the NameID after signing and leaves the signature as it was: a copied signature over altered content. */
export function changeNameId(xml: string, value: string): string {
  return editXml(xml, (doc) => setText(findElement(doc, NS.saml, 'NameID'), value));
}

/**
 * Hides `node` (imported into `doc`) in a foreign-namespace wrapper inside a new samlp:Extensions,
 * which SAML allows to hold anything: it then comes before the Response's assertion in document
 * order, where a reader that searches the whole document finds it first.
 */
export function hideInExtensions(doc: Document, node: Node): Element {
  const wrapper = doc.createElementNS('urn:example:wrapper', 'w:Wrapper');
  wrapper.appendChild(doc.importNode(node, true));
  insertExtensions(doc, doc.documentElement as Element).appendChild(wrapper);
  return wrapper;
}

/** Creates `samlp:Extensions` and puts it where SAML Core 3.2.2 places it: after Issuer/Signature, before Status. */
export function insertExtensions(doc: Document, response: Element): Element {
  const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
  response.insertBefore(extensions, findChild(response, NS.samlp, 'Status'));
  return extensions;
}

/** Adds a `ds:Object` at the end of a Signature (XML-DSig 4.5: content the signature may carry). */
export function appendDsObject(doc: Document, signature: Element): Element {
  const object = doc.createElementNS(NS.ds, 'ds:Object');
  signature.appendChild(object);
  return object;
}

/** Signs the element with this ID (enveloped, exc-c14n, RSA-SHA256 by default) with any key pair. */
export function signWith(
  xml: string,
  pair: KeyPair,
  target: { id: string; localName: 'Response' | 'Assertion'; sha1?: boolean; keyInfoCert?: string | null },
): string {
  return signElementById(xml, {
    elementId: target.id,
    elementLocalName: target.localName,
    key: pair.key,
    cert: target.keyInfoCert === undefined ? pair.cert : target.keyInfoCert,
    signatureAlgorithm: target.sha1 ? ALGORITHM.rsaSha1 : ALGORITHM.rsaSha256,
    digestAlgorithm: target.sha1 ? ALGORITHM.sha1 : ALGORITHM.sha256,
  });
}

/** The base64 body of a PEM certificate, as it appears in ds:X509Certificate. */
export function readCertificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}
