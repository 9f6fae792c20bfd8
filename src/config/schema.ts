/**
 * The shape every setting must have, and the one table that says where each setting can come from.
 * `load.ts` reads the sources; this module only describes and validates, so it stays free of I/O.
 */
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { type Config, defaults } from './defaults.js';
import { trimTrailingSlashes } from '../core/text.js';

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
  sp: z.strictObject({ host, port, publicBaseUrl: baseUrl }),
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
  traces: z.strictObject({ maxCount: positiveInt, maxAgeDays: positiveInt }),
};

const scalars = {
  adminToken: text.nullable(),
  databasePath: text,
  redisUrl: redisUrl.nullable(),
  sessionSecret: text.nullable(),
  logLevel,
  seed: flag,
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

/** How a raw string from the environment or a flag is turned into a typed value before validation. */
export type ValueKind = 'int' | 'bool' | 'string' | 'list';

/** One row of the settings table: where a setting can be given, its default, and why the default. */
export interface ConfigKey {
  /** Dotted path in Config and in the YAML file, e.g. `sp.port`. */
  path: string;
  /** Commander syntax of the flag, or null when the setting is YAML/env only. */
  flag: string | null;
  /** Property of CliFlags that carries the flag's value. */
  flagKey: keyof CliFlags | null;
  /** Environment variables, strongest first. */
  env: string[];
  kind: ValueKind;
  /** The environment variable says the opposite of the setting (MOCK_MIMECAST_NO_IDP sets idp.enabled). */
  envNegated?: true;
  /** How error messages show a bad value: not at all, or with the URL's credentials masked. */
  redact?: 'value' | 'credentials';
  default: unknown;
  why: string;
}

/** Flag values as commander hands them over; every property is optional and may be undefined. */
export interface CliFlags {
  spPort?: number | string | undefined;
  spHost?: string | undefined;
  publicUrl?: string | undefined;
  idpPort?: number | string | undefined;
  idpHost?: string | undefined;
  idpPublicUrl?: string | undefined;
  /** false for `--no-idp`. true is read as "not given": commander reports true for an unused `--no-` flag. */
  idp?: boolean | undefined;
  adminToken?: string | undefined;
  db?: string | undefined;
  redisUrl?: string | undefined;
  clockSkew?: number | string | undefined;
  refuseSha1?: boolean | undefined;
  logLevel?: string | undefined;
  /** false for `--no-seed`; true is read as "not given", as for `idp`. */
  seed?: boolean | undefined;
  /** `--tls`: serve the SP over HTTPS. */
  tls?: boolean | undefined;
  tlsDir?: string | undefined;
  /** Path of the YAML file. */
  config?: string | undefined;
}

type KeyRow = Omit<ConfigKey, 'default'>;

const rows: KeyRow[] = [
  { path: 'sp.host', flag: '--sp-host <host>', flagKey: 'spHost', env: ['MOCK_MIMECAST_SP_HOST'], kind: 'string', why: 'Interface the SP listens on. Loopback by default: the API changes what the SP trusts.' },
  { path: 'sp.port', flag: '--sp-port <port>', flagKey: 'spPort', env: ['MOCK_MIMECAST_SP_PORT', 'PORT'], kind: 'int', why: '3000, as in the walk-through. PORT is read too, as PaaS hosts set it.' },
  { path: 'sp.publicBaseUrl', flag: '--public-url <url>', flagKey: 'publicUrl', env: ['MOCK_MIMECAST_PUBLIC_URL'], kind: 'string', why: 'How the SP is reached by browsers and the IdP; the local ACS is <publicBaseUrl>/login/saml. Follows the port when only the port is set.' },
  { path: 'idp.enabled', flag: '--no-idp', flagKey: 'idp', env: ['MOCK_MIMECAST_NO_IDP'], kind: 'bool', envNegated: true, why: 'Run the mock Entra beside the SP (--no-idp for use with a real tenant).' },
  { path: 'idp.host', flag: '--idp-host <host>', flagKey: 'idpHost', env: ['MOCK_MIMECAST_IDP_HOST'], kind: 'string', why: 'Interface the mock Entra listens on; loopback by default, as for the SP.' },
  { path: 'idp.port', flag: '--idp-port <port>', flagKey: 'idpPort', env: ['MOCK_MIMECAST_IDP_PORT'], kind: 'int', why: '3001, as in the walk-through.' },
  { path: 'idp.publicBaseUrl', flag: '--idp-public-url <url>', flagKey: 'idpPublicUrl', env: ['MOCK_MIMECAST_IDP_PUBLIC_URL'], kind: 'string', why: 'How browsers and the SP reach the mock Entra (issuer, SSO and metadata URLs). Follows the port when only the port is set.' },
  { path: 'adminToken', flag: '--admin-token <token>', flagKey: 'adminToken', env: ['MOCK_MIMECAST_ADMIN_TOKEN'], kind: 'string', redact: 'value', why: 'Required when either app listens beyond loopback; sent as Authorization: Bearer <token>.' },
  { path: 'databasePath', flag: '--db <path>', flagKey: 'db', env: ['MOCK_MIMECAST_DB'], kind: 'string', why: "SQLite file; created with its folder on first start. ':memory:' keeps nothing." },
  { path: 'redisUrl', flag: '--redis-url <url>', flagKey: 'redisUrl', env: ['REDIS_URL'], kind: 'string', redact: 'credentials', why: 'Sessions, replay and pending caches move to Redis when set, so replicas behave as one.' },
  { path: 'sessionSecret', flag: null, flagKey: null, env: ['MOCK_MIMECAST_SESSION_SECRET'], kind: 'string', redact: 'value', why: 'Signs the session cookie; generated per start when null (sessions then end on restart).' },
  { path: 'saml.clockSkewSeconds', flag: '--clock-skew <seconds>', flagKey: 'clockSkew', env: ['MOCK_MIMECAST_CLOCK_SKEW'], kind: 'int', why: "Tolerated clock difference; 3 minutes matches common SP defaults and Entra's own leeway." },
  { path: 'saml.pendingRequestTtlSeconds', flag: null, flagKey: null, env: [], kind: 'int', why: 'How long an SP-initiated request waits for its answer; Entra sign-in rarely takes longer.' },
  { path: 'saml.maxSamlBytes', flag: null, flagKey: null, env: [], kind: 'int', why: 'Decoded SAMLResponse size limit; Entra responses are 5-15 kB.' },
  { path: 'saml.refuseSha1', flag: '--refuse-sha1', flagKey: 'refuseSha1', env: ['MOCK_MIMECAST_REFUSE_SHA1'], kind: 'bool', why: 'SHA-1 signatures are a warning by default (Entra still offers SHA-1); true makes them a failure.' },
  { path: 'saml.acceptProductionUrls', flag: null, flagKey: null, env: [], kind: 'bool', why: 'Accept Destination/Recipient equal to the production https://<r>-api.mimecast.com/login/saml too.' },
  { path: 'metadata.fetchTimeoutMs', flag: null, flagKey: null, env: [], kind: 'int', why: 'A slow IdP must not hang an import.' },
  { path: 'metadata.maxBytes', flag: null, flagKey: null, env: [], kind: 'int', why: 'Entra metadata is 10-60 kB.' },
  { path: 'metadata.allowedHosts', flag: null, flagKey: null, env: ['MOCK_MIMECAST_METADATA_ALLOWED_HOSTS'], kind: 'list', why: 'http(s) hosts allowed without https and without the private-address guard (the built-in mock). Comma list in the environment.' },
  { path: 'metadata.monitorIntervalSeconds', flag: null, flagKey: null, env: ['MOCK_MIMECAST_METADATA_MONITOR_INTERVAL'], kind: 'int', why: 'How often profiles with Monitor Metadata URL on fetch it again; 5 minutes catches an Entra certificate rollover early. At least 10 s.' },
  { path: 'tls.enabled', flag: '--tls', flagKey: 'tls', env: ['MOCK_MIMECAST_TLS'], kind: 'bool', why: 'Serve the SP over HTTPS with a certificate from the local CA (created on first use), so it can answer at https://<region>-api.mimecast.com.' },
  { path: 'tls.dir', flag: '--tls-dir <dir>', flagKey: 'tlsDir', env: ['MOCK_MIMECAST_TLS_DIR'], kind: 'string', why: 'Folder of ca.crt/ca.key/server.crt/server.key, as written by `mock-mimecast certs --ca`; beside the database by default.' },
  { path: 'rateLimits.windowSeconds', flag: null, flagKey: null, env: ['MOCK_MIMECAST_RATE_LIMIT_WINDOW'], kind: 'int', why: 'The window the rate limits count in; one minute reads naturally as "per minute".' },
  { path: 'rateLimits.signIn', flag: null, flagKey: null, env: ['MOCK_MIMECAST_RATE_LIMIT_SIGN_IN'], kind: 'int', why: 'SP-initiated sign-in starts per client IP per window; each stores a pending request. Far above a person clicking; 0 turns it off.' },
  { path: 'rateLimits.acs', flag: null, flagKey: null, env: ['MOCK_MIMECAST_RATE_LIMIT_ACS'], kind: 'int', why: 'ACS POSTs per client IP per window; each runs the XML parser and signature checks. Far above the test suite; 0 turns it off.' },
  { path: 'rateLimits.metadataImport', flag: null, flagKey: null, env: ['MOCK_MIMECAST_RATE_LIMIT_METADATA_IMPORT'], kind: 'int', why: 'Metadata imports per client IP per window; each by URL makes this server fetch from the network. 0 turns it off.' },
  { path: 'traces.maxCount', flag: null, flagKey: null, env: [], kind: 'int', why: 'Keep the newest N traces.' },
  { path: 'traces.maxAgeDays', flag: null, flagKey: null, env: [], kind: 'int', why: 'And none older than this.' },
  { path: 'logLevel', flag: '--log-level <level>', flagKey: 'logLevel', env: ['MOCK_MIMECAST_LOG_LEVEL'], kind: 'string', why: 'pino level: info hides raw assertions; debug shows them.' },
  { path: 'seed', flag: '--no-seed', flagKey: 'seed', env: ['MOCK_MIMECAST_NO_SEED'], kind: 'bool', envNegated: true, why: 'Seed the walk-through data on first start.' },
];

/** Every setting with its flag, environment variables, default and reason: the source for README and --help. */
export const configKeys: readonly ConfigKey[] = rows.map((row) => ({ ...row, default: readPath(defaults, row.path) }));

/** Where the YAML file itself is named; it is not a setting, so it is not in `configKeys`. */
export const configFileKey = { flag: '--config <path>', flagKey: 'config', env: 'MOCK_MIMECAST_CONFIG' } as const;

/** Where settings come from. Every field is optional; omitted `env` and `cwd` fall back to the process. */
export interface ConfigSources {
  /** Parsed command-line flags (commander's `opts()`). */
  argv?: Partial<CliFlags> | undefined;
  /** Environment; pass `process.env` from the entry point, or a literal in tests. */
  env?: Record<string, string | undefined> | undefined;
  /** YAML file path; wins over MOCK_MIMECAST_CONFIG, loses to `argv.config`. null means "no file". */
  file?: string | null | undefined;
  /** Directory a relative YAML path is resolved against. */
  cwd?: string | undefined;
}

export type ConfigSource = 'file' | 'env' | 'flag';

/** One refused setting, as listed in the CONFIG_INVALID error's `details`. */
export interface ConfigProblem {
  /** Dotted setting path, or '' for the YAML file as a whole. */
  path: string;
  source: ConfigSource;
  /** The file path, environment variable or flag the value came from. */
  name: string;
  /** The value as given (secrets masked). */
  value: unknown;
  problem: string;
}

/**
 * Turns a string from the environment or a flag into the kind the schema expects. Anything that does not
 * convert is returned unchanged, so that zod refuses it with the setting's own message.
 */
export function coerceValue(key: ConfigKey, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const text = raw.trim();
  switch (key.kind) {
    case 'int':
      return /^-?\d+$/.test(text) ? Number(text) : raw;
    case 'bool': {
      const lower = text.toLowerCase();
      if (['true', '1', 'yes'].includes(lower)) return true;
      if (['false', '0', 'no'].includes(lower)) return false;
      return raw;
    }
    case 'list':
      return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
    default:
      return raw;
  }
}

/**
 * Tells whether a bind address only accepts connections from this machine (127.0.0.0/8, ::1, localhost).
 * Anything else needs the admin token because the API can change what the SP trusts.
 */
export function isLoopbackHost(value: string): boolean {
  const name = value.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
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
