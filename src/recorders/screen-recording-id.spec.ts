import { screenRecordingId, uuidV5 } from './screen-recording-id';

describe('screenRecordingId', () => {
  const alice = { ccid: 'cc-1', userName: 'alice' };

  it('is RFC 9562 UUIDv5 (the RFC\'s DNS-namespace example, python uuid5 gives the same)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('names the same recording for the same agent and call, on any node, at any time', () => {
    const id = screenRecordingId(alice, 'CALL-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(screenRecordingId({ ...alice }, 'CALL-1')).toBe(id);
    expect(screenRecordingId(alice, 'CALL-1', 1)).toBe(id);
  });

  it('differs per contact center, agent, call and generation, and parts cannot be shifted into each other', () => {
    const ids = [
      screenRecordingId(alice, 'CALL-1'),
      screenRecordingId({ ccid: 'cc-2', userName: 'alice' }, 'CALL-1'),
      screenRecordingId({ ccid: 'cc-1', userName: 'bob' }, 'CALL-1'),
      screenRecordingId(alice, 'CALL-2'),
      screenRecordingId(alice, 'CALL-1', 2),
      screenRecordingId({ userName: 'alice' }, 'CALL-1'),
      screenRecordingId({ ccid: 'cc-1', userName: 'alice\nCALL-1' }, ''),
      screenRecordingId({ ccid: 'cc-1\nalice', userName: 'CALL-1' }, ''),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
