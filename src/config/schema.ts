/**
 * The shape every setting must have, and the one table that says where each setting can come from.
 * `load.ts` reads the sources; this module only describes and validates, so it stays free of I/O.
 */
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { foldAsciiCase } from '../core/saml/ascii-case.js';
import { trimTrailingSlashes } from '../core/text.js';
import type { Config } from './defaults.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z
  .number({ error: 'must be an integer from 0 to 65535' })
  .int({ error: 'must be an integer from 0 to 65535' })
  .min(0, { error: 'must be an integer from 0 to 65535' })
  .max(65535, { error: 'must be an integer from 0 to 65535' });

/** Positive integers (sizes, lifetimes, counts): zero or less would disable a safety limit by accident. */
const positiveInt = z
  .number({ error: 'must be a positive integer' })
  .int({ error: 'must be a positive integer' })
  .min(1, { error: 'must be a positive integer' });

/** Zero skew is a legitimate (strict) choice, so this one only refuses negatives. */
const seconds = z
  .number({ error: 'must be a whole number of seconds, 0 or more' })
  .int({ error: 'must be a whole number of seconds, 0 or more' })
  .min(0, { error: 'must be a whole number of seconds, 0 or more' });

/** A request count per window; 0 is allowed on purpose and turns the limit off. */
const rateLimit = z
  .number({ error: 'must be a whole number of requests, 0 (no limit) or more' })
  .int({ error: 'must be a whole number of requests, 0 (no limit) or more' })
  .min(0, { error: 'must be a whole number of requests, 0 (no limit) or more' });

/** The metadata monitor's period: at least 10 s, so a slip cannot make the SP hammer the IdP. */
const monitorInterval = z
  .number({ error: 'must be a whole number of seconds, 10 or more' })
  .int({ error: 'must be a whole number of seconds, 10 or more' })
  .min(10, { error: 'must be a whole number of seconds, 10 or more' });

const flag = z.boolean({ error: 'must be true or false (the environment also accepts 1/0/yes/no)' });

const text = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });

// A host is a name or an address to bind to, never a URL: "http://0.0.0.0" here is a common slip.
const host = text.regex(/^(?:[A-Za-z0-9.-]+|\[?[0-9A-Fa-f:.]+\]?)$/, {
  error: 'must be a host name or IP address (no scheme, port or path)',
});

/** http(s) base URL; a trailing slash is removed because routes are appended as `${base}/login/saml`. */
const baseUrl = z
  .string({ error: 'must be an http(s) URL' })
  .transform((value) => trimTrailingSlashes(value.trim()))
  .refine((value) => isBaseUrl(value), {
    error: 'must be an http(s) URL without query, fragment or credentials, e.g. http://localhost:3000',
  });

const redisUrl = z
  .string({ error: 'must be a redis:// or rediss:// URL' })
  .refine((value) => /^rediss?:$/.test(parseUrl(value)?.protocol ?? ''), {
    error: 'must be a redis:// or rediss:// URL, e.g. redis://localhost:6379',
  });

const logLevel = z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` });

const sections = {
  sp: z.strictObject({ host, port, publicBaseUrl: baseUrl, profileApplyDelaySeconds: seconds }),
  idp: z.strictObject({ enabled: flag, host, port, publicBaseUrl: baseUrl }),
  saml: z.strictObject({
    clockSkewSeconds: seconds,
    pendingRequestTtlSeconds: positiveInt,
    maxSamlBytes: positiveInt,
    refuseSha1: flag,
    acceptProductionUrls: flag,
  }),
  metadata: z.strictObject({
    fetchTimeoutMs: positiveInt,
    maxBytes: positiveInt,
    allowedHosts: z.array(text, { error: 'must be a list of host names' }),
    monitorIntervalSeconds: monitorInterval,
  }),
  tls: z.strictObject({ enabled: flag, dir: text }),
  rateLimits: z.strictObject({ windowSeconds: positiveInt, signIn: rateLimit, acs: rateLimit, metadataImport: rateLimit }),
  traces: z.strictObject({ maxCount: positiveInt, maxAnonymousCount: positiveInt, maxAgeDays: positiveInt }),
};

const scalars = {
  adminToken: text.nullable(),
  databasePath: text,
  redisUrl: redisUrl.nullable(),
  sessionSecret: text.nullable(),
  logLevel,
  // true and false are what config files said before there were modes.
  seed: z.preprocess(
    (value) => (value === true ? 'ready' : value === false ? 'none' : value),
    z.enum(['ready', 'before-tutorial', 'none'], {
      error: "must be 'ready', 'before-tutorial' or 'none' (true and false still mean ready and none)",
    }),
  ),
};

/** The complete, validated configuration. */
export const configSchema = z.strictObject({ ...sections, ...scalars });

/** One layer (YAML file, environment or flags): any subset of settings, unknown keys refused. */
export const layerSchema = z.strictObject({
  sp: sections.sp.partial().optional(),
  idp: sections.idp.partial().optional(),
  saml: sections.saml.partial().optional(),
  metadata: sections.metadata.partial().optional(),
  tls: sections.tls.partial().optional(),
  rateLimits: sections.rateLimits.partial().optional(),
  traces: sections.traces.partial().optional(),
  adminToken: scalars.adminToken.optional(),
  databasePath: scalars.databasePath.optional(),
  redisUrl: scalars.redisUrl.optional(),
  sessionSecret: scalars.sessionSecret.optional(),
  logLevel: scalars.logLevel.optional(),
  seed: scalars.seed.optional(),
});

/** Validated values of one layer. */
export type ConfigLayer = z.output<typeof layerSchema>;

// Compile-time guard: the schema's output must stay assignable to the lead's Config type.
const assertConfigShape: (value: z.output<typeof configSchema>) => Config = (value) => value;
void assertConfigShape;

/**
 * Tells whether a bind address only accepts connections from this machine (127.0.0.0/8, ::1, localhost).
 * Anything else needs the admin token because the API can change what the SP trusts.
 */
export function isLoopbackHost(value: string): boolean {
  const name = foldAsciiCase(value.trim()).replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name === '::1') return true;
  return isIPv4(name) && name.startsWith('127.');
}

/** Reads a dotted path from a nested object; undefined when any step is missing. */
export function readPath(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function isBaseUrl(value: string): boolean {
  const url = parseUrl(value);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  return url.search === '' && url.hash === '' && url.username === '' && url.password === '' && !/[?#]/.test(value);
}
