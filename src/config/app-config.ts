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
  ops: { username?: string; password?: string };
  cryptoUrl?: string;
  /** Key signing search page tokens (shared by every node behind one address); generated per data dir when unset. */
  pageTokenKey?: string;
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
    RWS_OPS_USERNAME: optionalText,
    RWS_OPS_PASSWORD: optionalText,
    RWS_CRYPTO_URL: optionalText.pipe(z.string().url('must be an http(s) URL').optional()),
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
    ops: { username: e.RWS_OPS_USERNAME, password: e.RWS_OPS_PASSWORD },
    cryptoUrl: e.RWS_CRYPTO_URL,
    pageTokenKey: e.RWS_PAGE_TOKEN_KEY,
  };
}
