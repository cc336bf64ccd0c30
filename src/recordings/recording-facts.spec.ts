import { factsOf } from './recording-facts';
import { parseInsertDocument } from './recording-insert.validation';
import { mergeRecording } from './recording-merge';
import { extensionOf, recordingView } from './recording-view';

const CCID = '18bae11b-0000-4000-8000-000000000001';

function recording(overrides: Record<string, unknown>) {
  return mergeRecording(
    undefined,
    parseInsertDocument({ id: 'C1', region: 'r1', callerPhoneNumber: '+1 (617) 264-0431', dialedPhoneNumber: 'sip:7001', eventHistory: [], mediaFiles: [], ...overrides }, CCID),
  );
}

describe('factsOf', () => {
  it('collects what search and access need from every place the processor puts it', () => {
    const facts = factsOf(
      recording({
        callType: 'Inbound',
        mediaFiles: [
          { mediaId: 'a', callUUID: 'C1', startTime: '2020-01-01T10:00:00Z', stopTime: '2020-01-01T10:05:00Z', parameters: { agentId: 'a1', connId: 'c1', GRECORD_PARTITIONS: '/x, /y' }, partitions: ['/z'], accessgroups: ['/W/T'] },
          { mediaId: 'b', startTime: '2020-01-01T09:59:00Z', parameters: { agentId: 'a2', username: 'u2' } },
        ],
        eventHistory: [{ occurredAt: '2020-01-01T09:00:00Z', calluuid: 'CONSULT', contact: { userName: 'u1', agentId: 'a3' } }],
        labels: ['l1'],
      }),
    );
    expect(facts).toMatchObject({
      caller: '16172640431',
      dialed: 'sip7001',
      callType: 'Inbound',
      agentIds: ['a1', 'a2', 'a3'],
      userNames: ['u1', 'u2'],
      partitions: ['/x', '/y', '/z'],
      callUuids: ['C1', 'CONSULT'],
      connIds: ['c1'],
      accessGroups: ['/W/T'],
      labels: ['l1'],
      timed: true,
      startMs: Date.parse('2020-01-01T09:59:00Z'),
      stopMs: Date.parse('2020-01-01T10:05:00Z'),
    });
  });

  it('falls back to event times, and marks recordings without any time', () => {
    expect(factsOf(recording({ eventHistory: [{ occurredAt: '2020-01-01T09:00:00Z' }, { occurredAt: '2020-01-01T09:30:00Z' }] }))).toMatchObject({
      startMs: Date.parse('2020-01-01T09:00:00Z'),
      stopMs: Date.parse('2020-01-01T09:30:00Z'),
      timed: true,
    });
    expect(factsOf(recording({}))).toMatchObject({ timed: false, startMs: 0, stopMs: 0 });
  });

  it('normalises a stop posted before its start into the interval between them', () => {
    const facts = factsOf(recording({ startTime: '2020-01-01T10:00:00Z', stopTime: '2020-01-01T05:00:38Z' }));
    expect(facts).toMatchObject({ startMs: Date.parse('2020-01-01T05:00:38Z'), stopMs: Date.parse('2020-01-01T10:00:00Z') });
  });
});

describe('recordingView', () => {
  it('adds play links, the descriptor and screen recordings', () => {
    const doc = recording({ mediaFiles: [{ mediaId: 'x.wav', mediaDescriptor: { storage: 'webDAV', path: 'http://dav/x.wav' } }] });
    const view = recordingView(doc, { baseUrl: 'https://rws.example', family: '' }, []) as { mediaFiles: Record<string, unknown>[]; screenRecordings: unknown[] };
    const id = doc.mediaFiles[0].mediaFileId;
    expect(view.mediaFiles[0]).toMatchObject({
      mediaUri: `https://rws.example/api/v2/recordings/C1/play/${id}.wav`,
      mediaPath: `/recordings/C1/play/${id}.wav`,
      playPath: `/recordings/C1/play/${id}.wav`,
      originalMediaDescriptor: { storage: 'webDAV', path: 'http://dav/x.wav' },
    });
    expect(view.screenRecordings).toEqual([]);
  });

  it('names the play extension after the media type, then the mediaId', () => {
    expect(extensionOf({ mediaId: 'a.bin', type: 'audio/mp3' })).toBe('mp3');
    expect(extensionOf({ mediaId: 'a.WAV' })).toBe('wav');
    expect(extensionOf({ mediaId: 'a.bin' })).toBe('mp3');
  });
});
