/**
 * XML signature wrapping (XSW) and other structural forgeries: the signed element is kept intact
 * somewhere in the document while an unsigned, attacker-written assertion sits where the SP reads.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signElementById } from '../../../../src/core/idp/response-signing.js';
import { ALGORITHM, NS } from '../../../../src/core/saml/constants.js';
import {
  assertCheck,
  assertRefused,
  assertRefusedBy,
  decodeXml,
  firstElement,
  post,
  signing,
  tamper,
  withCore,
} from '../../../_helpers/check-assert.js';
import { toBase64 } from '../../../_helpers/idp-signer.js';
import { ACCOUNT, NOW, type TestSpCore } from '../../../_helpers/sp-core.js';
import { idp1 } from '../../../_helpers/test-keys.js';

const ADMIN = 'admin@contoso.com';

async function addAdmin(t: TestSpCore): Promise<void> {
  await t.stores.directory.create(
    {
      accountCode: ACCOUNT.code,
      email: ADMIN,
      globalName: 'Admin',
      forceChangeAtLogin: false,
      roles: ['Super Administrator'],
      createdAt: NOW.toISOString(),
    },
    null,
  );
}

function childNamed(parent: Element, ns: string, localName: string): Element | null {
  return (
    (Array.from(parent.childNodes).find(
      (n) => n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === localName,
    ) as Element | undefined) ?? null
  );
}

/** An unsigned copy of `signed` naming the admin: what the attacker wants the SP to read. */
function buildEvilAssertion(signed: Element, id: string): Element {
  const evil = signed.cloneNode(true) as Element;
  const signature = childNamed(evil, NS.ds, 'Signature');
  if (signature) evil.removeChild(signature);
  evil.setAttribute('ID', id);
  firstElement(evil, NS.saml, 'NameID').textContent = ADMIN;
  return evil;
}

function assertWrappingRefused(outcome: Awaited<ReturnType<typeof post>>): void {
  assertRefused(outcome);
  const failed = outcome.trace.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  assert.ok(failed.includes('single-assertion') || failed.includes('signature'), `failed: ${failed.join(', ')}`);
  assertCheck(outcome, 'signature', 'fail');
}

