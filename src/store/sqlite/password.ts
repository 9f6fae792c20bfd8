import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// Node's own scrypt defaults: the passwords guarded here are test passwords, and seeding or a test
// suite creates many addresses, so a hash should cost milliseconds, not a second.
const DEFAULT_PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Refuse stored parameters that would make one verification eat the machine (a tampered row).
const MAX_MEMORY = 256 * 1024 * 1024;
const MAX_P = 16;

function deriveKey(password: string, salt: Buffer, length: number, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 2 * 128 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** scrypt cost parameters; the stored hash carries them, so verification follows whatever hashed it. */
export type PasswordHashParams = { N: number; r: number; p: number };

/**
 * A lower cost for in-process test harnesses only (about 1/16 of the default): their passwords are
 * the printed test-only ones, and a suite of a hundred sign-ins should not spend seconds in scrypt.
 * A started server (`mock-mimecast start`) uses DEFAULT_PARAMS for every password but a public one.
 */
export const TEST_HARNESS_HASH_PARAMS: PasswordHashParams = { N: 1024, r: 8, p: 1 };

/**
 * The cost for a password that is public by design (the seeded B.Simon's, printed at every start and in
 * the README): a slow hash of a password anyone can read guards nothing. A password a person sets later
 * is hashed at the store's own cost.
 */
export const PUBLIC_PASSWORD_HASH_PARAMS: PasswordHashParams = TEST_HARNESS_HASH_PARAMS;

/** Hashes a password as `scrypt$N$r$p$<salt base64>$<hash base64>` with a random 16-byte salt. */
export async function hashPassword(password: string, params: PasswordHashParams = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await deriveKey(password, salt, KEY_LENGTH, params);
  const { N, r, p } = params;
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Compares in constant time; false for anything that is not a well-formed hash of ours. */
export async function verifyPasswordHash(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  const sane =
    [N, r, p].every(Number.isSafeInteger) && N > 1 && (N & (N - 1)) === 0 && r >= 1 && p >= 1 && p <= MAX_P && 128 * N * r <= MAX_MEMORY;
  if (!sane || salt.length === 0 || expected.length === 0 || expected.length > 512) return false;
  const actual = await deriveKey(password, salt, expected.length, { N, r, p });
  return timingSafeEqual(actual, expected);
}

/**
 * Spends about as long as a real verification, so a caller cannot tell unknown addresses from
 * wrong passwords by timing.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  await deriveKey(password, Buffer.alloc(SALT_LENGTH), KEY_LENGTH, DEFAULT_PARAMS);
  return false;
}
