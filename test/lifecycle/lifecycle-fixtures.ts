import { verify } from 'node:crypto';
import { client, recordingDocument } from '../support/recording-fixtures';
import { expectEventually, TestApp } from '../support/test-app';

export const DAY_MS = 86_400_000;

/** An RWS timestamp `offsetMs` from now. */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

/** Posts a recording started at `startMs` (5 minutes long) with these media parameters and partitions. */
export async function postRecording(
  app: TestApp,
  ccid: string,
  startMs: number,
  options: { partitions?: string[]; parameters?: Record<string, unknown>; labels?: string[]; callType?: string } = {},
): Promise<string> {
  const id = `RET${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
  const doc = recordingDocument({
    id,
    startTime: isoAt(startMs),
    stopTime: isoAt(startMs + 300_000),
    callType: options.callType ?? 'Inbound',
    eventHistory: [],
    mediaFiles: [
      {
        mediaId: `callrec.${id}.mp3`,
        callUUID: id,
        type: 'audio/mp3',
        startTime: isoAt(startMs),
        stopTime: isoAt(startMs + 300_000),
        sha256: `${id.toLowerCase()}`.padEnd(64, '0'),
        parameters: { agentId: 'agent7001', ...(options.parameters ?? {}) },
        accessgroups: ['/EMEA/Sales'],
        partitions: options.partitions ?? ['/sales'],
      },
    ],
  });
  const response = await client(app).post(`/internal-api/contact-centers/${ccid}/recordings`, doc);
  if (response.status !== 200) throw new Error(`insert answered ${response.status}: ${JSON.stringify(response.body)}`);
  return id;
}

/** Every id a dry run lists, following its page tokens. */
export async function dryRunIds(app: TestApp, ccid: string, policyId: string, limit: number): Promise<string[]> {
  const http = client(app);
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await http.get(`/api/v2/ops/contact-centers/${ccid}/retention-policies/${policyId}/dry-run?limit=${limit}${token ? `&pageToken=${token}` : ''}`);
    if (page.status !== 200) throw new Error(`dry run answered ${page.status}`);
    ids.push(...(page.body.recordings as { id: string }[]).map((r) => r.id));
    token = page.body.nextPageToken as string | undefined;
  } while (token);
  return ids;
}

/** Asks for a run of the policy now (202) and waits until its newest run finished without an error; resolves with that run. */
export async function runPolicyNow(app: TestApp, ccid: string, policyId: string): Promise<Record<string, unknown>> {
  const http = client(app);
  const runs = `/api/v2/ops/contact-centers/${ccid}/retention-policies/${policyId}/runs`;
  const asked = await http.post(runs, {});
  if (asked.status !== 202) throw new Error(`run now answered ${asked.status}, not 202`);
  let run: Record<string, unknown> = {};
  await expectEventually(async () => {
    run = ((await http.get(runs)).body.runs as Record<string, unknown>[])[0];
    if (run?.state !== 'finished' || run.lastError !== undefined) throw new Error(`newest run: ${JSON.stringify({ state: run?.state, lastError: run?.lastError })}, not finished without an error`);
  }, 30_000);
  return run;
}

/** Checks a receipt's signature with node:crypto and nothing but the published public key. */
export function receiptVerifies(publicKeyPem: string, document: string, signatureBase64: string): boolean {
  return verify(null, Buffer.from(document, 'utf8'), publicKeyPem, Buffer.from(signatureBase64, 'base64'));
}