describe('signature check against wrapping and structural forgeries', () => {
  test('XSW: signed assertion moved into Extensions, evil unsigned assertion as the direct child', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const response = tamper(t.respond(), (doc) => {
        const root = doc.documentElement as Element;
        const signed = firstElement(doc, NS.saml, 'Assertion');
        const evil = buildEvilAssertion(signed, '_evil');
        const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
        root.replaceChild(evil, signed);
        extensions.appendChild(signed);
        root.insertBefore(extensions, firstElement(doc, NS.samlp, 'Status'));
      });
      const outcome = await post(t, response);
      assertWrappingRefused(outcome);
      assertCheck(outcome, 'single-assertion', 'fail', 'SP_ASSERTION_COUNT');
    });
  });

  test('XSW: evil assertion with the same ID as the signed one hidden in Extensions (duplicate ID)', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const response = tamper(t.respond(), (doc) => {
        const root = doc.documentElement as Element;
        const signed = firstElement(doc, NS.saml, 'Assertion');
        const evil = buildEvilAssertion(signed, signed.getAttribute('ID') as string);
        evil.insertBefore(childNamed(signed, NS.ds, 'Signature')?.cloneNode(true) as Element, firstElement(evil, NS.saml, 'Subject'));
        const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
        root.replaceChild(evil, signed);
        extensions.appendChild(signed);
        root.insertBefore(extensions, firstElement(doc, NS.samlp, 'Status'));
      });
      const outcome = await post(t, response);
      assertWrappingRefused(outcome);
    });
  });

  test("XSW: the signed assertion inside the evil assertion's ds:Signature/ds:Object", async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const response = tamper(t.respond(), (doc) => {
        const root = doc.documentElement as Element;
        const signed = firstElement(doc, NS.saml, 'Assertion');
        const evil = buildEvilAssertion(signed, signed.getAttribute('ID') as string);
        const signature = childNamed(signed, NS.ds, 'Signature')?.cloneNode(true) as Element;
        const object = doc.createElementNS(NS.ds, 'Object');
        signature.appendChild(object);
        evil.insertBefore(signature, firstElement(evil, NS.saml, 'Subject'));
        root.replaceChild(evil, signed);
        object.appendChild(signed);
      });
      const outcome = await post(t, response);
      assertWrappingRefused(outcome);
      assertCheck(outcome, 'single-assertion', 'fail', 'SP_ASSERTION_COUNT');
    });
  });

  test('XSW on a signed Response: the original Response wrapped in ds:Object under an evil root', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const response = tamper(t.respond({ signing: signing({ option: 'response' }) }), (doc) => {
        const original = doc.documentElement as Element;
        const evilRoot = original.cloneNode(true) as Element;
        evilRoot.setAttribute('ID', '_evil-root');
        const assertion = firstElement(evilRoot, NS.saml, 'Assertion');
        firstElement(assertion, NS.saml, 'NameID').textContent = ADMIN;
        const signature = childNamed(evilRoot, NS.ds, 'Signature') as Element;
        const object = doc.createElementNS(NS.ds, 'Object');
        signature.appendChild(object);
        doc.replaceChild(evilRoot, original);
        object.appendChild(original);
      });
      const outcome = await post(t, response);
      assertWrappingRefused(outcome);
    });
  });

  for (const [ns, name] of [
    [null, 'ID'],
    [null, 'Id'],
    [null, 'id'],
    ['http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd', 'wsu:Id'],
  ] as const) {
    test(`another element carrying the signed assertion ID in ${name} is SP_SIGNATURE_REFERENCE_INVALID (duplicate ID)`, async () => {
      await withCore({}, async (t) => {
        const response = tamper(t.respond(), (doc) => {
          const root = doc.documentElement as Element;
          const decoy = doc.createElementNS('urn:example:decoy', 'd:Decoy');
          const id = firstElement(doc, NS.saml, 'Assertion').getAttribute('ID') as string;
          if (ns) decoy.setAttributeNS(ns, name, id);
          else decoy.setAttribute(name, id);
          const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
          extensions.appendChild(decoy);
          root.insertBefore(extensions, firstElement(doc, NS.samlp, 'Status'));
        });
        const outcome = await post(t, response);
        assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_REFERENCE_INVALID');
      });
    });
  }

  test('Response-signed only, assertion placed below Extensions before signing: the signature covers no consumed assertion', async () => {
    await withCore({}, async (t) => {
      const response = t.respond({
        signing: signing({ option: 'response' }),
        beforeSign: (doc) => {
          const root = doc.documentElement as Element;
          const assertion = firstElement(doc, NS.saml, 'Assertion');
          const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
          root.removeChild(assertion);
          extensions.appendChild(assertion);
          root.appendChild(extensions);
        },
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'single-assertion', 'SP_ASSERTION_MISSING');
      assertCheck(outcome, 'signature', 'fail', 'SP_SIGNATURE_NOT_COVERING_ASSERTION');
    });
  });

  test('Response-signed only, assertion moved out from under the root after signing, evil one in its place', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const response = tamper(t.respond({ signing: signing({ option: 'response' }) }), (doc) => {
        const root = doc.documentElement as Element;
        const signed = firstElement(doc, NS.saml, 'Assertion');
        const evil = buildEvilAssertion(signed, '_evil');
        const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
        root.replaceChild(evil, signed);
        extensions.appendChild(signed);
        root.appendChild(extensions);
      });
      const outcome = await post(t, response);
      assertWrappingRefused(outcome);
    });
  });

  test('a Response-level signature whose Reference points at the assertion (not enveloping it) is SP_SIGNATURE_REFERENCE_INVALID', async () => {
    await withCore({}, async (t) => {
      const xml = decodeXml(t.respond({ signing: signing({ option: 'none' }) }));
      const assertionId = /<Assertion [^>]*ID="([^"]+)"/.exec(xml)?.[1] as string;
      // Sign the assertion, then move its Signature up to the Response.
      const signed = signElementById(xml, {
        elementId: assertionId,
        elementLocalName: 'Assertion',
        key: idp1.key,
        cert: idp1.cert,
        signatureAlgorithm: ALGORITHM.rsaSha256,
        digestAlgorithm: ALGORITHM.sha256,
      });
      const response = tamper(toBase64(signed), (doc) => {
        const root = doc.documentElement as Element;
        const signature = firstElement(doc, NS.ds, 'Signature');
        signature.parentNode?.removeChild(signature);
        root.insertBefore(signature, firstElement(doc, NS.samlp, 'Status'));
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_REFERENCE_INVALID');
    });
  });

  test('a Reference with a transform outside SAML Core 5.4.4 (inclusive C14N) is SP_SIGNATURE_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      const xml = decodeXml(t.respond({ signing: signing({ option: 'none' }) }));
      const assertionId = /<Assertion [^>]*ID="([^"]+)"/.exec(xml)?.[1] as string;
      const signed = signElementById(xml, {
        elementId: assertionId,
        elementLocalName: 'Assertion',
        key: idp1.key,
        cert: idp1.cert,
        signatureAlgorithm: ALGORITHM.rsaSha256,
        digestAlgorithm: ALGORITHM.sha256,
        transforms: [ALGORITHM.envelopedSignature, ALGORITHM.c14n],
      });
      const outcome = await post(t, toBase64(signed));
      assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  test('two Signature elements on the assertion are SP_SIGNATURE_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) => {
        const assertion = firstElement(doc, NS.saml, 'Assertion');
        const signature = firstElement(assertion, NS.ds, 'Signature');
        assertion.insertBefore(signature.cloneNode(true), signature);
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });
});
