/**
 * Identities compare case-insensitively in ASCII only. Each look-alike below equals an ASCII address
 * under toLowerCase, toUpperCase or NFKC, so a lookup through any of them would sign the look-alike in
 * as somebody else (here, an administrator).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../../src/core/errors.js';
import { readLogoutMessageFacts } from '../../../src/core/saml/logout-messages.js';
import { parseXmlSafely } from '../../../src/core/saml/xml.js';
import { checkLogoutPrincipal } from '../../../src/core/sp/checks/logout/index.js';
import type { SignedInSession } from '../../../src/core/sp/context.js';
import { resolveAccountByEmail } from '../../../src/core/sp/sign-in.js';
import { idpMigrations } from '../../../src/store/idp/idp-migrations.js';
import { createSqliteIdpStores } from '../../../src/store/idp/index.js';
import { createSqliteStores } from '../../../src/store/index.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';
import { applyMigrations, migrations } from '../../../src/store/sqlite/migrations.js';
import { assertCheck, assertRefusedBy, assertSignedIn, post, withCore } from '../../_helpers/check-assert.js';
import { ACCOUNT, NOW } from '../../_helpers/sp-core.js';

const KELVIN_KATE = '\u212Aate@contoso.com';
const LONG_S_SAM = '\u017Fam@contoso.com';
const DOTLESS_ADMIN = 'adm\u0131n@contoso.com';
const CREATED = NOW.toISOString();

/** The administrators a look-alike would become, and the look-alike of each. */
const LOOK_ALIKES: readonly { victim: string; lookAlike: string }[] = [
  { victim: 'kate@contoso.com', lookAlike: KELVIN_KATE },
  { victim: 'sam@contoso.com', lookAlike: LONG_S_SAM },
  { victim: 'admin@contoso.com', lookAlike: DOTLESS_ADMIN },
];

function buildAdmin(email: string) {
  return {
    accountCode: ACCOUNT.code,
    email,
    globalName: email,
    forceChangeAtLogin: false,
    roles: ['Super Administrator'],
    createdAt: CREATED,
  };
}

