import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideAdminAccess, isLoopbackPeer } from '../../../src/http/middleware/admin-token.middleware.js';

const TOKEN = 'unit-test-admin-token';

describe('decideAdminAccess', () => {
  test('with a token configured, the token decides and the peer does not', () => {
    for (const peerAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '203.0.113.7', undefined]) {
      assert.deepEqual(
        decideAdminAccess({ configuredToken: TOKEN, presentedToken: null, peerAddress }),
        { allowed: false, code: 'ADMIN_TOKEN_REQUIRED' },
        String(peerAddress),
      );
      assert.deepEqual(
        decideAdminAccess({ configuredToken: TOKEN, presentedToken: '', peerAddress }),
        { allowed: false, code: 'ADMIN_TOKEN_REQUIRED' },
        String(peerAddress),
      );
      assert.deepEqual(
        decideAdminAccess({ configuredToken: TOKEN, presentedToken: `${TOKEN}x`, peerAddress }),
        { allowed: false, code: 'ADMIN_TOKEN_INVALID' },
        String(peerAddress),
      );
      assert.deepEqual(
        decideAdminAccess({ configuredToken: TOKEN, presentedToken: TOKEN, peerAddress }),
        { allowed: true },
        String(peerAddress),
      );
    }
  });

  test('without a token, only a loopback peer passes, and a presented token changes nothing', () => {
    for (const configuredToken of [null, '']) {
      assert.deepEqual(decideAdminAccess({ configuredToken, presentedToken: null, peerAddress: '127.0.0.1' }), { allowed: true });
      assert.deepEqual(decideAdminAccess({ configuredToken, presentedToken: null, peerAddress: '10.0.0.5' }), {
        allowed: false,
        code: 'ADMIN_LOOPBACK_ONLY',
      });
      assert.deepEqual(decideAdminAccess({ configuredToken, presentedToken: 'anything', peerAddress: '192.0.2.1' }), {
        allowed: false,
        code: 'ADMIN_LOOPBACK_ONLY',
      });
      assert.deepEqual(decideAdminAccess({ configuredToken, presentedToken: null, peerAddress: undefined }), {
        allowed: false,
        code: 'ADMIN_LOOPBACK_ONLY',
      });
    }
  });
});

describe('isLoopbackPeer', () => {
  test('accepts 127/8, ::1 and the IPv4-mapped form of 127/8', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:127.0.0.9'])
      assert.equal(isLoopbackPeer(address), true, address);
  });

  test('refuses every other address, including names and embedded forms a socket never reports for this machine', () => {
    for (const address of [
      '10.0.0.1',
      '192.168.1.10',
      '0.0.0.0',
      '::',
      '::ffff:10.0.0.1',
      '::127.0.0.1',
      '64:ff9b::7f00:1',
      'fe80::1',
      'localhost',
      '127.0.0.1.evil.example',
      '',
      undefined,
    ]) {
      assert.equal(isLoopbackPeer(address), false, String(address));
    }
  });
});
