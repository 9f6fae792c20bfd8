import type { Database, Statement } from 'better-sqlite3';
import session from 'express-session';
import { type Clock, systemClock } from '../../core/clock.js';

/** Sessions without a cookie lifetime last a day: long enough for a rehearsal, short enough not to pile up. */
export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;

type Callback<T = void> = (err: unknown, value?: T) => void;

interface SessionStoreOptions {
  clock?: Clock;
  defaultTtlMs?: number;
}

/**
 * express-session's store on the SP database, so sessions survive restarts and never sit in
 * express-session's MemoryStore. Expired sessions are never returned; `purgeExpired` removes them.
 */
export class SqliteSessionStore extends session.Store {
  private readonly clock: Clock;
  private readonly defaultTtlMs: number;
  private readonly selectOne: Statement<[string, number], { data: string }>;
  private readonly selectAll: Statement<[number], { sid: string; data: string }>;
  private readonly countLive: Statement<[number], { n: number }>;
  private readonly upsert: Statement<[string, number, string]>;
  private readonly updateExpiry: Statement<[number, string]>;
  private readonly deleteOne: Statement<[string]>;
  private readonly deleteAll: Statement<[]>;
  private readonly deleteExpired: Statement<[number]>;

  constructor(db: Database, options: SessionStoreOptions = {}) {
    super();
    this.clock = options.clock ?? systemClock;
    this.defaultTtlMs = options.defaultTtlMs ?? DEFAULT_SESSION_TTL_MS;
    this.selectOne = db.prepare('SELECT data FROM sessions WHERE sid = ? AND expires_at > ?');
    this.selectAll = db.prepare('SELECT sid, data FROM sessions WHERE expires_at > ?');
    this.countLive = db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE expires_at > ?');
    this.upsert = db.prepare(
      'INSERT INTO sessions (sid, expires_at, data) VALUES (?, ?, ?) ON CONFLICT (sid) DO UPDATE SET expires_at = excluded.expires_at, data = excluded.data',
    );
    this.updateExpiry = db.prepare('UPDATE sessions SET expires_at = ? WHERE sid = ?');
    this.deleteOne = db.prepare('DELETE FROM sessions WHERE sid = ?');
    this.deleteAll = db.prepare('DELETE FROM sessions');
    this.deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.answer(callback, () => {
      const row = this.selectOne.get(sid, this.clock.now().getTime());
      return row === undefined ? null : (JSON.parse(row.data) as session.SessionData);
    });
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.answer(callback, () => {
      this.upsert.run(sid, this.computeExpiry(data), JSON.stringify(data));
    });
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.answer(callback, () => {
      this.deleteOne.run(sid);
    });
  }

  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.answer(callback, () => {
      this.updateExpiry.run(this.computeExpiry(data), sid);
    });
  }

  override all(callback: (err: unknown, sessions?: { [sid: string]: session.SessionData } | null) => void): void {
    this.answer(callback, () => {
      const sessions: { [sid: string]: session.SessionData } = {};
      for (const row of this.selectAll.all(this.clock.now().getTime())) sessions[row.sid] = JSON.parse(row.data) as session.SessionData;
      return sessions;
    });
  }

  override length(callback: (err: unknown, length?: number) => void): void {
    this.answer(callback, () => this.countLive.get(this.clock.now().getTime())?.n ?? 0);
  }

  override clear(callback?: (err?: unknown) => void): void {
    this.answer(callback, () => {
      this.deleteAll.run();
    });
  }

  /** Deletes sessions that have expired; returns how many. */
  purgeExpired(): number {
    return this.deleteExpired.run(this.clock.now().getTime()).changes;
  }

  /**
   * The cookie's lifetime counted from this store's clock when it has one (maxAge), so a frozen clock
   * does not see a fresh session as long expired; otherwise its absolute `expires`; otherwise a day.
   */
  private computeExpiry(data: session.SessionData): number {
    const now = this.clock.now().getTime();
    const cookie = data.cookie as (Partial<session.Cookie> & { expires?: Date | string | null }) | undefined;
    if (typeof cookie?.originalMaxAge === 'number') return now + cookie.originalMaxAge;
    if (cookie?.expires !== undefined && cookie.expires !== null) {
      const at = new Date(cookie.expires).getTime();
      if (!Number.isNaN(at)) return at;
    }
    return now + this.defaultTtlMs;
  }

  /** Runs `work` and reports to the express-session callback; without one, a failure is thrown. */
  private answer<T>(callback: Callback<T> | undefined, work: () => T): void {
    if (callback === undefined) {
      work();
      return;
    }
    let value: T;
    try {
      value = work();
    } catch (err) {
      callback(err);
      return;
    }
    callback(null, value);
  }
}