describe('SP directory: ASCII-only case folding', () => {
  test('a look-alike address finds no user; the ASCII address finds its user in any ASCII case', async () => {
    const stores = createMemoryStores();
    try {
      await stores.accounts.create(ACCOUNT);
      for (const { victim, lookAlike } of LOOK_ALIKES) {
        await stores.directory.create(buildAdmin(victim), null);
        assert.equal(await stores.directory.find(ACCOUNT.code, lookAlike), null, lookAlike);
        assert.equal((await stores.directory.find(ACCOUNT.code, victim.toUpperCase()))?.email, victim);
        assert.equal(await stores.directory.verifyPassword(ACCOUNT.code, lookAlike, 'x'), false);
        assert.equal(await stores.directory.delete(ACCOUNT.code, lookAlike), false);
      }
    } finally {
      await stores.close();
    }
  });

  test('an address with non-ASCII letters is stored and matched exactly, modulo A-Z only', async () => {
    const stores = createMemoryStores();
    try {
      await stores.accounts.create(ACCOUNT);
      await stores.directory.create(buildAdmin('Jürgen@contoso.com'), null);
      assert.equal((await stores.directory.find(ACCOUNT.code, 'jüRGEN@CONTOSO.COM'))?.email, 'Jürgen@contoso.com');
      assert.equal(await stores.directory.find(ACCOUNT.code, 'JÜRGEN@contoso.com'), null, 'Ü is not folded');
      assert.equal(await stores.directory.find(ACCOUNT.code, 'Ju\u0308rgen@contoso.com'), null, 'no normalisation either');
      // A look-alike of an existing address is a different address, not a duplicate of it.
      await stores.directory.create(buildAdmin('kate@contoso.com'), null);
      await stores.directory.create({ ...buildAdmin(KELVIN_KATE), roles: [] }, null);
      assert.deepEqual((await stores.directory.find(ACCOUNT.code, KELVIN_KATE))?.roles, []);
      assert.deepEqual((await stores.directory.find(ACCOUNT.code, 'KATE@contoso.com'))?.roles, ['Super Administrator']);
      await assert.rejects(
        stores.directory.create(buildAdmin('KATE@CONTOSO.COM'), null),
        (err: unknown) => err instanceof AppError && err.code === 'USER_EXISTS',
      );
    } finally {
      await stores.close();
    }
  });

  test('domain routing: a look-alike domain is no domain of the account', async () => {
    const stores = createMemoryStores();
    try {
      await stores.accounts.create({ ...ACCOUNT, domains: ['contoso.com', 'Fabrikam.com'] });
      assert.equal((await stores.accounts.findByDomain('FABRIKAM.COM'))?.code, ACCOUNT.code);
      assert.equal(await stores.accounts.findByDomain('fabri\u212Aam.com'), null);
      assert.equal(await stores.accounts.findByDomain('contoſo.com'), null);
      assert.deepEqual((await stores.accounts.get(ACCOUNT.code))?.domains, ['contoso.com', 'fabrikam.com']);
    } finally {
      await stores.close();
    }
  });

  test('sign-in by email: a look-alike domain names no account', async () => {
    await withCore({}, async (t) => {
      await t.stores.accounts.update({ ...ACCOUNT, domains: ['contoso.com', 'fabrikam.com'] });
      assert.equal((await resolveAccountByEmail(t.ctx, 'b.simon@FABRIKAM.com')).account.code, ACCOUNT.code);
      await assert.rejects(
        resolveAccountByEmail(t.ctx, 'b.simon@fabri\u212Aam.com'),
        (err: unknown) => err instanceof AppError && err.code === 'ACCOUNT_NOT_FOUND_FOR_EMAIL',
      );
    });
  });

  test('the ACS: a signed look-alike NameID is SP_USER_NOT_FOUND, never the administrator it resembles', async () => {
    await withCore({}, async (t) => {
      for (const { victim, lookAlike } of LOOK_ALIKES) {
        await t.stores.directory.create(buildAdmin(victim), null);
        const outcome = await post(t, t.respond({ email: lookAlike }));
        assertCheck(outcome, 'signature', 'pass');
        assertRefusedBy(outcome, 'directory-user', 'SP_USER_NOT_FOUND');
        assert.equal(outcome.trace.outcome, 'failure');
      }
      // The ASCII spelling in another case still signs in, as the administrator it is.
      const session = assertSignedIn(await post(t, t.respond({ email: 'KATE@contoso.com' })));
      assert.equal(session.email, 'kate@contoso.com');
      assert.equal(session.isAdministrator, true);
    });
  });

  test('single logout: a look-alike NameID does not name the signed-in session', () => {
    const session = { nameId: 'kate@contoso.com', sessionIndex: null } as SignedInSession;
    const facts = (nameId: string) =>
      readLogoutMessageFacts(
        parseXmlSafely(
          `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l1" Version="2.0"><saml:NameID>${nameId}</saml:NameID></samlp:LogoutRequest>`,
        ),
      );
    assert.equal(checkLogoutPrincipal(facts('KATE@contoso.com'), session).status, 'pass');
    const refused = checkLogoutPrincipal(facts(KELVIN_KATE), session);
    assert.equal(refused.status, 'fail');
    assert.equal(refused.code, 'SP_LOGOUT_UNKNOWN_PRINCIPAL');
  });

  test('keys written by toLowerCase before this release are recomputed on upgrade', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-fold-'));
    const path = join(dir, 'old.sqlite');
    try {
      const old = new BetterSqlite3(path);
      applyMigrations(
        old,
        migrations.filter((m) => m.version < 3),
      );
      old.prepare("INSERT INTO accounts (code, region, name, created_at) VALUES (?, 'eu', 'Contoso', ?)").run(ACCOUNT.code, CREATED);
      old.prepare('INSERT INTO account_domains (domain, account_code) VALUES (?, ?)').run('contoso.com', ACCOUNT.code);
      // What the old key function stored for the Kelvin-sign address: the key of kate@contoso.com.
      old
        .prepare(
          "INSERT INTO directory_users (account_code, email_lower, email, global_name, roles_json, created_at) VALUES (?, ?, ?, 'K', '[\"Super Administrator\"]', ?)",
        )
        .run(ACCOUNT.code, KELVIN_KATE.toLowerCase(), KELVIN_KATE, CREATED);
      old.close();

      const stores = createSqliteStores(path);
      try {
        assert.equal(await stores.directory.find(ACCOUNT.code, 'kate@contoso.com'), null);
        assert.equal((await stores.directory.find(ACCOUNT.code, KELVIN_KATE))?.email, KELVIN_KATE);
        await stores.directory.create(buildAdmin('kate@contoso.com'), null);
        assert.equal((await stores.directory.list(ACCOUNT.code)).length, 2);
      } finally {
        await stores.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('SP: only XML white space is trimmed from an identity', () => {
  // Each of these is white space to String.prototype.trim but an ordinary character to XML.
  const PADDED = [
    'kate@contoso.com\u00A0',
    'kate@contoso.com\uFEFF',
    '\u3000kate@contoso.com',
    'kate@contoso.com\u2007',
    '\u202Fkate@contoso.com',
  ];

  test('the ACS: a signed NameID of an admin address padded with U+00A0, U+FEFF, U+3000 … is refused, never the admin', async () => {
    await withCore({}, async (t) => {
      await t.stores.directory.create(buildAdmin('kate@contoso.com'), null);
      for (const padded of PADDED) {
        const outcome = await post(t, t.respond({ email: padded }));
        assertCheck(outcome, 'signature', 'pass');
        assertCheck(outcome, 'node-saml', 'pass');
        assertRefusedBy(outcome, 'name-id', 'SP_NAMEID_NOT_EMAIL');
        assertCheck(outcome, 'directory-user', 'fail', 'SP_USER_NOT_FOUND');
        assert.equal(outcome.trace.summary.nameId, padded);
      }
    });
  });

  test('the directory: a padded address finds no user; XML white space around an address still does', async () => {
    const stores = createMemoryStores();
    try {
      await stores.accounts.create(ACCOUNT);
      await stores.directory.create(buildAdmin('kate@contoso.com'), null);
      for (const padded of PADDED) assert.equal(await stores.directory.find(ACCOUNT.code, padded), null, JSON.stringify(padded));
      assert.equal((await stores.directory.find(ACCOUNT.code, ' \tKATE@contoso.com\r\n'))?.email, 'kate@contoso.com');
    } finally {
      await stores.close();
    }
  });

  test('single logout: a padded NameID does not name the signed-in session', () => {
    const session = { nameId: 'kate@contoso.com', sessionIndex: null } as SignedInSession;
    for (const padded of PADDED) {
      const facts = readLogoutMessageFacts(
        parseXmlSafely(
          `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l1" Version="2.0"><saml:NameID>${padded}</saml:NameID></samlp:LogoutRequest>`,
        ),
      );
      assert.equal(checkLogoutPrincipal(facts, session).code, 'SP_LOGOUT_UNKNOWN_PRINCIPAL', JSON.stringify(padded));
    }
  });
});

describe('mock Entra directory: ASCII-only case folding', () => {
  test('UPN keys written by toLowerCase before this release are recomputed on upgrade', async () => {
    const db = new BetterSqlite3(':memory:');
    try {
      const first = idpMigrations.find((m) => m.version === 1);
      assert.ok(first);
      db.exec(first.sql);
      db.exec('CREATE TABLE idp_schema_version (version INTEGER NOT NULL); INSERT INTO idp_schema_version (version) VALUES (1)');
      const tenantId = 'c0a1b2c3-d4e5-4f60-8a1b-2c3d4e5f6a7b';
      db.prepare('INSERT INTO idp_tenants (tenant_id, name, json) VALUES (?, ?, ?)').run(
        tenantId,
        'contoso.onmicrosoft.com',
        JSON.stringify({ tenantId, name: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.com'], createdAt: CREATED }),
      );
      const user = {
        tenantId,
        userPrincipalName: KELVIN_KATE,
        objectId: 'o-1',
        displayName: 'K',
        mail: null,
        authMethod: 'password',
        createdAt: CREATED,
      };
      db.prepare('INSERT INTO idp_users (tenant_id, upn_lower, object_id, json, password_hash) VALUES (?, ?, ?, ?, ?)').run(
        tenantId,
        KELVIN_KATE.toLowerCase(),
        'o-1',
        JSON.stringify(user),
        'scrypt$x',
      );

      const stores = createSqliteIdpStores(db);
      assert.equal(await stores.users.findByUpn(tenantId, 'kate@contoso.com'), null);
      assert.equal((await stores.users.findByUpn(tenantId, KELVIN_KATE))?.objectId, 'o-1');
    } finally {
      db.close();
    }
  });
});
