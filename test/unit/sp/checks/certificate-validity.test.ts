import { describe, test } from 'node:test';
import { generateTestCertificate } from '../../../../src/core/saml/certs.js';
import { assertCheck, assertRefusedBy, assertSignedIn, post, signing, withCore } from '../../../_helpers/check-assert.js';
import { NOW } from '../../../_helpers/sp-core.js';

const DAY = 86_400_000;

describe('certificate-validity check', () => {
  test('a certificate valid now passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'certificate-validity', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('an expired but trusted certificate is a warning (SP_SIGNATURE_CERT_EXPIRED) and the sign-in succeeds', async () => {
    const expired = await generateTestCertificate({
      commonName: 'Microsoft Azure Federated SSO Certificate',
      days: 1,
      notBefore: new Date(NOW.getTime() - 30 * DAY),
    });
    await withCore({ profile: { idpCertificates: [expired.certPem] } }, async (t) => {
      const outcome = await post(t, t.respond({ signing: signing({ key: expired.keyPem, cert: expired.certPem }) }));
      assertCheck(outcome, 'signature', 'pass');
      assertCheck(outcome, 'certificate-validity', 'warn', 'SP_SIGNATURE_CERT_EXPIRED');
      assertSignedIn(outcome);
    });
  });

  test('a certificate not valid yet is also reported (SP_SIGNATURE_CERT_EXPIRED) without refusing', async () => {
    const future = await generateTestCertificate({
      commonName: 'Microsoft Azure Federated SSO Certificate',
      days: 365,
      notBefore: new Date(NOW.getTime() + 2 * DAY),
    });
    await withCore({ profile: { idpCertificates: [future.certPem] } }, async (t) => {
      const outcome = await post(t, t.respond({ signing: signing({ key: future.keyPem, cert: future.certPem }) }));
      assertCheck(outcome, 'certificate-validity', 'warn', 'SP_SIGNATURE_CERT_EXPIRED');
      assertSignedIn(outcome);
    });
  });

  test('an expired certificate that is not trusted still fails the signature check', async () => {
    const expired = await generateTestCertificate({ commonName: 'attacker', days: 1, notBefore: new Date(NOW.getTime() - 30 * DAY) });
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ signing: signing({ key: expired.keyPem, cert: expired.certPem }) }));
      assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_UNTRUSTED_CERT');
      assertCheck(outcome, 'certificate-validity', 'skip');
    });
  });
});
