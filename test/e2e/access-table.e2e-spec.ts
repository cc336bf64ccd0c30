import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { parseInsertDocument } from '../../src/recordings/recording-insert.validation';
import { mergeRecording } from '../../src/recordings/recording-merge';
import { RecordingStore } from '../../src/recordings/recording.store';
import { ScreenRecordingStore } from '../../src/screen-recordings/screen-recording.store';
import { RecordingStorage } from '../../src/storage/recording-storage';
import { createUser, TestUser } from '../support/identity-fixtures';
import { client, createContactCenter, recordingDocument } from '../support/recording-fixtures';
import { basicAuth, startTestApp, TestApp } from '../support/test-app';
import { METADATA_BACKENDS, testConfig } from '../support/test-config';

/**
 * The access policy as a table (docs/access.md), tried cell by cell through HTTP: every role × operation ×
 * ownership case, on both metadata stores. A cell fails when an operation is allowed that the table forbids,
 * or refused that the table allows. Fixtures are made once per store; each destructive cell has its own.
 */

type Case = 'own' | 'hierarchy' | 'partition' | 'otherAgent' | 'otherCc' | 'otherRegion';
const CASES: Case[] = ['own', 'hierarchy', 'partition', 'otherAgent', 'otherCc', 'otherRegion'];
type Who = 'agent' | 'supervisor' | 'analyst' | 'admin' | 'deleter' | 'service' | 'deletingService' | 'foreignService' | 'ops';
const WHO: Who[] = ['agent', 'supervisor', 'analyst', 'admin', 'deleter', 'service', 'deletingService', 'foreignService', 'ops'];
type Op = 'read' | 'search' | 'play' | 'screenRead' | 'screenSearch' | 'screenPlay' | 'download' | 'label' | 'hold' | 'delete' | 'screenDelete' | 'control' | 'manage';

/** Which recordings each caller sees (the agent is `a-alice` under /EMEA/Sales; "otherCc" is the foreign service's own). */
const SEES: Record<Who, Case[]> = {
  agent: ['own'],
  supervisor: ['own', 'hierarchy'],
  analyst: ['partition'],
  admin: ['own', 'hierarchy', 'partition', 'otherAgent'],
  deleter: ['own', 'hierarchy'],
  service: ['own', 'hierarchy', 'partition', 'otherAgent'],
  deletingService: ['own', 'hierarchy', 'partition', 'otherAgent'],
  foreignService: ['otherCc'],
  ops: ['own', 'hierarchy', 'partition', 'otherAgent', 'otherCc'],
};

/** What each caller may do to a recording it sees (beyond seeing it). */
const MAY: Record<Who, Op[]> = {
  agent: ['read', 'search', 'play', 'screenRead', 'screenSearch', 'screenPlay'],
  supervisor: ['read', 'search', 'play', 'screenRead', 'screenSearch', 'screenPlay', 'label', 'hold', 'control'],
  analyst: ['read', 'search', 'play', 'screenRead', 'screenSearch', 'screenPlay', 'label', 'hold', 'control'],
  admin: ['read', 'search', 'play', 'screenRead', 'screenSearch', 'screenPlay', 'label', 'hold', 'control'],
  deleter: ['read', 'search', 'play', 'screenRead', 'screenSearch', 'screenPlay', 'delete', 'control'],
  service: ['read', 'search', 'play', 'screenRead', 'screenSearch', 'screenPlay', 'download'],
  deletingService: ['read', 'search', 'play', 'screenRead', 'screenSearch', 'screenPlay', 'download', 'delete', 'screenDelete'],
  foreignService: ['read', 'search', 'play', 'screenRead', 'screenSearch', 'screenPlay', 'download'],
  ops: ['read', 'search', 'play', 'screenRead', 'screenSearch', 'screenPlay', 'download', 'label', 'hold', 'delete', 'screenDelete', 'control', 'manage'],
};

