import { mergeRecording } from './recording-merge';
import { parseInsertDocument } from './recording-insert.validation';
import type { RecordingInsert } from './voice-recording';

const CCID = '18bae11b-0000-4000-8000-000000000001';

function insert(overrides: Record<string, unknown> = {}): RecordingInsert {
  return parseInsertDocument(
    {
      id: 'CALL1',
      region: 'usw1',
      callerPhoneNumber: '+16172640431',
      dialedPhoneNumber: '+18489993333',
      startTime: '2014-12-16T18:42:41Z',
      stopTime: '2014-12-16T18:50:00Z',
      eventHistory: [{ occurredAt: '2014-12-16T18:42:41Z', calluuid: 'CALL1', event: 'Joined', contact: { type: 'External', phoneNumber: '555001' } }],
      mediaFiles: [{ mediaId: 'a.mp3', type: 'audio/mp3', duration: '38.376', size: '153504', parameters: { agentId: 'agent1' } }],
      ...overrides,
    },
    CCID,
  );
}

describe('mergeRecording', () => {
  it('assigns a UUID mediaFileId distinct from mediaId on first insert', () => {
    const merged = mergeRecording(undefined, insert());
    expect(merged.mediaFiles[0].mediaFileId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(merged.mediaFiles[0].mediaFileId).not.toBe('a.mp3');
    expect(merged.mediaFiles[0].duration).toBe('38.376');
    expect(merged).toMatchObject({ labels: [], nonDelete: false, ccid: CCID });
  });

  it('is idempotent: the same post twice gives the same recording', () => {
    const once = mergeRecording(undefined, insert());
    expect(mergeRecording(once, insert())).toEqual(once);
  });

  it('merges media files by mediaId, keeping the stored mediaFileId and appending new files', () => {
    const first = mergeRecording(undefined, insert());
    const kept = { ...first, mediaFiles: [{ ...first.mediaFiles[0], mediaFileId: 'kept-id' }] };
    const second = mergeRecording(
      kept,
      insert({ mediaFiles: [{ mediaId: 'b.mp3', size: '1' }, { mediaId: 'a.mp3', size: '999', pkcs7: 'PEM' }] }),
    );
    expect(second.mediaFiles.map((m) => m.mediaId)).toEqual(['a.mp3', 'b.mp3']);
    expect(second.mediaFiles[0]).toMatchObject({ mediaFileId: 'kept-id', size: '999', pkcs7: 'PEM', duration: '38.376' });
    expect(second.mediaFiles[1].mediaFileId).not.toBe('kept-id');
  });

  it('unions event history without duplicates, whatever the order of posts', () => {
    const e1 = { occurredAt: '2014-12-16T18:42:41Z', event: 'Joined' };
    const e2 = { occurredAt: '2014-12-16T18:43:00+00:00', event: 'Left' };
    const ab = mergeRecording(mergeRecording(undefined, insert({ eventHistory: [e1] })), insert({ eventHistory: [e2, e1] }));
    const ba = mergeRecording(mergeRecording(undefined, insert({ eventHistory: [e2] })), insert({ eventHistory: [e1] }));
    expect(ab.eventHistory).toEqual(ba.eventHistory);
    expect(ab.eventHistory.map((e) => e.event)).toEqual(['Joined', 'Left']);
  });

  it('widens start and stop', () => {
    const first = mergeRecording(undefined, insert());
    const widened = mergeRecording(first, insert({ startTime: '2014-12-16T18:00:00Z', stopTime: '2014-12-16T18:45:00Z' }));
    expect(widened.startTime).toBe('2014-12-16T18:00:00.000+0000');
    expect(widened.stopTime).toBe('2014-12-16T18:50:00.000+0000');
    const noTimes = insert();
    delete noTimes.startTime;
    delete noTimes.stopTime;
    expect(mergeRecording(first, noTimes).startTime).toBe('2014-12-16T18:42:41.000+0000');
  });

  it('keeps unknown fields, the newer post winning', () => {
    const first = mergeRecording(undefined, insert({ custom: { a: 1 }, other: 'x' }));
    const second = mergeRecording(first, insert({ custom: { b: 2 } }));
    expect(second.custom).toEqual({ b: 2 });
    expect(second.other).toBe('x');
  });

  it('adds labels and never clears non-delete', () => {
    const first = mergeRecording(undefined, insert({ labels: ['b'], nonDelete: true }));
    const second = mergeRecording(first, insert({ labels: ['a', 'b'] }));
    expect(second.labels).toEqual(['a', 'b']);
    expect(second.nonDelete).toBe(true);
  });
});
