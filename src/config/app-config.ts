import { z } from 'zod';
import { parseHostPortList, HostPort } from './host-port';
import { parseNodeUrl, parseOrigin, parsePublicUrl } from './public-url-setting';
import { parseTrustedProxies } from './trusted-proxies-setting';

/** The one typed configuration object of a node, built from the environment at boot. */
export interface AppConfig {
  port: number;
  /**
   * On SIGTERM/SIGINT the node first answers /health/live with 503 `draining` for this long (the load balancer
   * takes it out, requests in flight finish), then closes (RWS_SHUTDOWN_DRAIN_SECONDS; default 3 s on a
   * cluster, 0 alone).
   */
  shutdownDrainSeconds: number;
  region: string;
  dataDir: string;
  logLevel: LogLevel;
  metadata: 'embedded' | 'cassandra';
  cassandra: {
    contactPoints: string[];
    localDataCenter: string;
    keyspace: string;
    username?: string;
    password?: string;
    replicationFactor: number;
  };
  storage: 'filesystem' | 'webdav';
  webdav?: { url: string; username?: string; password?: string };
  sipServerAddresses: HostPort[];
  /**
   * The built-in SIP Server simulator runs when SIPSERVER_ADDRESSES is unset. Outside the embedded default
   * (Cassandra metadata or WebDAV storage) that needs this explicit opt-in (RWS_SIPSERVER_SIMULATOR=true).
   */
  sipServerSimulator: boolean;
  telephony: {
    /** How long a T-Library request may wait for its answer (then 504). */
    requestTimeoutMs: number;
    /** Control surface port of the in-process simulator (embedded mode without SIPSERVER_ADDRESSES); 0 = any free port. */
    simulatorControlPort: number;
    /** Address the in-process simulator's control surface binds to (0.0.0.0 in a container reached from its host). */
    simulatorControlHost: string;
  };
  /** A contact center (both recording features on) created at start unless it exists; unset → the embedded default creates 'Default contact center' when it has none. */
  initialContactCenter?: string;
  ops: { username?: string; password?: string };
  cryptoUrl?: string;
  /**
   * Master key (32 bytes) under which the crypto service encrypts private keys at rest; unset → generated
   * once into the data directory. `oldMasterKeys` still decrypt (rotation: see src/crypto/README.md).
   */
  masterKey?: Buffer;
  oldMasterKeys: Buffer[];
  /** Credential API nodes present to a remote crypto service, and that the crypto service requires. */
  cryptoServiceToken?: string;
  /** Ed25519 private key (PEM file) that signs published recorder releases. */
  releaseSigningKeyFile?: string;
  auth: AuthConfig;
  /**
   * Hops whose `X-Forwarded-For` / `-Proto` / `-Host` are believed (RWS_TRUSTED_PROXIES): IPs, CIDRs or the
   * names loopback, linklocal, uniquelocal. Empty = believe no hop (the socket address is the client).
   */
  trustedProxies: string[];
  /** Base of the absolute URLs RWS hands out (RWS_PUBLIC_URL, `https://rws.example.com[/prefix]`); unset → a validated Host. */
  publicUrl?: string;
  /**
   * Origins (`scheme://host[:port]`) whose pages may open a WebSocket authenticated by the session cookie
   * (RWS_ALLOWED_ORIGINS); empty → the request's own origin and the public URL's only.
   */
  allowedOrigins: string[];
  /** Key signing search page tokens (shared by every node behind one address); generated per data dir when unset. */
  pageTokenKey?: string;
  /** The screen recorder channel (api.md §5). */
  recorders: {
    /** WebSocket ping period; a recorder that misses two pongs is closed. */
    heartbeatIntervalMs: number;
    /** First resend delay of an unacknowledged command; doubles up to 32×. */
    commandResendMs: number;
    /** A stopped screen recording with no media after this long is `missing` (RWS_SCREEN_MISSING_AFTER_SECONDS). */
    uploadGraceMs: number;
    /** How often the missing-recording detector walks the open screen recordings; 0 = never (docs/lifecycle.md). */
    missingCheckMs: number;
    /**
     * How long a recording whose node is gone is left for a takeover (a node taking the agent's session over
     * announces it again) before the detector stops it (RWS_SCREEN_TAKEOVER_GRACE_SECONDS).
     */
    takeoverGraceMs: number;
  };
  /** Retention scheduler and deletion receipts (docs/lifecycle.md). */
  retention: {
    /** How often the scheduler applies the delete policies; 0 = only when an operator asks for a run. */
    intervalMs: number;
    /** Lifetime of the runner lease; a dead runner's lease lets another node take over after this. */
    leaseMs: number;
    /** Most recordings one runner deletes per second (playback and ingest keep their latency). */
    deletesPerSecond: number;
  };
  /** Export jobs (docs/lifecycle.md). */
  exports: {
    /** How often a node looks for export jobs to run (a new job starts at once on the node that took it). */
    pollMs: number;
    /** Most recordings, and bytes, one node exports per second (playback and ingest keep their latency). */
    recordingsPerSecond: number;
    bytesPerSecond: number;
  };
  /** Webhook deliveries (docs/lifecycle.md). */
  webhooks: {
    /** How often queued messages are looked at (new ones are sent at once). */
    pollMs: number;
    /** First retry delay; doubles per attempt up to retryMaxMs. */
    retryBaseMs: number;
    retryMaxMs: number;
    /** Attempts before a message becomes a dead letter. */
    maxAttempts: number;
    /** Allow loopback and private targets (tests, on-premises receivers); refused by default against SSRF. */
    allowPrivate: boolean;
    /** How long the delivery log keeps a message (both stores). */
    logMs: number;
  };
  /** Ed25519 private key (PEM file) that signs deletion receipts; generated into the data directory when unset. */
  receiptSigningKeyFile?: string;
  /**
   * Screen recordings are stored encrypted for their contact center's certificate (RWS_SCREEN_ENCRYPTION,
   * on unless an operator turns it off); the embedded default generates a certificate where none is active.
   */
  screenEncryption: boolean;
  /**
   * Several nodes behind one load balancer (RWS_CLUSTER_REDIS_URL, `redis://host:port[/db]`): login counters,
   * revocation broadcast and cache invalidation go through this Redis. Unset → the node runs alone.
   * `nodeUrl` (RWS_NODE_URL): this node's own base URL as the other nodes reach it, where they forward the
   * desktop requests of agents homed here; unset → `http://127.0.0.1:<listening port>` (one host only).
   */
  cluster: { redisUrl?: string; nodeUrl?: string };
  /** Screen-recording uploads (api.md §6). */
  uploads: {
    /** An unfinished upload without a byte for this long is removed (tus `expiration`, announced in Upload-Expires). */
    expiryMs: number;
  };
  /** First retry delay of a media delete that failed (doubles per failure up to an hour); also the retry round period. */
  mediaDeleteRetryMs: number;
}

