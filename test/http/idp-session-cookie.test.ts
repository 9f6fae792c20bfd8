import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import request from 'supertest';
import { IDP_SESSION_COOKIE_NAME } from '../../src/http/idp/idp-session.js';
import { createTestIdp } from '../_helpers/idp-harness.js';
import { spSigning } from '../_helpers/test-keys.js';

/** The IdP session's Set-Cookie attributes, lower case, after a sign-in page was opened. */
async function readSessionCookieAttributes(secureCookies: boolean): Promise<string[]> {
  const idp = await createTestIdp({ secureCookies });
  const server = createServer({ key: spSigning.key, cert: spSigning.cert }, idp.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await request(`https://127.0.0.1:${(server.address() as AddressInfo).port}`)
      .get('/myapps')
      .disableTLSCerts();
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${IDP_SESSION_COOKIE_NAME}=`));
    assert.ok(cookie, 'the sign-in page starts a session');
    return cookie.split(';').map((part) => part.trim().toLowerCase());
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await idp.close();
  }
}

describe('mock Entra session cookie', () => {
  test('with an https public URL it is SameSite=None; Secure, so the SP-initiated cross-site POST finds the session', async () => {
    const attributes = await readSessionCookieAttributes(true);
    assert.ok(attributes.includes('samesite=none'));
    assert.ok(attributes.includes('secure'));
    assert.ok(attributes.includes('httponly'));
  });

  test('on plain http it stays SameSite=Lax without Secure', async () => {
    const attributes = await readSessionCookieAttributes(false);
    assert.ok(attributes.includes('samesite=lax'));
    assert.equal(attributes.includes('secure'), false);
  });
});
