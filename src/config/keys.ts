/**
 * The one table that says where each setting can come from: its flag, environment variables, default
 * and why. The source of `--help` and the README's configuration table.
 */

import { foldAsciiCase } from '../core/saml/ascii-case.js';
import { defaults } from './defaults.js';
import { readPath } from './schema.js';

/** How a raw string from the environment or a flag is turned into a typed value before validation. */
/** 'mode' is a word from a list, or true/false for a setting that used to be a switch. */
export type ValueKind = 'int' | 'bool' | 'string' | 'list' | 'mode';

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
  /**
   * The environment variable says the opposite of the setting (MOCK_MIMECAST_NO_IDP sets idp.enabled):
   * every variable of the row, or only those listed (MOCK_MIMECAST_NO_SEED beside MOCK_MIMECAST_SEED).
   */
  envNegated?: true | readonly string[];
  /** How error messages show a bad value: not at all, or with the URL's credentials masked. */
  redact?: 'value' | 'credentials';
  default: unknown;
  why: string;
  /** What --help says beside the flag, when the flag does the opposite of the setting (`--no-idp`). */
  flagHelp?: string;
}

/** Flag values as commander hands them over; every property is optional and may be undefined. */
export interface CliFlags {
  spPort?: number | string | undefined;
  spHost?: string | undefined;
  publicUrl?: string | undefined;
  profileApplyDelay?: number | string | undefined;
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
  /** The mode of `--seed <mode>`, or false for `--no-seed`. */
  seed?: boolean | string | undefined;
  /** `--tls`: serve the SP over HTTPS. */
  tls?: boolean | undefined;
  tlsDir?: string | undefined;
  /** Path of the YAML file. */
  config?: string | undefined;
}

type KeyRow = Omit<ConfigKey, 'default'>;

// biome-ignore format: one entry a line keeps the table scannable and diffable.
const rows: KeyRow[] = [
  { path: 'sp.host', flag: '--sp-host <host>', flagKey: 'spHost', env: ['MOCK_MIMECAST_SP_HOST'], kind: 'string', why: 'Interface the SP listens on. Loopback by default: the API changes what the SP trusts.' },
  { path: 'sp.port', flag: '--sp-port <port>', flagKey: 'spPort', env: ['MOCK_MIMECAST_SP_PORT', 'PORT'], kind: 'int', why: '3000, as in the walk-through. PORT is read too, as PaaS hosts set it.' },
  { path: 'sp.publicBaseUrl', flag: '--public-url <url>', flagKey: 'publicUrl', env: ['MOCK_MIMECAST_PUBLIC_URL'], kind: 'string', why: 'How the SP is reached by browsers and the IdP; the local ACS is <publicBaseUrl>/login/saml. Follows the port when only the port is set.' },
  { path: 'sp.profileApplyDelaySeconds', flag: '--profile-apply-delay <seconds>', flagKey: 'profileApplyDelay', env: ['MOCK_MIMECAST_PROFILE_APPLY_DELAY'], kind: 'int', why: 'Seconds before a saved authentication profile change applies to sign-in (inferred delay); 0 applies at once, 900 is the fifteen minutes a vendor guide reports.' },
  { path: 'idp.enabled', flag: '--no-idp', flagKey: 'idp', env: ['MOCK_MIMECAST_NO_IDP'], kind: 'bool', envNegated: true, why: 'Run the mock Entra beside the SP (--no-idp for use with a real tenant).', flagHelp: 'Do not run the mock Entra: for use with a real Entra tenant.' },
  { path: 'idp.host', flag: '--idp-host <host>', flagKey: 'idpHost', env: ['MOCK_MIMECAST_IDP_HOST'], kind: 'string', why: 'Interface the mock Entra listens on; loopback by default, as for the SP.' },
  { path: 'idp.port', flag: '--idp-port <port>', flagKey: 'idpPort', env: ['MOCK_MIMECAST_IDP_PORT'], kind: 'int', why: '3001, as in the walk-through.' },
  { path: 'idp.publicBaseUrl', flag: '--idp-public-url <url>', flagKey: 'idpPublicUrl', env: ['MOCK_MIMECAST_IDP_PUBLIC_URL'], kind: 'string', why: 'How browsers and the SP reach the mock Entra (issuer, SSO and metadata URLs). Follows the port when only the port is set.' },
  { path: 'adminToken', flag: '--admin-token <token>', flagKey: 'adminToken', env: ['MOCK_MIMECAST_ADMIN_TOKEN'], kind: 'string', redact: 'value', why: "Guards both apps' API, consoles and SSO log on every request once set; required when either app listens beyond loopback; sent as Authorization: Bearer <token>." },
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
  { path: 'traces.maxCount', flag: null, flagKey: null, env: [], kind: 'int', why: 'Keep the newest N traces each account vouched for: signed by its IdP (verified), passed, or its own logout.' },
  { path: 'traces.maxAnonymousCount', flag: null, flagKey: null, env: [], kind: 'int', why: "Keep the newest N traces anyone could send (junk, unsigned or forged messages that only name an account, sign-in starts) in their own pool, so they cannot push an account's traces out." },
  { path: 'traces.maxAgeDays', flag: null, flagKey: null, env: [], kind: 'int', why: 'And none older than this.' },
  { path: 'logLevel', flag: '--log-level <level>', flagKey: 'logLevel', env: ['MOCK_MIMECAST_LOG_LEVEL'], kind: 'string', why: 'pino level: info hides raw assertions; debug shows them.' },
  { path: 'seed', flag: '--seed <mode>', flagKey: 'seed', env: ['MOCK_MIMECAST_SEED', 'MOCK_MIMECAST_NO_SEED'], kind: 'mode', envNegated: ['MOCK_MIMECAST_NO_SEED'], why: "What to seed on first start: ready (the tutorial's end state, ready to sign in), before-tutorial (tenant, B.Simon, the account and its address: rehearse the tutorial step by step) or none." },
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
  /**
   * Settings given in code (`startTestHarness(overrides)`), strongest of all; nested like the YAML file
   * and validated by the same schema.
   */
  overrides?: Record<string, unknown> | undefined;
}

export type ConfigSource = 'file' | 'env' | 'flag' | 'override';

/** One refused setting, as listed in the CONFIG_INVALID error's `details`. */
export interface ConfigProblem {
  /** Dotted setting path, or '' for the YAML file as a whole. */
  path: string;
  source: ConfigSource;
  /** The file path, environment variable or flag the value came from (`overrides` for code). */
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
    case 'mode':
    case 'bool': {
      const lower = foldAsciiCase(text);
      if (['true', '1', 'yes'].includes(lower)) return true;
      if (['false', '0', 'no'].includes(lower)) return false;
      return raw;
    }
    case 'list':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    default:
      return raw;
  }
}
