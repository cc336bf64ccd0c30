import { readIndication, recordedDnOf, splitPartitions } from './recording-indication';

describe('recording indication', () => {
  it('reads GSIP_RECORD case-insensitively, with file name and partitions', () => {
    for (const raw of ['ON', 'On', 'on', ' on ']) expect(readIndication({ GSIP_RECORD: raw })?.state).toBe('on');
    expect(readIndication({ GSIP_RECORD: 'Paused' })?.state).toBe('paused');
    expect(readIndication({ gsip_record: 'OFF' })?.state).toBe('off');
    expect(readIndication({ GSIP_RECORD: 'SUSPENDED' })?.state).toBe('unknown');
    expect(readIndication({ GSIP_RECORD: 'ON', GSIP_REC_FN: 'U_7001_x', GRECORD_PARTITIONS: '/sales, /emea,' })).toEqual({
      state: 'on',
      raw: 'ON',
      fileName: 'U_7001_x',
      partitions: ['/sales', '/emea'],
    });
    expect(readIndication({ Other: 'x' })).toBeUndefined();
    expect(splitPartitions(undefined)).toEqual([]);
  });

  it('finds the recorded party in the file name, preferring the longest known party', () => {
    expect(recordedDnOf('UUID_7001_20250101', 'UUID', ['7001', '7002'])).toBe('7001');
    expect(recordedDnOf('UUID_sip_7001_20250101', 'UUID', ['sip', 'sip_7001'])).toBe('sip_7001');
    expect(recordedDnOf('UUID_T1_x', 'UUID', ['7001'])).toBe('T1');
    expect(recordedDnOf('UUID_T1_x', 'UUID', ['7001'], true)).toBeUndefined();
    // Attached data copied from another call says nothing about this one.
    expect(recordedDnOf('OTHER_7001_x', 'UUID', ['7001'])).toBeUndefined();
    expect(recordedDnOf('UUIDX_7001_x', 'UUID', ['7001'])).toBeUndefined();
  });
});
