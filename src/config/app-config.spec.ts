import { ConfigurationError, loadConfig } from './app-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigurationError) return err.problems;
    throw err;
  }
  throw new Error('configuration was accepted');
}

describe('loadConfig', () => {
  it('runs on the embedded default with no settings at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, region: 'region1', dataDir: './data', metadata: 'embedded', storage: 'filesystem', sipServerAddresses: [] });
    expect(config.cassandra).toMatchObject({ contactPoints: ['127.0.0.1:9042'], localDataCenter: 'datacenter1', keyspace: 'rws' });
  });

  it('runs alone without RWS_CLUSTER_REDIS_URL, joins a cluster with one, and refuses what is not a Redis URL', () => {
    expect(loadConfig({}).cluster).toEqual({ redisUrl: undefined, nodeUrl: undefined });
    expect(loadConfig({ RWS_CLUSTER_REDIS_URL: '  ' }).cluster).toEqual({ redisUrl: undefined, nodeUrl: undefined });
    expect(loadConfig({ RWS_CLUSTER_REDIS_URL: 'redis://10.0.0.5:6379/2' }).cluster).toEqual({ redisUrl: 'redis://10.0.0.5:6379/2', nodeUrl: undefined });
    expect(problemsOf({ RWS_CLUSTER_REDIS_URL: 'http://10.0.0.5:6379' }).join('\n')).toMatch(/^RWS_CLUSTER_REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/m);
  });

  it('takes the URL other nodes reach this one at (RWS_NODE_URL), and refuses one that is not a plain http(s) URL', () => {
    expect(loadConfig({ RWS_NODE_URL: 'http://10.0.0.5:8080/' }).cluster.nodeUrl).toBe('http://10.0.0.5:8080');
    for (const bad of ['10.0.0.5:8080', 'ftp://10.0.0.5', 'http://u:p@10.0.0.5:8080', 'http://10.0.0.5:8080/?x=1']) {
      expect(problemsOf({ RWS_NODE_URL: bad }).join('\n')).toMatch(/^RWS_NODE_URL: an http:\/\/ or https:\/\/ URL/m);
    }
  });

  it('names each bad setting', () => {
    const problems = problemsOf({ PORT: 'eighty', RWS_METADATA: 'mysql' });
    expect(problems.join('\n')).toMatch(/^PORT:/m);
    expect(problems.join('\n')).toMatch(/^RWS_METADATA:/m);
  });

  it('requires the WebDAV URL when storage is WebDAV', () => {
    expect(problemsOf({ RWS_STORAGE: 'webdav', SIPSERVER_ADDRESSES: 'sip1:3000' })).toEqual(['WEBDAV_URL: required when RWS_STORAGE=webdav']);
  });

  it('refuses the built-in SIP Server simulator outside the embedded default unless opted in', () => {
    const envs: Record<string, string>[] = [{ RWS_METADATA: 'cassandra' }, { RWS_STORAGE: 'webdav', WEBDAV_URL: 'http://127.0.0.1/dav/' }];
    for (const env of envs) {
      expect(problemsOf(env)).toEqual([expect.stringMatching(/^SIPSERVER_ADDRESSES: required with RWS_METADATA=cassandra or RWS_STORAGE=webdav/)]);
      expect(loadConfig({ ...env, RWS_SIPSERVER_SIMULATOR: 'true' }).sipServerSimulator).toBe(true);
      expect(loadConfig({ ...env, SIPSERVER_ADDRESSES: 'sip1:3000' }).sipServerSimulator).toBe(false);
    }
    expect(loadConfig({}).sipServerSimulator).toBe(true);
  });

  it('refuses half of a credential pair', () => {
    expect(problemsOf({ RWS_OPS_USERNAME: 'ops' })).toEqual([expect.stringMatching(/^RWS_OPS_PASSWORD:/)]);
  });

  it('parses the SIP Server pair and refuses a malformed one', () => {
    expect(loadConfig({ SIPSERVER_ADDRESSES: 'sip1:3000, sip2:3001' }).sipServerAddresses).toEqual([
      { host: 'sip1', port: 3000 },
      { host: 'sip2', port: 3001 },
    ]);
    expect(problemsOf({ SIPSERVER_ADDRESSES: 'sip1' })).toEqual([expect.stringMatching(/^SIPSERVER_ADDRESSES: "sip1" is not host:port/)]);
  });

  it('refuses a keyspace name that is not a CQL identifier', () => {
    expect(problemsOf({ CASSANDRA_KEYSPACE: 'rws; DROP' })[0]).toMatch(/^CASSANDRA_KEYSPACE:/);
  });

  it('reads the recorder channel timings and refuses absurd ones', () => {
    expect(loadConfig({}).recorders).toEqual({ heartbeatIntervalMs: 30_000, commandResendMs: 1_000, uploadGraceMs: 3_600_000, missingCheckMs: 60_000, takeoverGraceMs: 15_000 });
    expect(
      loadConfig({ RWS_RECORDER_HEARTBEAT_MS: '5000', RWS_RECORDER_RESEND_MS: '250', RWS_SCREEN_UPLOAD_GRACE_SECONDS: '0.5', RWS_SCREEN_MISSING_CHECK_SECONDS: '0', RWS_SCREEN_TAKEOVER_GRACE_SECONDS: '0' }).recorders,
    ).toEqual({
      heartbeatIntervalMs: 5000,
      commandResendMs: 250,
      uploadGraceMs: 500,
      missingCheckMs: 0,
      takeoverGraceMs: 0,
    });
    expect(problemsOf({ RWS_SCREEN_TAKEOVER_GRACE_SECONDS: '-1' })[0]).toMatch(/^RWS_SCREEN_TAKEOVER_GRACE_SECONDS:/);
    // The current name wins over the former one.
    expect(loadConfig({ RWS_SCREEN_UPLOAD_GRACE_SECONDS: '5', RWS_SCREEN_MISSING_AFTER_SECONDS: '120' }).recorders.uploadGraceMs).toBe(120_000);
    expect(problemsOf({ RWS_SCREEN_UPLOAD_GRACE_SECONDS: '0' })[0]).toMatch(/^RWS_SCREEN_UPLOAD_GRACE_SECONDS:/);
    expect(problemsOf({ RWS_SCREEN_MISSING_AFTER_SECONDS: 'soon' })[0]).toMatch(/^RWS_SCREEN_MISSING_AFTER_SECONDS:/);
    expect(problemsOf({ RWS_SCREEN_MISSING_CHECK_SECONDS: '-1' })[0]).toMatch(/^RWS_SCREEN_MISSING_CHECK_SECONDS:/);
    expect(loadConfig({ RWS_WEBHOOK_LOG_DAYS: '7' }).webhooks.logMs).toBe(7 * 86_400_000);
    expect(problemsOf({ RWS_WEBHOOK_LOG_DAYS: '0' })[0]).toMatch(/^RWS_WEBHOOK_LOG_DAYS:/);
    expect(problemsOf({ RWS_RECORDER_HEARTBEAT_MS: '0' })[0]).toMatch(/^RWS_RECORDER_HEARTBEAT_MS:/);
    expect(problemsOf({ RWS_RECORDER_RESEND_MS: 'soon' })[0]).toMatch(/^RWS_RECORDER_RESEND_MS:/);
  });

  it('reads master keys as 32 bytes of base64 and refuses anything else without echoing it', () => {
    const current = Buffer.alloc(32, 1).toString('base64');
    const old = Buffer.alloc(32, 2).toString('base64');
    const config = loadConfig({ RWS_MASTER_KEY: current, RWS_MASTER_KEYS_OLD: ` ${old} ,` });
    expect(config.masterKey?.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(config.oldMasterKeys).toEqual([Buffer.alloc(32, 2)]);
    expect(loadConfig({}).oldMasterKeys).toEqual([]);
    const problems = problemsOf({ RWS_MASTER_KEY: 'c2VjcmV0', RWS_MASTER_KEYS_OLD: `${old},${Buffer.alloc(16).toString('base64')}` });
    expect(problems).toEqual([expect.stringMatching(/^RWS_MASTER_KEY: /), expect.stringMatching(/^RWS_MASTER_KEYS_OLD: /)]);
    expect(problems.join()).not.toContain('c2VjcmV0');
  });

  it('requires a service credential of 32+ characters with a remote crypto service', () => {
    expect(problemsOf({ RWS_CRYPTO_URL: 'http://127.0.0.1:9090' })).toEqual(['RWS_CRYPTO_SERVICE_TOKEN: required when RWS_CRYPTO_URL is set']);
    expect(problemsOf({ RWS_CRYPTO_URL: 'http://127.0.0.1:9090', RWS_CRYPTO_SERVICE_TOKEN: 'short' })).toEqual([expect.stringMatching(/^RWS_CRYPTO_SERVICE_TOKEN: at least 32/)]);
    const token = 'x'.repeat(32);
    expect(loadConfig({ RWS_CRYPTO_URL: 'http://127.0.0.1:9090', RWS_CRYPTO_SERVICE_TOKEN: token })).toMatchObject({ cryptoUrl: 'http://127.0.0.1:9090', cryptoServiceToken: token });
  });
});
