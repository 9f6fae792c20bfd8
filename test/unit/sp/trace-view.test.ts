import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildCaptureFileName,
  buildCheckCommand,
  type CheckCommandSetup,
  describeTraceLabels,
  describeTraceLink,
  findSignedElements,
  markSignedIds,
} from '../../../src/core/sp/trace-view.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';

function signature(uri: string | null): string {
  const reference = uri === null ? '' : `<ds:Reference URI="${uri}"/>`;
  return `<ds:Signature xmlns:ds="${DS}"><ds:SignedInfo>${reference}</ds:SignedInfo></ds:Signature>`;
}

function response(inner: { responseSig?: string; assertionSig?: string }): string {
  return [
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" InResponseTo="_a1">',
    inner.responseSig ?? '',
    `<saml:Assertion ID="_a1">${inner.assertionSig ?? ''}</saml:Assertion>`,
    '</samlp:Response>',
  ].join('');
}

describe('findSignedElements', () => {
  test('no XML, or XML that does not parse, has no signed elements', () => {
    assert.deepEqual(findSignedElements(null), []);
    assert.deepEqual(findSignedElements('<samlp:Response'), []);
  });

  test('XML the safe parser refuses (a DTD) has none either, whatever it carries', () => {
    const withDtd = `<!DOCTYPE r [<!ENTITY x "y">]>${response({ assertionSig: signature('#_a1') })}`;
    assert.deepEqual(findSignedElements(withDtd), []);
  });

  test('an unsigned response has none', () => {
    assert.deepEqual(findSignedElements(response({})), []);
  });

  test("Entra's default: the assertion carries the signature, its Reference points at the assertion", () => {
    assert.deepEqual(findSignedElements(response({ assertionSig: signature('#_a1') })), [
      { element: 'Assertion', id: '_a1', reference: '#_a1' },
    ]);
  });

  test('response and assertion both signed: each element, in document order', () => {
    const xml = response({ responseSig: signature('#_r1'), assertionSig: signature('#_a1') });
    assert.deepEqual(findSignedElements(xml), [
      { element: 'Response', id: '_r1', reference: '#_r1' },
      { element: 'Assertion', id: '_a1', reference: '#_a1' },
    ]);
  });

  test('what is shown is what the XML says: a Reference elsewhere, or none, is reported as found', () => {
    assert.deepEqual(findSignedElements(response({ assertionSig: signature('#_other') })), [
      { element: 'Assertion', id: '_a1', reference: '#_other' },
    ]);
    assert.deepEqual(findSignedElements(response({ assertionSig: signature(null) })), [
      { element: 'Assertion', id: '_a1', reference: null },
    ]);
  });

  test('a signed element without an ID has id null', () => {
    const xml = `<Envelope>${signature('')}</Envelope>`;
    assert.deepEqual(findSignedElements(xml), [{ element: 'Envelope', id: null, reference: '' }]);
  });
});

describe('markSignedIds', () => {
  const text = '<samlp:Response ID="_r1" InResponseTo="_a1">\n  <saml:Assertion ID="_a1">\n    <ds:Reference URI="#_a1"/>';

  function marked(segments: { text: string; mark: boolean }[]): string[] {
    return segments.filter((s) => s.mark).map((s) => s.text);
  }

  test('without ids the text is one unmarked segment', () => {
    assert.deepEqual(markSignedIds(text, []), [{ text, mark: false }]);
  });

  test("marks the signed element's ID and the Reference URI to it, and nothing else", () => {
    const segments = markSignedIds(text, ['_a1']);
    assert.deepEqual(marked(segments), ['ID="_a1"', 'URI="#_a1"']);
    // InResponseTo="_a1" carries the same value but is not an ID attribute.
    assert.equal(segments.map((s) => s.text).join(''), text);
  });

  test('several ids, both quote styles', () => {
    const single = `<Response ID='_r1'><Reference URI='#_r1'/><Assertion ID="_a1"/></Response>`;
    assert.deepEqual(marked(markSignedIds(single, ['_r1', '_a1'])), ["ID='_r1'", "URI='#_r1'", 'ID="_a1"']);
  });

  test('an attribute merely ending in ID (ResponseID, xID) is not marked: the match needs a space before it', () => {
    assert.deepEqual(marked(markSignedIds('<a ResponseID="_x" xID="_x" ID="_x"/>', ['_x'])), ['ID="_x"']);
  });

  test('mismatched quotes are not an attribute value and are not marked', () => {
    assert.deepEqual(marked(markSignedIds(`<a ID="_x'/>`, ['_x'])), []);
  });

  test('an id is matched literally, not as a pattern', () => {
    assert.deepEqual(marked(markSignedIds('<a ID="_a.b"/><b ID="_aXb"/>', ['_a.b'])), ['ID="_a.b"']);
    assert.deepEqual(marked(markSignedIds('<a ID="(x)+"/>', ['(x)+'])), ['ID="(x)+"']);
  });

  test('an id that is a prefix of another is matched whole', () => {
    assert.deepEqual(marked(markSignedIds('<a ID="_a1"/><b ID="_a12"/>', ['_a1'])), ['ID="_a1"']);
  });
});

