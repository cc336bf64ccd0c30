import type { RecordingFacts } from '../../recordings/recording-facts';
import { BATCH_LIMITS, chunkStatements, entryStatements } from './cassandra-recording-entries';

const CCID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const bytesOf = (params: unknown[]) => params.reduce<number>((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p) : 8), 0);

function facts(overrides: Partial<RecordingFacts> = {}): RecordingFacts {
  const startMs = Date.parse('2024-03-01T10:00:00Z');
  return {
    region: 'region1',
    startMs,
    stopMs: startMs + 60_000,
    timed: true,
    caller: '16175550100',
    dialed: '18005556537',
    callType: 'Inbound',
    agentIds: ['agent1'],
    userNames: [],
    partitions: ['/sales'],
    labels: [],
    callUuids: ['C1'],
    connIds: ['0050717e7f0'],
    accessGroups: ['/West'],
    ...overrides,
  };
}

describe('lookup entry statements', () => {
  it('marks the day listing rows, so a node can skip days it has written', () => {
    const statements = entryStatements(CCID, 'C1', undefined, facts({ stopMs: Date.parse('2024-03-02T00:10:00Z') }));
    expect(statements.filter((s) => s.listedDay).map((s) => s.listedDay)).toEqual([`${CCID}/region1/19784`, `${CCID}/region1/19783`]);
  });

  it('batches them under Cassandra’s warning limits: 10 partitions, 5 KiB', () => {
    const many = facts({ agentIds: Array.from({ length: 30 }, (_, i) => `agent-with-a-long-name-${i}`), stopMs: Date.parse('2024-03-03T10:00:00Z') });
    const statements = entryStatements(CCID, 'C1', undefined, many);
    const chunks = chunkStatements(statements);
    expect(chunks.flat()).toEqual(statements);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(BATCH_LIMITS.maxStatements);
      expect(bytesOf(chunk.flatMap((s) => s.params))).toBeLessThanOrEqual(BATCH_LIMITS.maxBytes);
    }
  });

  it('keeps a typical recording’s entries in one or two batches', () => {
    expect(chunkStatements(entryStatements(CCID, 'C1', undefined, facts())).length).toBeLessThanOrEqual(2);
  });

  it('sends a statement bigger than the limit alone', () => {
    const big = { query: 'Q', params: ['x'.repeat(BATCH_LIMITS.maxBytes + 1)] };
    const small = { query: 'Q', params: ['y'] };
    expect(chunkStatements([small, big, small])).toEqual([[small], [big], [small]]);
  });
});
