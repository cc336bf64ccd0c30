/**
 * The reference screen recorder (CLI). Connects to RWS as one agent, follows the commands and logs them as
 * JSON lines, writes a generated media file per recording (GeneratedFileMediaSession; a real capture plugs
 * in through MediaSession) and uploads each finished file with tus, resuming after interruptions.
 *
 *   node dist/tools/recorder/main.js --url ws://127.0.0.1:8080/api/v2/screen-recording/connect --user agent1
 *   (password from RECORDER_PASSWORD, or a bearer token from RECORDER_TOKEN; never on the command line)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { GeneratedFileMediaSession, recordedSeconds } from './media-session';
import { RecorderClient } from './recorder-client';
import { TusUploader } from './tus-uploader';
import { downloadRelease } from './update-downloader';

const VERSION = '0.1.0';

function log(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), event, ...fields })}\n`);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:8080/api/v2/screen-recording/connect' },
      user: { type: 'string' },
      place: { type: 'string' },
      dn: { type: 'string', multiple: true },
      'media-dir': { type: 'string', default: './recordings' },
      platform: { type: 'string', default: `${process.platform}-${process.arch}` },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const token = process.env.RECORDER_TOKEN;
  const password = process.env.RECORDER_PASSWORD;
  if (values.help || (!token && !(values.user && password))) {
    process.stderr.write('usage: main.js --url <ws url> --user <name> [--place P] [--dn 7001]… [--media-dir DIR]\n' +
      '       with RECORDER_PASSWORD (Basic) or RECORDER_TOKEN (Bearer) in the environment\n');
    process.exit(values.help ? 0 : 64);
  }
  const authorization = token ? `Bearer ${token}` : `Basic ${Buffer.from(`${values.user}:${password}`).toString('base64')}`;
  const client = new RecorderClient({
    url: values.url!,
    authorization,
    hello: {
      clientVersion: VERSION,
      platform: values.platform!,
      place: values.place,
      devices: values.dn?.map((dn) => ({ dn })),
    },
    media: new GeneratedFileMediaSession(values['media-dir']!),
  });
  client.on('welcome', (w) => log('welcome', { sessionId: w.sessionId, agent: w.agent, desired: w.desired }));
  client.on('command', (c) => log('command', { commandId: c.commandId, action: c.action, recordingId: c.recordingId, callUuid: c.callUuid }));
  client.on('state', (s, reason) => log('state', { recording: s, reason }));
  const httpBase = new URL(values.url!.replace(/^ws/, 'http')).origin;
  const uploader = new TusUploader({ baseUrl: httpBase, authorization });
  client.on('finished', (f: { recordingId: string; file?: string }) => {
    log('finished', f);
    if (!f.file) return;
    const file = f.file;
    void readFile(file, 'utf8')
      .then((lines) => uploader.create(file, f.recordingId, 'application/x-ndjson', recordedSeconds(lines)))
      .then((url) => uploader.resume(url, file))
      .then(() => log('uploaded', { recordingId: f.recordingId }))
      .catch((err: Error) => log('upload-failed', { recordingId: f.recordingId, message: err.message }));
  });
  client.on('update-available', (u) => {
    log('update-available', u);
    // Download and verify; a pinned key (RECORDER_RELEASE_KEY, PEM) makes the signature mandatory.
    void downloadRelease(u, join(values['media-dir']!, 'updates'), authorization, process.env.RECORDER_RELEASE_KEY)
      .then((file) => log('update-ready', { version: u.version, file }))
      .catch((err: Error) => log('update-failed', { version: u.version, message: err.message }));
  });
  client.on('error-frame', (e) => log('server-error', e));
  client.on('rejected', (r) => log('rejected', r));
  client.on('disconnected', (d) => log('disconnected', d));
  client.on('replaced', () => log('replaced', { note: 'another recorder took over this agent; exiting' }));
  client.on('socket-error', (e: Error) => log('socket-error', { message: e.message }));
  client.on('media-error', (e: Error) => log('media-error', { message: e.message }));
  client.on('replaced', () => setTimeout(() => process.exit(0), 100));
  const stop = () => void client.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void client.connect().catch((err: Error) => {
    log('fatal', { message: err.message });
    process.exit(1);
  });
}

main();