/** Identity settings: token lifetimes, key rotation, password cost, brute-force limits (api.md §3). */
export interface AuthConfig {
  /** Secret sealing the token signing keys at rest; generated into the data directory when unset. */
  secret?: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionTtlSeconds: number;
  /** A signing key signs for this long, then a new one takes over; 0 = never rotate automatically. */
  signingKeyRotationSeconds: number;
  /** scrypt cost parameter as log2(N) for new password hashes. */
  passwordHashCost: number;
  /** Consecutive failed password checks of one user name before backoff starts. */
  maxFailuresPerUser: number;
  /** Failed password checks from one source address before backoff starts. */
  maxFailuresPerSource: number;
  /** How long a verified Basic credential is remembered (0 = always run scrypt). */
  credentialCacheSeconds: number;
  /** How long a node trusts its cached copy of a user (roles, stamp) before reading the store again. */
  userCacheSeconds: number;
  /** Password checks (not already-verified credentials) one source may start per minute; more → 429. */
  passwordChecksPerMinute: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Thrown when the environment does not describe a runnable node; the message names every bad setting. */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Long enough for a load balancer checking every second with `fall 2` to take a draining node out. */
const DEFAULT_CLUSTER_DRAIN_SECONDS = 3;

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    RWS_REGION: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" or "_" only').default('region1'),
    RWS_DATA_DIR: z.string().min(1).default('./data'),
    RWS_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    RWS_METADATA: z.enum(['embedded', 'cassandra']).default('embedded'),
    CASSANDRA_CONTACT_POINTS: z.string().min(1).default('127.0.0.1:9042'),
    CASSANDRA_LOCAL_DC: z.string().min(1).default('datacenter1'),
    CASSANDRA_KEYSPACE: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'lower-case CQL identifier').default('rws'),
    CASSANDRA_USERNAME: optionalText,
    CASSANDRA_PASSWORD: optionalText,
    CASSANDRA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(9).default(1),
    RWS_STORAGE: z.enum(['filesystem', 'webdav']).default('filesystem'),
    WEBDAV_URL: optionalText.pipe(z.string().url('must be an http(s) URL').optional()),
    WEBDAV_USERNAME: optionalText,
    WEBDAV_PASSWORD: optionalText,
    SIPSERVER_ADDRESSES: optionalText,
    SIPSERVER_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    RWS_SIPSERVER_SIMULATOR: z.enum(['true', 'false']).default('false'),
    SIPSERVER_SIM_CONTROL_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    SIPSERVER_SIM_CONTROL_HOST: z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'a host name or IP address').default('127.0.0.1'),
    RWS_INITIAL_CONTACT_CENTER: optionalText.pipe(z.string().max(200).optional()),
    RWS_OPS_USERNAME: optionalText,
    RWS_OPS_PASSWORD: optionalText,
    RWS_CRYPTO_URL: optionalText.pipe(z.string().url('must be an http(s) URL').optional()),
    RWS_RELEASE_SIGNING_KEY_FILE: optionalText,
    RWS_AUTH_SECRET: optionalText.pipe(z.string().min(32, 'at least 32 characters').optional()),
    RWS_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    RWS_REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 86_400).default(43_200),
    RWS_SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).default(28_800),
    RWS_SIGNING_KEY_ROTATION_SECONDS: z.coerce.number().int().min(0).max(365 * 86_400).default(86_400),
    RWS_PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(15),
    RWS_LOGIN_MAX_FAILURES_PER_USER: z.coerce.number().int().min(1).max(1000).default(5),
    RWS_LOGIN_MAX_FAILURES_PER_SOURCE: z.coerce.number().int().min(1).max(100_000).default(20),
    RWS_CREDENTIAL_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    RWS_USER_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
    RWS_LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
    RWS_TRUSTED_PROXIES: z.string().default('loopback'),
    RWS_PUBLIC_URL: optionalText,
    RWS_SCREEN_ENCRYPTION: z.enum(['on', 'off']).default('on'),
    RWS_ALLOWED_ORIGINS: optionalText,
    RWS_RECORDER_HEARTBEAT_MS: z.coerce.number().int().min(50).max(600_000).default(30_000),
    RWS_RECORDER_RESEND_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
    // RWS_SCREEN_MISSING_AFTER_SECONDS is the name; RWS_SCREEN_UPLOAD_GRACE_SECONDS, its former one, still works.
    RWS_SCREEN_MISSING_AFTER_SECONDS: z.coerce.number().min(0.1).max(7 * 24 * 3600).optional(),
    RWS_SCREEN_UPLOAD_GRACE_SECONDS: z.coerce.number().min(0.1).max(7 * 24 * 3600).default(3600),
    RWS_SCREEN_MISSING_CHECK_SECONDS: z.coerce.number().min(0).max(86_400).default(60),
    RWS_SCREEN_TAKEOVER_GRACE_SECONDS: z.coerce.number().min(0).max(3_600).default(15),
    RWS_UPLOAD_EXPIRY_SECONDS: z.coerce.number().min(1).max(366 * 86_400).default(86_400),
    RWS_CLUSTER_REDIS_URL: optionalText.pipe(
      z
        .string()
        .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
        .optional(),
    ),
    RWS_NODE_URL: optionalText,
    RWS_SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(300).optional(),
    RWS_MEDIA_DELETE_RETRY_SECONDS: z.coerce.number().min(0.05).max(3600).default(30),
    RWS_MASTER_KEY: optionalText,
    RWS_MASTER_KEYS_OLD: optionalText,
    RWS_CRYPTO_SERVICE_TOKEN: optionalText.pipe(z.string().min(32, 'at least 32 characters (e.g. openssl rand -base64 32)').optional()),
    RWS_RETENTION_INTERVAL_SECONDS: z.coerce.number().min(0).max(86_400).default(600),
    RWS_RETENTION_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
    RWS_RETENTION_DELETES_PER_SECOND: z.coerce.number().min(0.1).max(10_000).default(20),
    RWS_RECEIPT_SIGNING_KEY_FILE: optionalText,
    RWS_EXPORT_POLL_SECONDS: z.coerce.number().min(0.05).max(3600).default(10),
    RWS_EXPORT_RECORDINGS_PER_SECOND: z.coerce.number().min(0.1).max(100_000).default(50),
    RWS_EXPORT_MEGABYTES_PER_SECOND: z.coerce.number().min(0.1).max(100_000).default(20),
    RWS_WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
    RWS_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
    RWS_WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
    RWS_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(15),
    RWS_WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
    RWS_WEBHOOK_LOG_DAYS: z.coerce.number().min(0.00001).max(3650).default(30),
    RWS_PAGE_TOKEN_KEY: optionalText.pipe(z.string().min(32, 'at least 32 characters').optional()),
  })
  .superRefine((env, ctx) => {
    if (env.RWS_STORAGE === 'webdav' && !env.WEBDAV_URL) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['WEBDAV_URL'], message: 'required when RWS_STORAGE=webdav' });
    }
    if (Boolean(env.RWS_OPS_USERNAME) !== Boolean(env.RWS_OPS_PASSWORD)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [env.RWS_OPS_USERNAME ? 'RWS_OPS_PASSWORD' : 'RWS_OPS_USERNAME'],
        message: 'RWS_OPS_USERNAME and RWS_OPS_PASSWORD are set together',
      });
    }
    if (env.RWS_CRYPTO_URL && !env.RWS_CRYPTO_SERVICE_TOKEN) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['RWS_CRYPTO_SERVICE_TOKEN'], message: 'required when RWS_CRYPTO_URL is set' });
    }
    const productionStores = env.RWS_METADATA === 'cassandra' || env.RWS_STORAGE === 'webdav';
    if (productionStores && !env.SIPSERVER_ADDRESSES && env.RWS_SIPSERVER_SIMULATOR !== 'true') {
      // A production deployment without its SIP Server would otherwise run the simulator and report it ready.
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['SIPSERVER_ADDRESSES'],
        message:
          'required with RWS_METADATA=cassandra or RWS_STORAGE=webdav (the built-in SIP Server simulator is for the embedded default; set RWS_SIPSERVER_SIMULATOR=true to run it anyway)',
      });
    }
    if (Boolean(env.WEBDAV_USERNAME) !== Boolean(env.WEBDAV_PASSWORD)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['WEBDAV_PASSWORD'], message: 'WEBDAV_USERNAME and WEBDAV_PASSWORD are set together' });
    }
  });

