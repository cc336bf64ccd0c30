import type { RecordingFacts } from '../../recordings/recording-facts';
import { decodeEntryFacts, encodeEntryFacts } from './cassandra-entry-facts';

const facts: RecordingFacts = {
  region: 'region1',
  startMs: 1_709_272_264_000,
  stopMs: 1_709_272_888_000,
  timed: true,
  caller: '15085558218',
  dialed: '18005556537',
  callType: 'Inbound',
  agentIds: ['agent113', 'agent7'],
  userNames: ['jane'],
  partitions: ['/billing'],
  labels: ['vip'],
  callUuids: ['G5X00000'],
  connIds: ['0050717e7f0'],
  accessGroups: ['/West/Team3'],
};

describe('lookup entry facts', () => {
  it('round-trips, taking region and start from the entry key', () => {
    const text = encodeEntryFacts(facts);
    expect(text).not.toContain('region1');
    expect(decodeEntryFacts(text, 'region1', facts.startMs)).toEqual(facts);
  });

  it('keeps an absent call type absent and an untimed recording untimed', () => {
    const untimed = { ...facts, startMs: 0, stopMs: 0, timed: false, callType: undefined };
    const decoded = decodeEntryFacts(encodeEntryFacts(untimed), 'region1', 0);
    expect(decoded).toEqual(untimed);
    expect(decoded.callType).toBeUndefined();
    expect(decoded.timed).toBe(false);
  });

  it('is much shorter than the facts as a JSON object', () => {
    expect(encodeEntryFacts(facts).length).toBeLessThan(JSON.stringify(facts).length * 0.6);
  });

  it('still reads entries written with the facts as a JSON object', () => {
    expect(decodeEntryFacts(JSON.stringify(facts), 'region1', facts.startMs)).toEqual(facts);
  });
});
