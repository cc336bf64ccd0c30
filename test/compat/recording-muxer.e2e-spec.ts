/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are walked loosely, as the muxer does */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { RecordingStorage } from '../../src/storage/recording-storage';
import { WebDavClient } from '../../src/storage/webdav/webdav-client';
import { createIdentityFixture, createUser, IdentityFixture, TestUser } from '../support/identity-fixtures';
import { recordingDocument } from '../support/recording-fixtures';
import { createTusUpload, startScreenRecording, TUS } from '../support/screen-upload-fixtures';
import { TestApp } from '../support/test-app';
import { DEPLOYMENTS, deploymentConfig, startTestApp } from './compat-clients';

/**
 * The Recording Muxer's job, in its order (compat.md §4), with a service account of the contact center:
 * encryption settings, the voice recording, the screen recording and its content, registering the muxed
 * file in the shape it read, deleting the originals, and its settings group. Also the original's label
 * resource (§6).
 */
describe.each(DEPLOYMENTS)('Recording Muxer on the $name', (deployment) => {
  let rws: TestApp;
  let people: IdentityFixture;
  let admin: TestUser;
  /** The muxer's service account: an operator grants it deleteRecordings, for removing the originals after muxing. */
  let muxer: TestUser;
  // Voice media is where media servers put it: the shared Apache WebDAV, named in the contact center's voice storage settings.
  const voiceDav = new WebDavClient({ url: process.env.WEBDAV_URL!, username: process.env.WEBDAV_USERNAME, password: process.env.WEBDAV_PASSWORD });
  const json = (user: { basic: string }) => ({ authorization: user.basic, 'content-type': 'application/json' });
  const internal = () => `${rws.url}/internal-api/contact-centers/${people.ccid}/screen-recordings`;
  const getScreen = async (id: string) => {
    const res = await fetch(`${internal()}/${id}`, { headers: { authorization: people.processor.basic } });
    expect(res.status).toBe(200);
    return ((await res.json()) as any).recording;
  };

  beforeAll(async () => {
    rws = await startTestApp(deploymentConfig(deployment));
    people = await createIdentityFixture(rws);
    admin = await createUser(rws, people.ccid, 'admin', { roles: ['admin'] });
    muxer = await createUser(rws, people.ccid, 'muxer', { kind: 'service', permissions: ['deleteRecordings'] });
    const features = await fetch(`${rws.url}/api/v2/ops/contact-centers/${people.ccid}/features`, {
      method: 'POST',
      headers: { authorization: rws.opsAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] }),
    });
    expect(features.status).toBe(200);
    const voiceStore = { store: [{ webDAV: { storagePath: voiceDav.baseUrl.href, username: process.env.WEBDAV_USERNAME, password: process.env.WEBDAV_PASSWORD } }] };
    const settings = await fetch(`${rws.url}/api/v2/ops/contact-centers/${people.ccid}/settings/recordings`, { method: 'PUT', headers: { authorization: rws.opsAuth, 'content-type': 'application/json' }, body: JSON.stringify(voiceStore) });
    expect(settings.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    voiceDav.close();
    await rws?.close();
  });

  /** A screen recording of alice's call, uploaded by her recorder over tus; returns its id and bytes. */
  async function uploadedScreenRecording(callUuid: string): Promise<{ id: string; bytes: Buffer }> {
    const bytes = randomBytes(64 * 1024 + 17);
    const id = await startScreenRecording(rws, people, { callUuid });
    const path = await createTusUpload(rws, people.alice.basic, id, bytes);
    const patched = await fetch(`${rws.url}${path}`, {
      method: 'PATCH',
      headers: { ...TUS, authorization: people.alice.basic, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: bytes,
    });
    expect(patched.status).toBe(204);
    return { id, bytes };
  }

  it('muxes: reads voice and screen, registers the muxed file in the shape it read, deletes the originals', async () => {
    const callUuid = `CALLMUX${randomUUID().slice(0, 8).toUpperCase()}`;
    const voiceBytes = randomBytes(48 * 1024 + 3);
    const voicePath = `voice-${randomUUID()}/${callUuid}.mp3`;
    await voiceDav.put(voicePath, Readable.from([voiceBytes]), { contentLength: voiceBytes.length });
    const voice = recordingDocument({ id: callUuid });
    (voice.mediaFiles as any)[0].mediaDescriptor = { storage: 'webDAV', path: new URL(voicePath, voiceDav.baseUrl).href };
    const voiceMediaId = (voice.mediaFiles as any)[0].mediaId as string;
    expect((await fetch(`${rws.url}/internal-api/contact-centers/${people.ccid}/recordings`, { method: 'POST', headers: json(people.processor), body: JSON.stringify(voice) })).status).toBe(200);
    const { id, bytes } = await uploadedScreenRecording(callUuid);

    // 1. Encryption settings; 2. the voice recording.
    const encryption = await fetch(`${rws.url}/api/v2/ops/contact-centers/${people.ccid}/settings/screen-recording-encryption`, { headers: { authorization: people.processor.basic } });
    expect(encryption.status).toBe(200);
    expect(((await encryption.json()) as any).key).toBe('name');
    const voiceRead = await fetch(`${rws.url}/api/v2/ops/contact-centers/${people.ccid}/recordings/${callUuid}`, { headers: { authorization: people.processor.basic } });
    const voiceMedia = ((await voiceRead.json()) as any).recording.mediaFiles[0];
    expect(voiceMedia.mediaId).toBe(voiceMediaId);
    const voicePlayed = await fetch(voiceMedia.mediaUri, { headers: { authorization: people.processor.basic } });
    expect(voicePlayed.status).toBe(200);
    expect(Buffer.from(await voicePlayed.arrayBuffer()).equals(voiceBytes)).toBe(true);

    // 3. The screen recording: mediaPath, parameters.region, eventHistory, and the folder in storagePath.
    const screen = await getScreen(id);
    expect(screen.eventHistory).toEqual([expect.objectContaining({ event: 'Started' })]);
    const original = screen.mediaFiles[0];
    const screenMediaId = original.mediaId as string;
    expect(original.mediaPath).toBe(`/contact-centers/${people.ccid}/screen-recordings/${id}/content/${screenMediaId}`);
    expect(original.mediaUri).toBe(`${rws.url}/internal-api${original.mediaPath}`);
    expect(original.parameters).toEqual({ region: 'region1', contact: { userName: people.alice.userName } });
    expect(original.mediaDescriptor).toEqual(original.originalMediaDescriptor);
    const folder = original.mediaDescriptor.data.storagePath as string;
    expect(folder).toMatch(/\/$/);
    expect(folder).toContain(`/screen/${id}/`);
    expect(original.mediaDescriptor.path).not.toContain('/');
    if (deployment.storage === 'webdav') expect(folder.startsWith(process.env.WEBDAV_URL!.replace(/\/?$/, '/'))).toBe(true);
    const content = await fetch(original.mediaUri, { headers: { authorization: people.processor.basic, range: 'bytes=0-' } });
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);

    // 4. The muxer writes its file into that folder and registers it as it read the recording.
    const muxed = randomBytes(300_012);
    const fileName = `muxed-${randomUUID()}.mp4`;
    const folderKey = deployment.storage === 'webdav' ? decodeURIComponent(folder.slice(process.env.WEBDAV_URL!.replace(/\/?$/, '/').length)) : folder;
    await rws.app.get(RecordingStorage).write(`${folderKey}${fileName}`, Readable.from([muxed]), { contentLength: muxed.length });
    const registration = {
      id,
      mediaFiles: [
        {
          mediaId: fileName,
          startTime: original.startTime,
          stopTime: original.stopTime,
          duration: '20',
          size: String(muxed.length),
          type: 'video/mp4',
          parameters: { region: 'region1', contact: { userName: people.alice.userName }, muxed_mediaIds: [voiceMediaId, screenMediaId] },
          mediaDescriptor: { storage: original.mediaDescriptor.storage, path: fileName, data: { storagePath: folder } },
        },
      ],
    };
    const registered = await fetch(internal(), { method: 'POST', headers: json(people.processor), body: JSON.stringify(registration) });
    expect(registered.status).toBe(200);
    expect(((await registered.json()) as any).id).toBe(id);

    // 5. It deletes the originals (a service account without the deleteRecordings grant may not).
    const originalUrl = `${internal()}/${id}/content/${encodeURIComponent(screenMediaId)}`;
    expect((await fetch(originalUrl, { method: 'DELETE', headers: { authorization: people.processor.basic } })).status).toBe(403);
    const deleted = await fetch(originalUrl, { method: 'DELETE', headers: { authorization: muxer.basic } });
    expect(deleted.status).toBe(200);

    const after = await getScreen(id);
    expect(after.mediaFiles).toHaveLength(1);
    expect(after.mediaFiles[0]).toMatchObject({
      mediaId: fileName,
      duration: '20',
      size: String(muxed.length),
      parameters: registration.mediaFiles[0].parameters,
      mediaDescriptor: { path: fileName, data: { storagePath: folder } },
    });
    const muxedContent = await fetch(after.mediaFiles[0].mediaUri, { headers: { authorization: people.processor.basic } });
    expect(createHash('sha256').update(Buffer.from(await muxedContent.arrayBuffer())).digest('hex')).toBe(createHash('sha256').update(muxed).digest('hex'));

    // What GET returns can be posted back as it is: accepted, and nothing changes.
    const again = await fetch(internal(), { method: 'POST', headers: json(people.processor), body: JSON.stringify(after) });
    expect(again.status).toBe(200);
    expect(await getScreen(id)).toEqual(after);

    // Another contact center's service cannot add to it; an agent cannot either.
    expect((await fetch(internal(), { method: 'POST', headers: json(people.foreignService), body: JSON.stringify(registration) })).status).toBe(403);
    expect((await fetch(internal(), { method: 'POST', headers: json(people.alice), body: JSON.stringify(registration) })).status).toBe(403);
  });

  it('registers a new muxed recording from the GET shape with numbers or strings, and explains what is missing', async () => {
    // A service registering a new recording names its id and writes its file into that recording's folder.
    const id = randomUUID();
    const fileName = `muxed-${randomUUID()}.mp4`;
    const folderKey = `cc/${people.ccid}/screen/${id}/`;
    const bytes = randomBytes(4096);
    await rws.app.get(RecordingStorage).write(`${folderKey}${fileName}`, Readable.from([bytes]), { contentLength: bytes.length });
    const folder = deployment.storage === 'webdav' ? `${process.env.WEBDAV_URL!.replace(/\/?$/, '/')}${folderKey}` : folderKey;
    const media = { mediaId: fileName, startTime: '2026-11-20T10:00:00Z', stopTime: '2026-11-20T10:00:20Z', type: 'video/mp4', size: 4096, duration: 20, mediaDescriptor: { storage: 'webDAV', path: fileName, data: { storagePath: folder } }, parameters: { contact: { userName: people.bob.userName } } };
    const missing = await fetch(internal(), { method: 'POST', headers: json(people.processor), body: JSON.stringify({ id, mediaFiles: [media] }) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).statusMessage).toMatch(/^Parameter 'callUuid' is invalid: is mandatory/);
    const badSize = await fetch(internal(), { method: 'POST', headers: json(people.processor), body: JSON.stringify({ id, callUuid: 'CALLNEW1', mediaFiles: [{ ...media, size: 'big' }] }) });
    expect(((await badSize.json()) as any).statusMessage).toMatch(/^Parameter 'mediaFiles\[0\]\.size' is invalid/);
    const created = await fetch(internal(), { method: 'POST', headers: json(people.processor), body: JSON.stringify({ id, callUuid: 'CALLNEW1', mediaFiles: [media] }) });
    expect(created.status).toBe(200);
    const recording = ((await created.json()) as any).recording;
    expect(recording).toMatchObject({ id, callUuid: 'CALLNEW1', userName: people.bob.userName, state: 'stored', startTime: '2026-11-20T10:00:00.000+0000', stopTime: '2026-11-20T10:00:20.000+0000', eventHistory: [] });
    expect(recording.mediaFiles[0]).toMatchObject({ size: '4096', duration: '20', mediaDescriptor: { path: fileName, data: { storagePath: folder } } });

    // Another file under a mediaId the recording already holds is a conflict, and changes nothing.
    const otherName = `other-${randomUUID()}.mp4`;
    await rws.app.get(RecordingStorage).write(`${folderKey}${otherName}`, Readable.from([bytes]), { contentLength: bytes.length });
    const clash = { id, mediaFiles: [{ ...media, mediaDescriptor: { storage: 'webDAV', path: otherName, data: { storagePath: folder } } }] };
    const conflict = await fetch(internal(), { method: 'POST', headers: json(people.processor), body: JSON.stringify(clash) });
    expect(conflict.status).toBe(409);
    expect((await getScreen(id)).mediaFiles.map((m: any) => m.mediaDescriptor.path)).toEqual([fileName]);
  });

  it('serves the irp-muxer settings group, and the label resource of recordings', async () => {
    const empty = await fetch(`${rws.url}/api/v2/settings/irp-muxer`, { headers: { authorization: people.processor.basic } });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ statusCode: 0, settings: [], key: 'name' });
    const settings = [{ name: 'decrypt-uri-prefix', value: `${rws.url}/internal-api/crypto` }];
    expect((await fetch(`${rws.url}/api/v2/settings/irp-muxer`, { method: 'PUT', headers: json(people.processor), body: JSON.stringify({ settings }) })).status).toBe(403);
    expect((await fetch(`${rws.url}/api/v2/settings/irp-muxer`, { method: 'PUT', headers: json(admin), body: JSON.stringify({ settings }) })).status).toBe(200);
    expect(await (await fetch(`${rws.url}/api/v2/settings/irp-muxer`, { headers: { authorization: people.processor.basic } })).json()).toEqual({ statusCode: 0, settings, key: 'name' });
    const other = await fetch(`${rws.url}/api/v2/settings/irp-muxer`, { headers: { authorization: people.foreignService.basic } });
    expect(((await other.json()) as any).settings).toEqual([]);

    const voice = recordingDocument();
    (voice.mediaFiles as any)[0].mediaDescriptor = { storage: 'webDAV', path: new URL(`voice-${randomUUID()}/${voice.id}.mp3`, voiceDav.baseUrl).href };
    expect((await fetch(`${rws.url}/internal-api/contact-centers/${people.ccid}/recordings`, { method: 'POST', headers: json(people.processor), body: JSON.stringify(voice) })).status).toBe(200);
    const ops = { authorization: rws.opsAuth, 'content-type': 'application/json' };
    expect((await fetch(`${rws.url}/api/v2/recording-label-definitions?ccid=${people.ccid}`, { method: 'POST', headers: ops, body: JSON.stringify({ name: 'muxed' }) })).status).toBe(200);
    const labels = `${rws.url}/api/v2/recordings/${voice.id}/labels?ccid=${people.ccid}`;
    expect((await fetch(labels, { method: 'POST', headers: ops, body: JSON.stringify({ label: 'muxed' }) })).status).toBe(200);
    const read = async () => ((await (await fetch(`${rws.url}/api/v2/recordings/${voice.id}?ccid=${people.ccid}`, { headers: { authorization: rws.opsAuth } })).json()) as any).recording.labels;
    expect(await read()).toEqual(['muxed']);
    // An agent without manageLabels may not label, even through the alias.
    expect((await fetch(`${rws.url}/api/v2/recordings/${voice.id}/labels`, { method: 'POST', headers: json(people.alice), body: JSON.stringify({ label: 'muxed' }) })).status).toBe(403);
    expect((await fetch(labels, { method: 'POST', headers: ops, body: JSON.stringify({ operationName: 'removeLabel', label: 'muxed' }) })).status).toBe(200);
    expect(await read()).toEqual([]);
  });
});
