import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/app-config';

/** The metadata backends every contract suite runs against. */
export const METADATA_BACKENDS = ['embedded', 'cassandra'] as const;
export type MetadataBackend = (typeof METADATA_BACKENDS)[number];

/** The storage backends every storage contract suite runs against. */
export const STORAGE_BACKENDS = ['filesystem', 'webdav'] as const;
export type StorageBackend = (typeof STORAGE_BACKENDS)[number];

/** Environment the integration runner exports (scripts/test-all.sh sources .run/services.env). */
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run integration suites through "npm test" (it starts Cassandra and Apache WebDAV)`);
  }
  return value;
}

/** Fixed, test-only: see testConfig. */
const SHARED_KEYSPACE_MASTER_KEY = Buffer.alloc(32, 0x5a).toString('base64');

/**
 * A configuration for one test: a fresh data directory, the chosen backends pointed at the servers the
 * runner started, and fixed ops credentials. Cassandra suites share one keyspace (DDL is slow) and isolate
 * by fresh ids.
 */
export function testConfig(options: { metadata?: MetadataBackend; storage?: StorageBackend; env?: Record<string, string> } = {}): AppConfig {
  const metadata = options.metadata ?? 'embedded';
  const storage = options.storage ?? 'filesystem';
  const env: Record<string, string> = {
    PORT: '0',
    RWS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rws-test-')),
    RWS_METADATA: metadata,
    RWS_STORAGE: storage,
    RWS_OPS_USERNAME: 'ops',
    RWS_OPS_PASSWORD: 'ops-test-password',
    RWS_LOG_LEVEL: 'error',
    // Suites about screen media in clear opt out the way an operator would; encryption suites pass 'on'.
    RWS_SCREEN_ENCRYPTION: 'off',
  };
  if (metadata === 'cassandra') {
    // Every app on the shared keyspace is, to the others, a node of one cluster: lease-held work (webhook
    // dispatch, retention, exports) may run on any of them, so they share what the nodes of a cluster share
    // (docs/cluster.md) — the master key that seals secrets, and the test-wide opt-in to loopback receivers.
    // A suite about other keys or the SSRF guard passes its own values.
    if (!options.env?.RWS_CRYPTO_URL) env.RWS_MASTER_KEY = SHARED_KEYSPACE_MASTER_KEY;
    env.RWS_WEBHOOK_ALLOW_PRIVATE = 'true';
    env.CASSANDRA_CONTACT_POINTS = requireEnv('CASSANDRA_CONTACT_POINTS');
    env.CASSANDRA_KEYSPACE = process.env.CASSANDRA_KEYSPACE ?? 'rws_test';
  }
  if (metadata === 'cassandra' || storage === 'webdav') {
    // Outside the embedded default the simulator needs an explicit opt-in (tests drive calls through it).
    env.RWS_SIPSERVER_SIMULATOR = 'true';
  }
  if (storage === 'webdav') {
    env.WEBDAV_URL = requireEnv('WEBDAV_URL');
    env.WEBDAV_USERNAME = requireEnv('WEBDAV_USERNAME');
    env.WEBDAV_PASSWORD = requireEnv('WEBDAV_PASSWORD');
  }
  return loadConfig({ ...env, ...(options.env ?? {}) });
}
