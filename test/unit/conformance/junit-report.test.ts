import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildJunitXml, escapeJunitText } from '../../../src/conformance/junit-report.js';
import type { CaseResult, ConformanceReport } from '../../../src/conformance/types.js';
import { NS } from '../../../src/core/saml/constants.js';
import { parseXmlSafely } from '../../../src/core/saml/xml.js';

const HOSTILE_TEXT = `<script>alert("x")</script> & ' ]]> <!-- --> \u0000\u0001\u001f \uD800 &amp; <![CDATA[x]]> <!DOCTYPE x>`;

function buildResult(overrides: Partial<CaseResult>): CaseResult {
  return {
    id: 'xsw3-evil-assertion-before-signed',
    title: 'XSW3',
    reference: 'XSW3 (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    actual: 'refused',
    codes: ['SP_ASSERTION_COUNT', 'SP_SIGNATURE_MISSING'],
    failedChecks: [{ id: 'single-assertion', code: 'SP_ASSERTION_COUNT' }],
    nodeSamlAlone: 'refused',
    http: { status: 403, location: null, sessionCookie: false, traceOutcome: 'failure' },
    pass: true,
    problem: null,
    durationMs: 12,
    ...overrides,
  };
}

function buildReport(results: CaseResult[]): ConformanceReport {
  const failed = results.filter((r) => !r.pass).length;
  return {
    startedAt: '2027-03-01T10:00:00.000Z',
    durationMs: 1234,
    total: results.length,
    passed: results.length - failed,
    failed,
    hostileSignedIn: [],
    results,
  };
}

function testcases(doc: Document): Element[] {
  return Array.from(doc.getElementsByTagName('testcase'));
}

describe('JUnit report', () => {
  it('is well-formed XML that the safe parser reads back, with hostile text in every field', () => {
    const hostile = buildResult({
      id: 'hostile-case',
      title: HOSTILE_TEXT,
      reference: HOSTILE_TEXT,
      actual: 'accepted',
      pass: false,
      problem: HOSTILE_TEXT,
      http: { status: 303, location: HOSTILE_TEXT, sessionCookie: true, traceOutcome: 'success' },
    });
    const doc = parseXmlSafely(buildJunitXml(buildReport([buildResult({}), hostile])));
    assert.equal(doc.documentElement?.localName, 'testsuites');
    assert.equal(doc.documentElement?.namespaceURI ?? null, null);
    assert.equal(doc.getElementsByTagNameNS(NS.saml, '*').length, 0);
    const [ok, bad] = testcases(doc);
    assert.ok(ok && bad);
    assert.equal(ok.getElementsByTagName('failure').length, 0);
    const failure = bad.getElementsByTagName('failure').item(0);
    assert.ok(failure);
    assert.equal(failure.getAttribute('type'), 'HostileMessageSignedIn');
    // Markup in the text comes back as text, not as elements.
    assert.equal(doc.getElementsByTagName('script').length, 0);
    assert.ok(bad.getAttribute('name')?.startsWith('hostile-case: <script>alert("x")</script> & \' ]]>'));
    assert.ok(failure.getAttribute('message')?.includes('<!DOCTYPE x>'));
  });

  it('counts tests and failures on the suite', () => {
    const doc = parseXmlSafely(
      buildJunitXml(
        buildReport([buildResult({}), buildResult({ id: 'b', pass: false, problem: 'refused, but without SP_ASSERTION_COUNT' })]),
      ),
    );
    const suite = doc.getElementsByTagName('testsuite').item(0);
    assert.equal(suite?.getAttribute('tests'), '2');
    assert.equal(suite?.getAttribute('failures'), '1');
    const failure = testcases(doc)[1]?.getElementsByTagName('failure').item(0);
    assert.equal(failure?.getAttribute('type'), 'UnexpectedOutcome');
  });

  it('escapes markup and replaces characters XML 1.0 cannot carry', () => {
    assert.equal(escapeJunitText(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    assert.equal(escapeJunitText('a\u0000b\u0008c\uD800d\uFFFEe'), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    assert.equal(escapeJunitText('tab\tline\nreturn\r😀'), 'tab\tline\nreturn\r😀');
  });
});
