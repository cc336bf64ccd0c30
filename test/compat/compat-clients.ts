import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { MetadataBackend, StorageBackend, testConfig } from '../support/test-config';
import type { AppConfig } from '../../src/config/app-config';

/** The two deployments every compat flow runs on: the embedded default, and Cassandra + Apache WebDAV. */
export const DEPLOYMENTS: { name: string; metadata: MetadataBackend; storage: StorageBackend }[] = [
  { name: 'embedded default', metadata: 'embedded', storage: 'filesystem' },
  { name: 'Cassandra + WebDAV', metadata: 'cassandra', storage: 'webdav' },
];

export function deploymentConfig(deployment: (typeof DEPLOYMENTS)[number], env: Record<string, string> = {}): AppConfig {
  return testConfig({ metadata: deployment.metadata, storage: deployment.storage, env });
}

/** A contact center with both recording features (as installers enable them) and its service account. */
export async function serviceContactCenter(app: TestApp): Promise<{ ccid: string; service: TestUser }> {
  const ccid = await createContactCenter(app);
  const features = await fetch(`${app.url}/api/v2/ops/contact-centers/${ccid}/features`, {
    method: 'POST',
    headers: { authorization: app.opsAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] }),
  });
  expect(features.status).toBe(200);
  return { ccid, service: await createUser(app, ccid, 'rp', { kind: 'service' }) };
}

/**
 * A cookie jar as Python's requests / httplib2 keep one: every `Set-Cookie` name=value is remembered and
 * sent back in `Cookie`.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get size(): number {
    return this.cookies.size;
  }
}

export { startTestApp };
