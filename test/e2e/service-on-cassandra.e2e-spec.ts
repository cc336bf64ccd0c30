import { parseHostPortList } from '../../src/config/host-port';
import { TcpProxy } from '../support/tcp-proxy';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

const CONTACT_CENTERS = '/api/v2/ops/contact-centers';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(app: TestApp, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(app.url + path, {
    method,
    headers: { authorization: app.opsAuth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

function cassandraState(answer: Answer): string | undefined {
  return (answer.body.dependencies as Record<string, { status: string }> | undefined)?.cassandra?.status;
}

describe('RWS on Cassandra', () => {
  describe('with Cassandra reachable', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp(testConfig({ metadata: 'cassandra' }));
    }, 120_000);

    afterAll(async () => {
      await app?.close();
    });

    it('reports ready with the cassandra dependency up', async () => {
      const ready = await call(app, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ statusCode: 0, status: 'ready' });
      expect(cassandraState(ready)).toBe('up');
    });

    it('creates, lists and reads contact centers through the ops API', async () => {
      const created = await call(app, 'POST', CONTACT_CENTERS, { name: 'On Cassandra' });
      expect(created.status).toBe(200);
      const cc = created.body.contactCenter as { id: string; name: string; features: string[] };
      expect(cc).toMatchObject({ name: 'On Cassandra', features: [] });
      expect(created.body.uri).toBe(`${app.url}${CONTACT_CENTERS}/${cc.id}`);

      const list = await call(app, 'GET', CONTACT_CENTERS);
      expect(list.status).toBe(200);
      expect(list.body.statusCode).toBe(0);
      expect(list.body.uris).toContain(created.body.uri);

      const features = await call(app, 'POST', `${CONTACT_CENTERS}/${cc.id}/features`, { uris: ['/api/api-voice-recording'] });
      expect(features.status).toBe(200);
      const one = await call(app, 'GET', `${CONTACT_CENTERS}/${cc.id}`);
      expect(one.status).toBe(200);
      expect(one.body.contactCenter).toMatchObject({ id: cc.id, name: 'On Cassandra', features: ['/api/api-voice-recording'] });
    });
  });

  describe('when Cassandra becomes unreachable and comes back', () => {
    let proxy: TcpProxy;
    let app: TestApp;

    beforeAll(async () => {
      const [cassandra] = parseHostPortList(testConfig({ metadata: 'cassandra' }).cassandra.contactPoints[0], 9042);
      proxy = await TcpProxy.start(cassandra);
      app = await startTestApp(testConfig({ metadata: 'cassandra', env: { CASSANDRA_CONTACT_POINTS: proxy.address } }));
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      await proxy?.close();
    });

    it('answers 503 with Retry-After (never 500) during the outage and serves again once it ends', async () => {
      const before = await call(app, 'POST', CONTACT_CENTERS, { name: 'Before the outage' });
      expect(before.status).toBe(200);
      expect((await call(app, 'GET', '/health/ready')).status).toBe(200);

      await proxy.cut();

      await expectEventually(async () => {
        const ready = await call(app, 'GET', '/health/ready');
        expect(ready.status).toBe(503);
        expect(cassandraState(ready)).toBe('down');
      }, 15_000);
      for (const request of [
        () => call(app, 'GET', CONTACT_CENTERS),
        () => call(app, 'POST', CONTACT_CENTERS, { name: 'During the outage' }),
        () => call(app, 'GET', `${CONTACT_CENTERS}/${(before.body.contactCenter as { id: string }).id}`),
      ]) {
        const answer = await request();
        expect({ status: answer.status, statusCode: answer.body.statusCode }).toEqual({ status: 503, statusCode: 9 });
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(answer.body.statusMessage).toMatch(/Cassandra/);
      }

      await proxy.restore();

      await expectEventually(async () => {
        expect((await call(app, 'GET', '/health/ready')).status).toBe(200);
      }, 30_000, 200);
      const list = await call(app, 'GET', CONTACT_CENTERS);
      expect(list.status).toBe(200);
      expect(list.body.uris).toContain(before.body.uri);
      const after = await call(app, 'POST', CONTACT_CENTERS, { name: 'After the outage' });
      expect(after.status).toBe(200);
    }, 90_000);
  });
});
