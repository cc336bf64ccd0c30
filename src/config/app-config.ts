import { z } from 'zod';
import { parseHostPortList, HostPort } from './host-port';

/** The one typed configuration object of a node, built from the environment at boot. */
export interface AppConfig {
  port: number;
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
  /** Key signing search page tokens (shared by every node behind one address); generated per data dir when unset. */
  pageTokenKey?: string;
  /** The screen recorder channel (api.md §5). */
  recorders: {
    /** WebSocket ping period; a recorder that misses two pongs is closed. */
    heartbeatIntervalMs: number;
    /** First resend delay of an unacknowledged command; doubles up to 32×. */
    commandResendMs: number;
  };
  /** Screen-recording uploads (api.md §6). */
  uploads: {
    /** How long the store streaming an interrupted upload into storage waits for the client to resume. */
    streamIdleMs: number;
    /** Staged bytes are fsync'd in the background this often (what a kernel crash can make a client resend). */
    syncIntervalMs: number;
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
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Thrown when the environment does not describe a runnable node; the message names every bad setting. */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

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
    RWS_RECORDER_HEARTBEAT_MS: z.coerce.number().int().min(50).max(600_000).default(30_000),
    RWS_RECORDER_RESEND_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
    // Below the WebDAV client's 60 s inactivity timeout, which would end the waiting PUT first.
    RWS_UPLOAD_STREAM_IDLE_SECONDS: z.coerce.number().min(0.05).max(50).default(30),
    RWS_UPLOAD_SYNC_SECONDS: z.coerce.number().min(0.05).max(3600).default(30),
    RWS_MEDIA_DELETE_RETRY_SECONDS: z.coerce.number().min(0.05).max(3600).default(30),
    RWS_MASTER_KEY: optionalText,
    RWS_MASTER_KEYS_OLD: optionalText,
    RWS_CRYPTO_SERVICE_TOKEN: optionalText.pipe(z.string().min(32, 'at least 32 characters (e.g. openssl rand -base64 32)').optional()),
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
    telephony: { requestTimeoutMs: e.SIPSERVER_REQUEST_TIMEOUT_MS, simulatorControlPort: e.SIPSERVER_SIM_CONTROL_PORT, simulatorControlHost: e.SIPSERVER_SIM_CONTROL_HOST },
    initialContactCenter: e.RWS_INITIAL_CONTACT_CENTER,
    ops: { username: e.RWS_OPS_USERNAME, password: e.RWS_OPS_PASSWORD },
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
    },
    recorders: { heartbeatIntervalMs: e.RWS_RECORDER_HEARTBEAT_MS, commandResendMs: e.RWS_RECORDER_RESEND_MS },
    uploads: { streamIdleMs: Math.round(e.RWS_UPLOAD_STREAM_IDLE_SECONDS * 1000), syncIntervalMs: Math.round(e.RWS_UPLOAD_SYNC_SECONDS * 1000) },
    mediaDeleteRetryMs: Math.round(e.RWS_MEDIA_DELETE_RETRY_SECONDS * 1000),
    pageTokenKey: e.RWS_PAGE_TOKEN_KEY,
  };
}

/** A master key is 32 random bytes in base64 (e.g. `openssl rand -base64 32`). */
function parseMasterKey(name: string, text: string, problems: string[]): Buffer | undefined {
  const key = /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (key?.length === 32) return key;
  problems.push(`${name}: a master key is 32 bytes in base64 (openssl rand -base64 32)`);
  return undefined;
}
