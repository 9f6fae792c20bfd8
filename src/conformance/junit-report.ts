/**
 * JUnit XML for CI systems (the de-facto schema Jenkins, GitLab and GitHub reporters read): one
 * testsuite, one testcase per conformance case, a <failure> for every case that did not pass.
 */
import { escapeXml } from '../core/saml/xml.js';
import type { CaseResult, ConformanceReport } from './types.js';

// XML 1.0 section 2.2: these characters cannot appear in a document at all, escaped or not.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe for XML character data and double-quoted attributes: illegal characters dropped, markup escaped. */
export function escapeJunitText(value: string): string {
  return escapeXml(value.replace(NOT_XML_CHAR, '\uFFFD'));
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function describeResult(r: CaseResult): string {
  return [
    `reference: ${r.reference}`,
    `expected: ${r.expected}${r.expectedCode ? ` (${r.expectedCode})` : ''}`,
    `actual: ${r.actual}${r.codes.length ? ` (${r.codes.join(', ')})` : ''}`,
    `failed checks: ${r.failedChecks.map((c) => `${c.id}${c.code ? `=${c.code}` : ''}`).join(', ') || 'none'}`,
    `node-saml alone: ${r.nodeSamlAlone}`,
    `HTTP ${r.http.status}${r.http.location ? ` -> ${r.http.location}` : ''}${r.http.sessionCookie ? ', session cookie set' : ''}`,
  ].join('\n');
}

function buildTestCase(r: CaseResult): string {
  const head = `    <testcase classname="mock-mimecast.conformance" name="${escapeJunitText(`${r.id}: ${r.title}`)}" time="${seconds(r.durationMs)}">`;
  const failure = r.pass
    ? ''
    : `\n      <failure message="${escapeJunitText(r.problem ?? 'failed')}" type="${r.actual === 'accepted' && r.expected === 'refused' ? 'HostileMessageSignedIn' : 'UnexpectedOutcome'}">${escapeJunitText(describeResult(r))}</failure>`;
  return `${head}${failure}\n      <system-out>${escapeJunitText(describeResult(r))}</system-out>\n    </testcase>`;
}

/** The report as a JUnit XML document (UTF-8). */
export function buildJunitXml(report: ConformanceReport): string {
  const attrs = `name="mock-mimecast conformance" tests="${report.total}" failures="${report.failed}" errors="0" skipped="0" time="${seconds(report.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs}>`,
    `  <testsuite ${attrs} timestamp="${escapeJunitText(report.startedAt)}">`,
    ...report.results.map(buildTestCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