/** The agent whose recordings (and calls) make each case, as seen from contact center A. */
const AGENTS: Record<Case, { agentId: string; hierarchy: string; partitions: string[]; ccid: 'A' | 'B'; region: string }> = {
  own: { agentId: 'a-alice', hierarchy: '/EMEA/Sales/alice', partitions: ['/support'], ccid: 'A', region: 'region1' },
  hierarchy: { agentId: 'a-bob', hierarchy: '/EMEA/Sales/bob', partitions: ['/support'], ccid: 'A', region: 'region1' },
  partition: { agentId: 'a-carol', hierarchy: '/APAC/carol', partitions: ['/sales'], ccid: 'A', region: 'region1' },
  otherAgent: { agentId: 'a-dave', hierarchy: '/APAC/dave', partitions: ['/support'], ccid: 'A', region: 'region1' },
  // Same agent id, hierarchy and partition as visible cases: only the contact center / region may keep it out.
  otherCc: { agentId: 'a-alice', hierarchy: '/EMEA/Sales/alice', partitions: ['/sales'], ccid: 'B', region: 'region1' },
  otherRegion: { agentId: 'a-alice', hierarchy: '/EMEA/Sales/alice', partitions: ['/sales'], ccid: 'A', region: 'region2' },
};

/** Operations on the recording per se vs on the contact center or an agent (no region, no partition for those). */
const NOT_APPLICABLE: Partial<Record<Op, Case[]>> = {
  control: ['partition', 'otherRegion'],
  manage: ['hierarchy', 'partition', 'otherAgent', 'otherRegion'],
};

function expectedAllowed(who: Who, op: Op, c: Case): boolean {
  if (op === 'manage') return who === 'ops';
  return SEES[who].includes(c) && MAY[who].includes(op);
}

interface Fixture {
  voiceId: string;
  mediaFileId: string;
  screenId: string;
  callUuid: string;
  screenMediaId: string;
}