/** Reads and validates the environment; throws ConfigurationError naming each bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const contactPoints = e.CASSANDRA_CONTACT_POINTS.split(',').map((s) => s.trim()).filter(Boolean);
  let sipServerAddresses: HostPort[] = [];
  try {
    sipServerAddresses = e.SIPSERVER_ADDRESSES ? parseHostPortList(e.SIPSERVER_ADDRESSES) : [];
  } catch (err) {
    problems.push(`SIPSERVER_ADDRESSES: ${(err as Error).message}`);
  }
  if (e.RWS_METADATA === 'cassandra') {
    try {
      parseHostPortList(e.CASSANDRA_CONTACT_POINTS, 9042);
    } catch (err) {
      problems.push(`CASSANDRA_CONTACT_POINTS: ${(err as Error).message}`);
    }
  }
  const trustedProxies = parseTrustedProxies(e.RWS_TRUSTED_PROXIES, problems);
  const publicUrl = e.RWS_PUBLIC_URL === undefined ? undefined : parsePublicUrl(e.RWS_PUBLIC_URL, problems);
  const allowedOrigins = (e.RWS_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((text) => parseOrigin(text, problems))
    .filter((o): o is string => o !== undefined);
  const nodeUrl = e.RWS_NODE_URL === undefined ? undefined : parseNodeUrl(e.RWS_NODE_URL, problems);
  const masterKey = e.RWS_MASTER_KEY === undefined ? undefined : parseMasterKey('RWS_MASTER_KEY', e.RWS_MASTER_KEY, problems);
  const oldMasterKeys = (e.RWS_MASTER_KEYS_OLD ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((text) => parseMasterKey('RWS_MASTER_KEYS_OLD', text, problems))
    .filter((k): k is Buffer => k !== undefined);
  if (problems.length) throw new ConfigurationError(problems);
  return {
    port: e.PORT,
    region: e.RWS_REGION,
    dataDir: e.RWS_DATA_DIR,
    logLevel: e.RWS_LOG_LEVEL,
    metadata: e.RWS_METADATA,
    cassandra: {
      contactPoints,
      localDataCenter: e.CASSANDRA_LOCAL_DC,
      keyspace: e.CASSANDRA_KEYSPACE,
      username: e.CASSANDRA_USERNAME,
      password: e.CASSANDRA_PASSWORD,
      replicationFactor: e.CASSANDRA_REPLICATION_FACTOR,
    },
    storage: e.RWS_STORAGE,
    webdav: e.WEBDAV_URL ? { url: e.WEBDAV_URL, username: e.WEBDAV_USERNAME, password: e.WEBDAV_PASSWORD } : undefined,
    sipServerAddresses,
    sipServerSimulator: sipServerAddresses.length === 0,
    telephony: { requestTimeoutMs: e.SIPSERVER_REQUEST_TIMEOUT_MS, simulatorControlPort: e.SIPSERVER_SIM_CONTROL_PORT, simulatorControlHost: e.SIPSERVER_SIM_CONTROL_HOST },
    initialContactCenter: e.RWS_INITIAL_CONTACT_CENTER,
    ops: { username: e.RWS_OPS_USERNAME, password: e.RWS_OPS_PASSWORD },
    cluster: { redisUrl: e.RWS_CLUSTER_REDIS_URL, nodeUrl },
    shutdownDrainSeconds: e.RWS_SHUTDOWN_DRAIN_SECONDS ?? (e.RWS_CLUSTER_REDIS_URL ? DEFAULT_CLUSTER_DRAIN_SECONDS : 0),
    cryptoUrl: e.RWS_CRYPTO_URL,
    masterKey,
    oldMasterKeys,
    cryptoServiceToken: e.RWS_CRYPTO_SERVICE_TOKEN,
    releaseSigningKeyFile: e.RWS_RELEASE_SIGNING_KEY_FILE,
    auth: {
      secret: e.RWS_AUTH_SECRET,
      accessTokenTtlSeconds: e.RWS_ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: e.RWS_REFRESH_TOKEN_TTL_SECONDS,
      sessionTtlSeconds: e.RWS_SESSION_TTL_SECONDS,
      signingKeyRotationSeconds: e.RWS_SIGNING_KEY_ROTATION_SECONDS,
      passwordHashCost: e.RWS_PASSWORD_HASH_COST,
      maxFailuresPerUser: e.RWS_LOGIN_MAX_FAILURES_PER_USER,
      maxFailuresPerSource: e.RWS_LOGIN_MAX_FAILURES_PER_SOURCE,
      credentialCacheSeconds: e.RWS_CREDENTIAL_CACHE_SECONDS,
      userCacheSeconds: e.RWS_USER_CACHE_SECONDS,
      passwordChecksPerMinute: e.RWS_LOGIN_RATE_LIMIT_PER_MINUTE,
    },
    trustedProxies,
    publicUrl,
    allowedOrigins,
    screenEncryption: e.RWS_SCREEN_ENCRYPTION === 'on',
    recorders: {
      heartbeatIntervalMs: e.RWS_RECORDER_HEARTBEAT_MS,
      commandResendMs: e.RWS_RECORDER_RESEND_MS,
      uploadGraceMs: Math.round((e.RWS_SCREEN_MISSING_AFTER_SECONDS ?? e.RWS_SCREEN_UPLOAD_GRACE_SECONDS) * 1000),
      missingCheckMs: Math.round(e.RWS_SCREEN_MISSING_CHECK_SECONDS * 1000),
      takeoverGraceMs: Math.round(e.RWS_SCREEN_TAKEOVER_GRACE_SECONDS * 1000),
    },
    uploads: { expiryMs: Math.round(e.RWS_UPLOAD_EXPIRY_SECONDS * 1000) },
    mediaDeleteRetryMs: Math.round(e.RWS_MEDIA_DELETE_RETRY_SECONDS * 1000),
    pageTokenKey: e.RWS_PAGE_TOKEN_KEY,
    retention: {
      intervalMs: Math.round(e.RWS_RETENTION_INTERVAL_SECONDS * 1000),
      leaseMs: Math.round(e.RWS_RETENTION_LEASE_SECONDS * 1000),
      deletesPerSecond: e.RWS_RETENTION_DELETES_PER_SECOND,
    },
    receiptSigningKeyFile: e.RWS_RECEIPT_SIGNING_KEY_FILE,
    exports: {
      pollMs: Math.round(e.RWS_EXPORT_POLL_SECONDS * 1000),
      recordingsPerSecond: e.RWS_EXPORT_RECORDINGS_PER_SECOND,
      bytesPerSecond: Math.round(e.RWS_EXPORT_MEGABYTES_PER_SECOND * 1024 * 1024),
    },
    webhooks: {
      pollMs: e.RWS_WEBHOOK_POLL_MS,
      retryBaseMs: e.RWS_WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: e.RWS_WEBHOOK_RETRY_MAX_MS,
      maxAttempts: e.RWS_WEBHOOK_MAX_ATTEMPTS,
      allowPrivate: e.RWS_WEBHOOK_ALLOW_PRIVATE === 'true',
      logMs: Math.round(e.RWS_WEBHOOK_LOG_DAYS * 86_400_000),
    },
  };
}

/** A master key is 32 random bytes in base64 (e.g. `openssl rand -base64 32`). */
function parseMasterKey(name: string, text: string, problems: string[]): Buffer | undefined {
  const key = /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (key?.length === 32) return key;
  problems.push(`${name}: a master key is 32 bytes in base64 (openssl rand -base64 32)`);
  return undefined;
}
