/**
 * The inputs that made patterns backtrack, fed to the code that replaced them. Nothing here measures
 * time: each input is large enough that a quadratic matcher would run for minutes, so a regression
 * trips the per-test timeout instead of a flaky stopwatch.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NS } from '../../../src/core/saml/constants.js';
import { isDomainName, isEmailAddress } from '../../../src/core/saml/email-address.js';
import { parseXmlSafely } from '../../../src/core/saml/xml.js';
import type { CheckContext } from '../../../src/core/sp/checks/check-context.js';
import { checkNameId } from '../../../src/core/sp/checks/name-id.check.js';
import { readResponseFacts } from '../../../src/core/sp/response-facts.js';
import { trimTrailingSlashes } from '../../../src/core/text.js';
import { newTenantSchema } from '../../../src/http/idp/idp-api.schemas.js';
import { formatXmlForDisplay } from '../../../src/http/render.js';
import { domainSchema } from '../../../src/http/schemas/account.schemas.js';
import { splitCertificateText } from '../../../src/http/schemas/console-profile.schemas.js';
import { emailSchema } from '../../../src/http/schemas/directory.schemas.js';
import { parseIpv6 } from '../../../src/net/address-guard.js';
import { assertRefusedBy, firstElement, post, tamper, withCore } from '../../_helpers/check-assert.js';
import { buildSignedTestResponse, mutateResponseXml } from '../../_helpers/idp-signer.js';
import { NOW, URLS } from '../../_helpers/sp-core.js';

/**
 * 202 kB that /^[^\s@…]+@[^\s@…]+\.[^\s@…]+$/ takes about 80 s to refuse: every dot of the domain is
 * a place to split it, and the second @ makes every split fail only at the end.
 */
const PATHOLOGICAL_NAMEID = `a@a${'.a'.repeat(101_000)}.@..a`;
const LARGE = 200_000;

function readNameIdFacts(value: string): CheckContext {
  const { xml } = buildSignedTestResponse({
    now: NOW,
    acsUrl: URLS.localAcsUrl,
    audience: URLS.entraIdentifier,
    email: 'b.simon@contoso.com',
  });
  const changed = mutateResponseXml(xml, (doc) => {
    firstElement(doc, NS.saml, 'NameID').textContent = value;
  });
  // Only the facts are read by the name-id check.
  return { facts: readResponseFacts(parseXmlSafely(changed, { maxBytes: 512 * 1024 })) } as CheckContext;
}

describe('pathological input is refused without backtracking', () => {
  test('the 202 kB NameID is SP_NAMEID_NOT_EMAIL from the name-id check', { timeout: 5000 }, () => {
    assert.ok(PATHOLOGICAL_NAMEID.length > 200_000);
    const result = checkNameId(readNameIdFacts(PATHOLOGICAL_NAMEID));
    assert.equal(result.status, 'fail');
    assert.equal(result.code, 'SP_NAMEID_NOT_EMAIL');
  });

  test('the same NameID posted to the ACS in a forged response is refused by the name-id check', { timeout: 20_000 }, async () => {
    await withCore({}, async (t) => {
      const forged = tamper(t.respond(), (doc) => {
        firstElement(doc, NS.saml, 'NameID').textContent = PATHOLOGICAL_NAMEID;
      });
      assertRefusedBy(await post(t, forged), 'name-id', 'SP_NAMEID_NOT_EMAIL');
    });
  });

  test('a directory address of the same shape is refused by the schema (the length bound aborts first)', { timeout: 5000 }, () => {
    const result = emailSchema.safeParse(PATHOLOGICAL_NAMEID);
    assert.equal(result.success, false);
    assert.deepEqual(
      result.error?.issues.map((i) => i.code),
      ['too_big'],
    );
    // Within the bound the scanner answers, not a pattern.
    assert.equal(isEmailAddress(`a@a${'.a'.repeat(120)}.@..a`), false);
  });

  test('domain names: the account and tenant schemas refuse long dotted input', { timeout: 5000 }, () => {
    const dotted = `a${'.a'.repeat(LARGE)}!`;
    assert.equal(isDomainName(dotted), false);
    assert.equal(domainSchema.safeParse(dotted).success, false);
    assert.equal(newTenantSchema.safeParse({ name: dotted }).success, false);
  });

  test('trailing slashes, XML tags, PEM blocks and IPv6 zones', { timeout: 5000 }, () => {
    const slashes = `${'/'.repeat(LARGE)}x/`;
    assert.equal(trimTrailingSlashes(slashes), slashes.slice(0, -1));
    const openings = '<'.repeat(LARGE);
    // The trace view's formatter reads each character once and clips its output.
    assert.ok(formatXmlForDisplay(openings).length <= openings.length + 200);
    const begins = '-----BEGIN CERTIFICATE-----'.repeat(LARGE / 20);
    assert.deepEqual(splitCertificateText(begins), [begins]);
    // The zone is cut at its first '%', whatever follows.
    assert.deepEqual(parseIpv6(`::1${'%'.repeat(LARGE)}\n%`), [0, 0, 0, 0, 0, 0, 0, 1]);
  });
});
