import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { applyMigrations } from './migrations.js';

/** True for paths better-sqlite3 keeps in memory (or in a private temp file), which need no folder. */
function isMemoryPath(path: string): boolean {
  return path === '' || path === ':memory:';
}

/**
 * Opens (creating when needed) the SQLite database at `path` and brings its schema up to date.
 * Files get WAL so readers never wait for the writer; every connection waits up to 5 s on a lock
 * rather than failing at once, which is what lets two connections share one file safely.
 */
export function openDatabase(path: string): Database {
  const memory = isMemoryPath(path);
  if (!memory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new BetterSqlite3(path);
  try {
    db.pragma('busy_timeout = 5000');
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    applyMigrations(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
