/**
 * Every setting and its default, with one line of why. `load.ts` is the only place that reads flags,
 * environment and the YAML file; everything else receives a validated `Config`.
 */
/** What `start` seeds on first start; config files may still say true ('ready') or false ('none'). */
export type SeedMode = 'ready' | 'before-tutorial' | 'none';

/** The seed modes, in the order the docs list them. */
export const SEED_MODES: readonly SeedMode[] = ['ready', 'before-tutorial', 'none'];

export interface Config {
  sp: {
    /** Interface the SP listens on. Loopback by default: the API changes what the SP trusts. */
    host: string;
    /** 3000, as in the walk-through. */
    port: number;
    /** How the SP is reached by browsers and the IdP; the local ACS is <publicBaseUrl>/login/saml. */
    publicBaseUrl: string;
    /**
     * Seconds before a saved authentication profile change applies to sign-in (inferred: a vendor's
     * Mimecast guide says about fifteen minutes). 0 applies at once; 900 rehearses production.
     */
    profileApplyDelaySeconds: number;
  };
  idp: {
    /** Run the mock Entra beside the SP (`--no-idp` for use with a real tenant). */
    enabled: boolean;
    host: string;
    /** 3001, as in the walk-through. */
    port: number;
    publicBaseUrl: string;
  };
  /**
   * One token for both apps: once set, their API, consoles and SSO log ask for it on every request,
   * wherever it comes from (a proxy in front included). Required when either app listens beyond
   * loopback; without it only loopback peers reach those routes. Sent as `Authorization: Bearer <token>`.
   */
  adminToken: string | null;
  /** SQLite file; created with its folder on first start. ':memory:' keeps nothing. */
  databasePath: string;
  /** Sessions, replay and pending caches move to Redis when set, so replicas behave as one. */
  redisUrl: string | null;
  /** Signs the session cookie; generated per start when null (sessions then end on restart). */
  sessionSecret: string | null;
  saml: {
    /** Tolerated clock difference; 3 minutes matches common SP defaults and Entra's own leeway. */
    clockSkewSeconds: number;
    /** How long an SP-initiated request waits for its answer; Entra sign-in rarely takes longer. */
    pendingRequestTtlSeconds: number;
    /** Decoded SAMLResponse size limit; Entra responses are 5–15 kB. */
    maxSamlBytes: number;
    /** SHA-1 signatures are a warning by default (Entra still offers SHA-1); true makes them a failure. */
    refuseSha1: boolean;
    /** Accept Destination/Recipient equal to the production https://<r>-api.mimecast.com/login/saml too. */
    acceptProductionUrls: boolean;
  };
  metadata: {
    /** A slow IdP must not hang an import. */
    fetchTimeoutMs: number;
    /** Entra metadata is 10–60 kB. */
    maxBytes: number;
    /** http(s) hosts allowed without https and without the private-address guard (the built-in mock). */
    allowedHosts: string[];
    /**
     * How often profiles with "Monitor Metadata URL" on fetch their Metadata URL again. Five minutes
     * picks up an Entra certificate rollover long before anyone signs in with it, at one small GET per
     * profile; at least 10 s, so a typo cannot hammer the IdP.
     */
    monitorIntervalSeconds: number;
  };
  /**
   * HTTPS for the SP, with a certificate from a local CA (`mock-mimecast certs --ca`) naming every
   * Mimecast region host, so a browser that trusts the CA reaches the harness at the production URL.
   */
  tls: {
    /** Off by default: plain http on localhost needs no trust set-up. */
    enabled: boolean;
    /** Where the CA and server certificate live; created on first use. Beside the database by default. */
    dir: string;
  };
  /**
   * Requests per client IP address per window, each group counted on its own; 0 turns a limit off
   * (for load tests). Far above what a person clicking or the test suite sends, low enough that a
   * script hammering the SAML parser or the outbound metadata fetch is slowed down. Counted per
   * process: replicas each keep their own counts.
   */
  rateLimits: {
    /** The window the counts apply to; one minute reads naturally as "per minute". */
    windowSeconds: number;
    /** SP-initiated sign-in starts (GET /login/saml?email=, GET /sso/{code}): each stores a pending request. */
    signIn: number;
    /** POSTs to the ACS: each runs the XML parser and the signature checks. */
    acs: number;
    /** Metadata imports: each by URL makes this server fetch from the network. */
    metadataImport: number;
  };
  traces: {
    /** Keep the newest N traces each account vouched for (see tracePool): its own pool, which no one else's traffic can flush. */
    maxCount: number;
    /**
     * Keep the newest N traces anyone could send (junk posted to the ACS, unsigned or forged messages
     * that only name an account, sign-in starts, logout messages nobody signed), in one pool apart from the accounts'.
     */
    maxAnonymousCount: number;
    /** And none older than this. */
    maxAgeDays: number;
  };
  /** pino level: info hides raw assertions; debug shows them. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * What to seed on first start: 'ready' (the tutorial's end state), 'before-tutorial' (the state
   * before its steps: tenant, B.Simon, the account and its address) or 'none'.
   */
  seed: SeedMode;
}

export const defaults: Config = {
  // No apply delay by default, so a rehearsal's edits take effect at once; 900 is the realistic value.
  sp: { host: '127.0.0.1', port: 3000, publicBaseUrl: 'http://localhost:3000', profileApplyDelaySeconds: 0 },
  idp: { enabled: true, host: '127.0.0.1', port: 3001, publicBaseUrl: 'http://localhost:3001' },
  adminToken: null,
  databasePath: './data/mock-mimecast.sqlite',
  redisUrl: null,
  sessionSecret: null,
  saml: {
    clockSkewSeconds: 180,
    pendingRequestTtlSeconds: 600,
    maxSamlBytes: 256 * 1024,
    refuseSha1: false,
    acceptProductionUrls: true,
  },
  metadata: { fetchTimeoutMs: 5000, maxBytes: 1024 * 1024, allowedHosts: ['localhost', '127.0.0.1', '[::1]'], monitorIntervalSeconds: 300 },
  tls: { enabled: false, dir: './data/tls' },
  rateLimits: { windowSeconds: 60, signIn: 300, acs: 300, metadataImport: 120 },
  // 5,000 per account is weeks of rehearsals; 1,000 anonymous is enough to see what junk arrived.
  traces: { maxCount: 5000, maxAnonymousCount: 1000, maxAgeDays: 30 },
  logLevel: 'info',
  seed: 'ready',
};