describe('buildCaptureFileName', () => {
  test('names the trace, with characters unsafe in a header or a shell replaced', () => {
    assert.equal(buildCaptureFileName('tr_01-a.b'), 'mimecast-trace-tr_01-a.b.txt');
    assert.equal(buildCaptureFileName(`a b/"c';$(d)`), 'mimecast-trace-a_b__c____d_.txt');
  });
});

describe('buildCheckCommand', () => {
  const trace = { id: 'tr1', kind: 'response' as const, createdAt: '2025-01-02T03:04:05.000Z' };
  const urls = { localAcsUrl: 'http://localhost:3000/login/saml', identifier: 'https://eu-api.mimecast.com/sso/CUK123' };
  const base = 'http://mock.test';

  function setup(profile: CheckCommandSetup['profile'], withUrls = true): CheckCommandSetup {
    return { profile, urls: withUrls ? urls : null, publicBaseUrl: base };
  }

  test('only a response can be re-checked', () => {
    for (const kind of ['authn-request', 'logout-request', 'logout-response'] as const) {
      assert.equal(buildCheckCommand({ ...trace, kind }, setup({ metadataUrl: 'https://x', issuerUrl: null })), null);
    }
  });

  test('with a Metadata URL the command reads the metadata, and needs no certificate file', () => {
    const command = buildCheckCommand(
      trace,
      setup({ metadataUrl: 'https://login.example/md.xml?appid=1', issuerUrl: 'https://sts.example/' }),
    );
    assert.deepEqual(command, {
      line: "mock-mimecast check mimecast-trace-tr1.txt --metadata 'https://login.example/md.xml?appid=1' --acs 'http://localhost:3000/login/saml' --audience 'https://eu-api.mimecast.com/sso/CUK123' --now '2025-01-02T03:04:05.000Z'",
      needsCertFile: false,
    });
  });

  test('without one it reads a certificate file, with the Issuer URL when the profile has it', () => {
    const withIssuer = buildCheckCommand(trace, setup({ metadataUrl: null, issuerUrl: 'https://sts.example/' }));
    assert.equal(withIssuer?.needsCertFile, true);
    assert.match(withIssuer?.line ?? '', / --cert idp-certificate\.pem --issuer 'https:\/\/sts\.example\/' --acs /);
    const bare = buildCheckCommand(trace, setup({ metadataUrl: '', issuerUrl: null }));
    assert.equal(bare?.needsCertFile, true);
    assert.match(bare?.line ?? '', / --cert idp-certificate\.pem --acs /);
  });

  test('with no account (or no profile) the ACS is this harness and the audience a placeholder', () => {
    const command = buildCheckCommand(trace, setup(null, false));
    assert.deepEqual(command, {
      line: "mock-mimecast check mimecast-trace-tr1.txt --cert idp-certificate.pem --acs 'http://mock.test/login/saml' --audience 'https://eu-api.mimecast.com/sso/<ACCOUNTCODE>' --now '2025-01-02T03:04:05.000Z'",
      needsCertFile: true,
    });
  });

  test('values are single-quoted for the shell, a quote inside included', () => {
    const command = buildCheckCommand(trace, setup({ metadataUrl: "https://x/it's;$(rm)", issuerUrl: null }));
    assert.match(command?.line ?? '', / --metadata 'https:\/\/x\/it'\\''s;\$\(rm\)' /);
  });
});

describe("the SSO log's labels of a trace", () => {
  const base = { createdAt: '2027-03-01T10:02:03.456Z', accountCode: 'CUK12A34' };

  test('an Open link names what it opens, for whom and when, starting with its visible text', () => {
    const response = describeTraceLink({ ...base, kind: 'response', outcome: 'failure', summary: { nameId: 'b.simon@contoso.com' } });
    assert.ok(response.startsWith('Open '), response);
    assert.ok(response.includes('b.simon@contoso.com') && response.includes('2027-03-01 10:02:03 UTC'), response);
    const request = describeTraceLink({ ...base, kind: 'authn-request', outcome: 'sent', summary: {} });
    assert.ok(request.includes('AuthnRequest') && request.includes('CUK12A34'), request);
    assert.notEqual(request, describeTraceLink({ ...base, kind: 'logout-request', outcome: 'sent', summary: {} }));
  });

  test('requests are labelled Request ID and, with no checks, have no tally', () => {
    assert.deepEqual(describeTraceLabels({ kind: 'authn-request', outcome: 'sent', checks: [] }).idLabel, 'Request ID');
    assert.ok(describeTraceLabels({ kind: 'authn-request', outcome: 'sent', checks: [] }).noChecksNote);
    assert.equal(describeTraceLabels({ kind: 'logout-request', outcome: 'sent', checks: [] }).idLabel, 'Request ID');
    const check = { id: 'status', title: '', status: 'pass', message: '', specRef: '' } as const;
    assert.deepEqual(describeTraceLabels({ kind: 'response', outcome: 'failure', checks: [check] }), {
      idLabel: 'Response ID',
      noChecksNote: null,
    });
    assert.equal(describeTraceLabels({ kind: 'logout-response', outcome: 'sent', checks: [] }).idLabel, 'Response ID');
  });
});
