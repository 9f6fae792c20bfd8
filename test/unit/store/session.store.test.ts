import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { createFrozenClock } from '../../../src/core/clock.js';
import type { SqliteStores } from '../../../src/store/index.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';
import { DEFAULT_SESSION_TTL_MS, type SqliteSessionStore } from '../../../src/store/sqlite/session.store.js';

const START = '2025-03-01T09:00:00.000Z';
const HOUR = 60 * 60 * 1000;

// A key of its own: the app augments SessionData with fields of its own types.
type Data = session.SessionData & { rehearsalNote?: string };

function buildData(cookie: Record<string, unknown>, rehearsalNote = 'b.simon@contoso.com'): Data {
  return { cookie: cookie as unknown as session.Cookie, rehearsalNote } as Data;
}

function getSession(store: SqliteSessionStore, sid: string): Promise<Data | null> {
  return new Promise((done, fail) => store.get(sid, (err, data) => (err ? fail(err) : done((data ?? null) as Data | null))));
}

function setSession(store: SqliteSessionStore, sid: string, data: Data): Promise<void> {
  return new Promise((done, fail) => store.set(sid, data, (err) => (err ? fail(err) : done())));
}

function countSessions(store: SqliteSessionStore): Promise<number> {
  return new Promise((done, fail) => store.length((err, n) => (err ? fail(err) : done(n ?? -1))));
}

function callback(run: (cb: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((done, fail) => run((err) => (err ? fail(err) : done())));
}

describe('SqliteSessionStore', () => {
  let clock: ReturnType<typeof createFrozenClock>;
  let stores: SqliteStores;
  let store: SqliteSessionStore;
  beforeEach(() => {
    clock = createFrozenClock(START);
    stores = createMemoryStores({ clock });
    store = stores.sessionStore;
  });
  afterEach(async () => {
    await stores.close();
  });

  test('is an express-session Store', () => {
    assert.ok(store instanceof session.Store);
  });

  test('set then get returns the data; get of an unknown sid is null', async () => {
    const data = buildData({ originalMaxAge: HOUR, httpOnly: true, path: '/' });
    await setSession(store, 's1', data);
    assert.deepEqual(await getSession(store, 's1'), data);
    assert.equal(await getSession(store, 'nope'), null);
  });

  test('set replaces the data of an existing sid', async () => {
    await setSession(store, 's1', buildData({ originalMaxAge: HOUR }));
    await setSession(store, 's1', buildData({ originalMaxAge: HOUR }, 'other@contoso.com'));
    assert.equal((await getSession(store, 's1'))?.rehearsalNote, 'other@contoso.com');
    assert.equal(await countSessions(store), 1);
  });

  test('expiry follows maxAge on the store clock and an expired session is not returned', async () => {
    await setSession(store, 's1', buildData({ originalMaxAge: HOUR }));
    clock.advance(HOUR - 1);
    assert.notEqual(await getSession(store, 's1'), null);
    clock.advance(1);
    assert.equal(await getSession(store, 's1'), null);
  });

  test('expiry follows cookie.expires when there is no maxAge', async () => {
    await setSession(store, 's1', buildData({ originalMaxAge: null, expires: '2025-03-01T09:30:00.000Z' }));
    clock.set('2025-03-01T09:29:59.999Z');
    assert.notEqual(await getSession(store, 's1'), null);
    clock.set('2025-03-01T09:30:00.000Z');
    assert.equal(await getSession(store, 's1'), null);
  });

  test('a session without a lifetime lasts one day', async () => {
    await setSession(store, 's1', buildData({ originalMaxAge: null, expires: null }));
    clock.advance(DEFAULT_SESSION_TTL_MS - 1);
    assert.notEqual(await getSession(store, 's1'), null);
    clock.advance(1);
    assert.equal(await getSession(store, 's1'), null);
  });

  test('touch extends the lifetime without changing the data', async () => {
    const data = buildData({ originalMaxAge: HOUR });
    await setSession(store, 's1', data);
    clock.advance(HOUR - 1000);
    await callback((cb) => store.touch('s1', data, cb));
    clock.advance(HOUR - 1000);
    assert.deepEqual(await getSession(store, 's1'), data);
  });

  test('destroy removes one session', async () => {
    await setSession(store, 's1', buildData({ originalMaxAge: HOUR }));
    await setSession(store, 's2', buildData({ originalMaxAge: HOUR }));
    await callback((cb) => store.destroy('s1', cb));
    assert.equal(await getSession(store, 's1'), null);
    assert.notEqual(await getSession(store, 's2'), null);
  });

  test('length and all count only live sessions; clear removes every one', async () => {
    await setSession(store, 'short', buildData({ originalMaxAge: 1000 }));
    await setSession(store, 'long', buildData({ originalMaxAge: HOUR }));
    assert.equal(await countSessions(store), 2);
    clock.advance(1000);
    assert.equal(await countSessions(store), 1);
    const all = await new Promise<Record<string, session.SessionData>>((done, fail) =>
      store.all((err, sessions) => (err ? fail(err) : done((sessions ?? {}) as Record<string, session.SessionData>))),
    );
    assert.deepEqual(Object.keys(all), ['long']);
    await callback((cb) => store.clear(cb));
    assert.equal(await countSessions(store), 0);
  });

  test('purgeExpired deletes expired rows and returns how many', async () => {
    await setSession(store, 'short', buildData({ originalMaxAge: 1000 }));
    await setSession(store, 'long', buildData({ originalMaxAge: HOUR }));
    clock.advance(1000);
    assert.equal(store.purgeExpired(), 1);
    assert.equal(store.purgeExpired(), 0);
    assert.equal((stores.db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n, 1);
  });

  test('reports a failure through the callback', async () => {
    await stores.close();
    await assert.rejects(getSession(store, 's1'));
  });

  test('keeps sessions for express-session across requests', async () => {
    const app = express();
    app.use(session({ store, secret: 'test-only-secret', resave: false, saveUninitialized: false, cookie: { maxAge: HOUR } }));
    app.get('/login', (req, res) => {
      (req.session as unknown as Data).rehearsalNote = 'b.simon@contoso.com';
      res.json({ ok: true });
    });
    app.get('/me', (req, res) => {
      res.json({ user: (req.session as unknown as Data).rehearsalNote ?? null });
    });
    const login = await request(app).get('/login').expect(200);
    const cookie = login.headers['set-cookie'];
    assert.ok(cookie);
    assert.equal(await countSessions(store), 1);
    const me = await request(app).get('/me').set('Cookie', cookie).expect(200);
    assert.deepEqual(me.body, { user: 'b.simon@contoso.com' });
    clock.advance(HOUR);
    const later = await request(app).get('/me').set('Cookie', cookie).expect(200);
    assert.deepEqual(later.body, { user: null });
  });
});