describe.each(METADATA_BACKENDS)('the access table on the %s metadata store', (metadata) => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  let ccids: Record<'A' | 'B', string>;
  const users = {} as Record<Exclude<Who, 'ops'>, TestUser>;
  let agentsByCase: Partial<Record<Case, TestUser>>;
  let davUrl: string;
  let davAuth: string;
  const shared = {} as Record<Case, Fixture>;

  /** A voice and a screen recording of the case's agent, with media in storage, made through the stores (region2 included). */
  async function makeRecordings(c: Case): Promise<Fixture> {
    const agent = AGENTS[c];
    const ccid = ccids[agent.ccid];
    const callUuid = `ACC${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`;
    const voicePath = `${davUrl}voice-${ccid}/${callUuid}.mp3`;
    const put = await fetch(voicePath, { method: 'PUT', headers: { authorization: davAuth }, body: Buffer.alloc(512, 3) });
    expect([201, 204]).toContain(put.status);
    const doc = recordingDocument({ id: callUuid, region: agent.region, partitions: agent.partitions });
    const media = (doc.mediaFiles as Record<string, unknown>[])[0];
    Object.assign(media, {
      parameters: { ...(media.parameters as object), agentId: agent.agentId },
      accessgroups: [agent.hierarchy],
      partitions: agent.partitions,
      mediaDescriptor: { storage: 'webDAV', path: voicePath },
    });
    const voice = mergeRecording(undefined, parseInsertDocument(doc, ccid));
    await app.app.get(RecordingStore).upsert(ccid, callUuid, () => voice);
    const screenId = randomUUID();
    const screenMediaId = 'screen.mp4';
    const storageKey = `cc/${ccid}/screen/${screenId}/${screenMediaId}`;
    await app.app.get(RecordingStorage).write(storageKey, Readable.from([Buffer.alloc(256, 5)]), { contentLength: 256 });
    const now = new Date().toISOString();
    await app.app.get(ScreenRecordingStore).create({
      id: screenId,
      ccid,
      region: agent.region,
      userName: `user-of-${agent.agentId}`,
      agentId: agent.agentId,
      agentHierarchy: agent.hierarchy,
      partitions: agent.partitions,
      callUuid,
      connId: '0001',
      startTime: '2026-11-20T10:00:00.000Z',
      stopTime: '2026-11-20T10:05:00.000Z',
      state: 'stored',
      mediaFiles: [{ mediaId: screenMediaId, type: 'video/mp4', size: 256, startTime: now, stopTime: now, sha256: '', storageKey, storagePath: storageKey }],
      nonDelete: false,
      createdAt: now,
      updatedAt: now,
    });
    return { voiceId: callUuid, mediaFileId: voice.mediaFiles[0].mediaFileId as string, screenId, callUuid, screenMediaId };
  }

  beforeAll(async () => {
    const config = testConfig({ metadata, storage: 'webdav' });
    app = await startTestApp(config);
    http = client(app);
    davUrl = config.webdav!.url.replace(/\/?$/, '/');
    davAuth = basicAuth(config.webdav!.username!, config.webdav!.password!);
    ccids = { A: await createContactCenter(app), B: await createContactCenter(app) };
    for (const ccid of Object.values(ccids)) {
      await fetch(`${davUrl}voice-${ccid}/`, { method: 'MKCOL', headers: { authorization: davAuth } });
      const store = { store: [{ webDAV: { storagePath: `${davUrl}voice-${ccid}/`, username: config.webdav!.username, password: config.webdav!.password } }] };
      expect((await http.put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`, store)).status).toBe(200);
      expect((await http.post(`/api/v2/ops/contact-centers/${ccid}/recording-label-definitions`, { name: 'reviewed' })).status).toBe(200);
    }
    const old = ['decrypt', 'applyNonDelete', 'manageLabels', 'manageCertificates'];
    const A = ccids.A;
    [users.agent, users.supervisor, users.analyst, users.admin, users.deleter, users.service, users.deletingService, users.foreignService] = await Promise.all([
      createUser(app, A, 'agent', { roles: ['agent'], agentId: 'a-alice', agentHierarchy: '/EMEA/Sales/alice' }),
      createUser(app, A, 'sup', { roles: ['supervisor'], accessGroups: ['/EMEA/Sales'], permissions: old }),
      createUser(app, A, 'analyst', { roles: ['supervisor'], accessGroups: ['/sales'], permissions: old }),
      createUser(app, A, 'admin', { roles: ['admin', 'supervisor'], accessGroups: ['/'], permissions: old }),
      createUser(app, A, 'deleter', { roles: ['supervisor'], accessGroups: ['/EMEA/Sales'], permissions: ['deleteRecordings'] }),
      createUser(app, A, 'svc', { kind: 'service' }),
      createUser(app, A, 'svcdel', { kind: 'service', permissions: ['deleteRecordings'] }),
      createUser(app, ccids.B, 'foreign', { kind: 'service' }),
    ]);
    // The agents whose calls "control" targets (own: the agent itself).
    const [bob, dave, other] = await Promise.all([
      createUser(app, A, 'bob', { roles: ['agent'], agentId: 'a-bob', agentHierarchy: '/EMEA/Sales/bob' }),
      createUser(app, A, 'dave', { roles: ['agent'], agentId: 'a-dave', agentHierarchy: '/APAC/dave' }),
      createUser(app, ccids.B, 'bagent', { roles: ['agent'], agentId: 'a-alice', agentHierarchy: '/EMEA/Sales/alice' }),
    ]);
    agentsByCase = { own: users.agent, hierarchy: bob, otherAgent: dave, otherCc: other };
    for (const c of CASES) shared[c] = await makeRecordings(c);
  }, 180_000);

  afterAll(() => app?.close());

  const auth = (who: Who) => (who === 'ops' ? app.opsAuth : users[who].basic);
  const ccidOf = (c: Case) => ccids[AGENTS[c].ccid];
  /** Public paths: the ops account names the contact center with ?ccid=. */
  const q = (who: Who, c: Case, sep = '?') => (who === 'ops' ? `${sep}ccid=${ccidOf(c)}` : '');

  async function call(who: Who, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(app.url + path, {
      method,
      headers: { authorization: auth(who), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      /* media bytes */
    }
    return { status: res.status, body: json };
  }


  /** Runs one cell; resolves to whether the operation happened (and checks the refusal is a clean 403/404). */
  async function attempt(who: Who, op: Op, c: Case): Promise<boolean> {
    const f = shared[c];
    const ccid = ccidOf(c);
    const refused = (status: number) => {
      expect([403, 404]).toContain(status);
      return false;
    };
    switch (op) {
      case 'read': {
        const r = await call(who, 'GET', `/api/v2/recordings/${f.voiceId}${q(who, c)}`);
        return r.status === 200 ? true : refused(r.status);
      }
      case 'search': {
        const r = await call(who, 'GET', `/api/v2/recordings?callUuid=${f.callUuid}${q(who, c, '&')}`);
        if (r.status !== 200) return refused(r.status);
        return ((r.body.recordings as { id: string }[]) ?? []).some((x) => x.id === f.voiceId);
      }
      case 'play': {
        const r = await call(who, 'GET', `/api/v2/recordings/${f.voiceId}/play/${f.mediaFileId}.mp3${q(who, c)}`);
        return r.status === 200 ? true : refused(r.status);
      }
      case 'screenRead': {
        const r = await call(who, 'GET', `/api/v2/screen-recordings/${f.screenId}${q(who, c)}`);
        return r.status === 200 ? true : refused(r.status);
      }
      case 'screenSearch': {
        const r = await call(who, 'GET', `/api/v2/screen-recordings?callUuid=${f.callUuid}${q(who, c, '&')}`);
        if (r.status !== 200) return refused(r.status);
        return ((r.body.recordings as { id: string }[]) ?? []).some((x) => x.id === f.screenId);
      }
      case 'screenPlay': {
        const r = await call(who, 'GET', `/api/v2/screen-recordings/${f.screenId}/play/${f.screenMediaId}${q(who, c)}`);
        return r.status === 200 ? true : refused(r.status);
      }
      case 'download': {
        const r = await call(who, 'GET', `/internal-api/contact-centers/${ccid}/screen-recordings/${f.screenId}/content/${f.screenMediaId}`);
        return r.status === 200 ? true : refused(r.status);
      }
      case 'label': {
        const r = await call(who, 'POST', `/api/v2/recordings/${f.voiceId}${q(who, c)}`, { operationName: 'addLabel', label: 'reviewed' });
        const labelled = ((await app.app.get(RecordingStore).get(ccid, f.voiceId))?.labels ?? []).includes('reviewed');
        if (labelled) await app.app.get(RecordingStore).upsert(ccid, f.voiceId, (cur) => (cur ? { ...cur, labels: [] } : undefined));
        if (r.status !== 200) refused(r.status);
        expect(labelled).toBe(r.status === 200);
        return labelled;
      }
      case 'hold': {
        const r = await call(who, 'POST', `/api/v2/recordings/${f.voiceId}${q(who, c)}`, { operationName: 'applyNonDelete' });
        const held = (await app.app.get(RecordingStore).get(ccid, f.voiceId))?.nonDelete === true;
        if (held) await app.app.get(RecordingStore).upsert(ccid, f.voiceId, (cur) => (cur ? { ...cur, nonDelete: false } : undefined));
        if (r.status !== 200) refused(r.status);
        expect(held).toBe(r.status === 200);
        return held;
      }
      case 'delete': {
        const own = await makeRecordings(c);
        const r = await call(who, 'DELETE', `/api/v2/recordings/${own.voiceId}${q(who, c)}`);
        const gone = !(await app.app.get(RecordingStore).get(ccid, own.voiceId));
        if (r.status !== 200) refused(r.status);
        expect(gone).toBe(r.status === 200);
        return gone;
      }
      case 'screenDelete': {
        const own = await makeRecordings(c);
        const r = await call(who, 'DELETE', `/internal-api/contact-centers/${ccid}/screen-recordings/${own.screenId}/content/${own.screenMediaId}`);
        const left = (await app.app.get(ScreenRecordingStore).get(ccid, own.screenId))?.mediaFiles.length;
        if (r.status !== 200) refused(r.status);
        expect(left).toBe(r.status === 200 ? 0 : 1);
        return left === 0;
      }
      case 'control': {
        const target = agentsByCase[c]!;
        const r = await call(who, 'POST', `/api/v2/users/${target.userName}/calls/NOCALL${randomUUID().slice(0, 6)}`, { operationName: 'StartCallRecording' });
        // Past the authorisation the only thing missing is the call itself.
        if (r.status === 404 && /^Call \[/.test(String(r.body.statusMessage))) return true;
        return refused(r.status);
      }
      case 'manage': {
        const r = await call(who, 'GET', `/api/v2/ops/contact-centers/${ccid}/users`);
        return r.status === 200 ? true : refused(r.status);
      }
    }
  }

  const OPS: Op[] = ['read', 'search', 'play', 'screenRead', 'screenSearch', 'screenPlay', 'download', 'label', 'hold', 'delete', 'screenDelete', 'control', 'manage'];

  it.each(WHO)('%s: every operation on every ownership case is allowed exactly when the table says so', async (who) => {
    const wrong: string[] = [];
    for (const op of OPS) {
      const cells = CASES.filter((c) => !NOT_APPLICABLE[op]?.includes(c));
      const outcomes = await Promise.all(cells.map((c) => attempt(who, op, c)));
      cells.forEach((c, i) => {
        const expected = expectedAllowed(who, op, c);
        if (outcomes[i] !== expected) wrong.push(`${who} ${op} ${c}: ${outcomes[i] ? 'allowed but forbidden' : 'refused but allowed'}`);
      });
    }
    expect(wrong).toEqual([]);
  });
});
