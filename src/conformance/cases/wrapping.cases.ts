/**
 * XML Signature Wrapping, the eight shapes of "On Breaking SAML: Be Whoever You Want to Be"
 * (Somorovsky et al., USENIX Security 2012), numbered as SAML Raider numbers them, plus the variants
 * that hide the signed original in samlp:Extensions or give the decoy the signed element's ID. In each
 * the genuine signed element survives somewhere, so a verifier that finds "a valid signature" is
 * satisfied, while an unsigned assertion naming the victim sits where a naive reader looks.
 */
import { NS } from '../../core/saml/constants.js';
import type { CaseKit, ConformanceCase } from '../types.js';
import {
  appendDsObject,
  buildEvilAssertion,
  detach,
  editXml,
  encodeXml,
  findChild,
  findElement,
  insertExtensions,
  setText,
} from '../xml-craft.js';

/** Response-level wrapping: an evil Response becomes the root; `place` decides where the signed original goes. */
function wrapResponse(kit: CaseKit, place: (doc: Document, evil: Element, original: Element) => void): string {
  const built = kit.respond({ signing: { option: 'response' } });
  return encodeXml(
    editXml(built.xml, (doc) => {
      const original = doc.documentElement as Element;
      const evil = original.cloneNode(true) as Element;
      evil.setAttribute('ID', kit.newId());
      const assertion = findElement(evil, NS.saml, 'Assertion');
      assertion.setAttribute('ID', kit.newId());
      setText(findElement(assertion, NS.saml, 'NameID'), kit.victim);
      doc.replaceChild(evil, original);
      place(doc, evil, original);
    }),
  );
}

/** Assertion-level wrapping on Entra's default (assertion signed): `place` arranges the genuine and the evil assertion. */
function wrapAssertion(
  kit: CaseKit,
  place: (doc: Document, response: Element, genuine: Element, evil: Element) => void,
  sameId = false,
): string {
  const built = kit.respond();
  return encodeXml(
    editXml(built.xml, (doc) => {
      const response = doc.documentElement as Element;
      const genuine = findElement(doc, NS.saml, 'Assertion');
      const evil = buildEvilAssertion(genuine, sameId ? built.assertionId : kit.newId(), kit.victim);
      place(doc, response, genuine, evil);
    }),
  );
}

/** The genuine assertion's Signature, copied, for the evil assertion to carry (XSW5, XSW6, XSW8). */
function copySignature(genuine: Element): Element {
  return findChild(genuine, NS.ds, 'Signature')?.cloneNode(true) as Element;
}

/** Puts `signature` where the schema wants it in an assertion: right after its Issuer. */
function insertAfterIssuer(assertion: Element, signature: Element): void {
  const issuer = findChild(assertion, NS.saml, 'Issuer');
  assertion.insertBefore(signature, issuer ? issuer.nextSibling : assertion.firstChild);
}

/** XSW1–XSW8 and their Extensions and duplicate-ID variants. */
export const wrappingCases: ConformanceCase[] = [
  {
    id: 'xsw1-response-inside-copied-signature',
    title: 'XSW1: evil Response as root; the signed original Response inside its copied Signature',
    reference: 'XSW1 (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_UNSUPPORTED',
    build: (kit) => ({
      samlResponse: wrapResponse(kit, (_doc, evil, original) => {
        findChild(evil, NS.ds, 'Signature')?.appendChild(original);
      }),
    }),
  },
  {
    id: 'xsw2-response-before-copied-signature',
    title: 'XSW2: evil Response as root; the signed original Response as a sibling before its Signature (detached)',
    reference: 'XSW2 (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_UNSUPPORTED',
    build: (kit) => ({
      samlResponse: wrapResponse(kit, (_doc, evil, original) => {
        evil.insertBefore(original, findChild(evil, NS.ds, 'Signature'));
      }),
    }),
  },
  {
    id: 'xsw-response-in-extensions',
    title: 'Evil unsigned Response as root; the signed original Response (with its Signature) inside samlp:Extensions',
    reference: 'XSW, Extensions variant (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_UNSUPPORTED',
    build: (kit) => ({
      samlResponse: wrapResponse(kit, (doc, evil, original) => {
        detach(findChild(evil, NS.ds, 'Signature') as Element);
        insertExtensions(doc, evil).appendChild(original);
      }),
    }),
  },
  {
    id: 'xsw3-evil-assertion-before-signed',
    title: 'XSW3: evil unsigned assertion as a sibling before the signed one',
    reference: 'XSW3 (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({ samlResponse: wrapAssertion(kit, (_doc, response, genuine, evil) => response.insertBefore(evil, genuine)) }),
  },
  {
    id: 'xsw3-evil-assertion-after-signed',
    title: 'XSW3 variant: evil unsigned assertion as a sibling after the signed one',
    reference: 'XSW3 (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({ samlResponse: wrapAssertion(kit, (_doc, response, _genuine, evil) => response.appendChild(evil)) }),
  },
  {
    id: 'xsw4-signed-assertion-inside-evil',
    title: 'XSW4: the signed assertion as a child of the evil assertion that replaces it',
    reference: 'XSW4 (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({
      samlResponse: wrapAssertion(kit, (_doc, response, genuine, evil) => {
        response.replaceChild(evil, genuine);
        evil.appendChild(genuine);
      }),
    }),
  },
  {
    id: 'xsw5-evil-carries-signature-original-last',
    title: 'XSW5: evil assertion carries the copied Signature; the original, unsigned, appended to the Response',
    reference: 'XSW5 (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({
      samlResponse: wrapAssertion(kit, (_doc, response, genuine, evil) => {
        insertAfterIssuer(evil, copySignature(genuine));
        response.replaceChild(evil, genuine);
        detach(findChild(genuine, NS.ds, 'Signature') as Element);
        response.appendChild(genuine);
      }),
    }),
  },
  {
    id: 'xsw6-original-inside-copied-signature',
    title: 'XSW6: evil assertion carries the copied Signature, which carries the original assertion',
    reference: 'XSW6 (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({
      samlResponse: wrapAssertion(kit, (_doc, response, genuine, evil) => {
        const signature = copySignature(genuine);
        insertAfterIssuer(evil, signature);
        response.replaceChild(evil, genuine);
        detach(findChild(genuine, NS.ds, 'Signature') as Element);
        signature.appendChild(genuine);
      }),
    }),
  },
  {
    id: 'xsw7-evil-assertion-in-extensions',
    title: 'XSW7: evil assertion inside samlp:Extensions, the signed assertion left in place',
    reference: 'XSW7 (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({
      samlResponse: wrapAssertion(kit, (doc, response, _genuine, evil) => insertExtensions(doc, response).appendChild(evil)),
    }),
  },
  {
    id: 'xsw8-original-in-ds-object',
    title: 'XSW8: evil assertion carries the copied Signature; the original, unsigned, inside its ds:Object',
    reference: 'XSW8 (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({
      samlResponse: wrapAssertion(kit, (doc, response, genuine, evil) => {
        const signature = copySignature(genuine);
        insertAfterIssuer(evil, signature);
        response.replaceChild(evil, genuine);
        detach(findChild(genuine, NS.ds, 'Signature') as Element);
        appendDsObject(doc, signature).appendChild(genuine);
      }),
    }),
  },
  {
    id: 'xsw-signed-assertion-in-extensions',
    title: 'Signed assertion moved into samlp:Extensions; the evil unsigned assertion takes its place',
    reference: 'XSW, Extensions variant (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({
      samlResponse: wrapAssertion(kit, (doc, response, genuine, evil) => {
        response.replaceChild(evil, genuine);
        insertExtensions(doc, response).appendChild(genuine);
      }),
    }),
  },
  {
    id: 'xsw-evil-assertion-same-id',
    title: "Evil assertion with the signed assertion's own ID and its copied Signature; the original hidden in Extensions",
    reference: 'XSW with duplicate ID (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_UNSUPPORTED',
    build: (kit) => ({
      samlResponse: wrapAssertion(
        kit,
        (doc, response, genuine, evil) => {
          insertAfterIssuer(evil, copySignature(genuine));
          response.replaceChild(evil, genuine);
          insertExtensions(doc, response).appendChild(genuine);
        },
        true,
      ),
    }),
  },
];
