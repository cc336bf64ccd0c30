import { compileNumberPattern } from '../number-pattern';
import { chooseAccessPath, daysTouched } from './lookup-keys';

describe('access path choice', () => {
  const p = (s: string) => compileNumberPattern(s)!;

  it('prefers the most selective filter', () => {
    expect(chooseAccessPath({ agentId: 'a', callUuid: 'C' })).toEqual({ kind: 'lookup', lookup: 'callUuid', value: 'C' });
    expect(chooseAccessPath({ agentId: 'a', caller: p('+1617') })).toEqual({ kind: 'numberExact', field: 'caller', number: '1617' });
    expect(chooseAccessPath({ partition: '/s', agentId: 'a' })).toEqual({ kind: 'lookup', lookup: 'agent', value: 'a' });
    expect(chooseAccessPath({ partition: '/s', caller: p('+1617*') })).toEqual({ kind: 'numberRange', field: 'caller', prefix: '1617' });
  });

  it('uses reversed numbers for suffixes and the longest literal', () => {
    expect(chooseAccessPath({ dialed: p('*1234') })).toEqual({ kind: 'numberRange', field: 'dialedRev', prefix: '4321' });
    expect(chooseAccessPath({ dialed: p('12*98765') })).toEqual({ kind: 'numberRange', field: 'dialedRev', prefix: '56789' });
  });

  it('falls back to day buckets for infix patterns and windows', () => {
    expect(chooseAccessPath({ caller: p('*555*') })).toEqual({ kind: 'days' });
    expect(chooseAccessPath({ fromMs: 1 })).toEqual({ kind: 'days' });
  });

  it('lists every UTC day a recording touches, newest first', () => {
    const day = 86_400_000;
    expect(daysTouched({ startMs: 10 * day + 5, stopMs: 12 * day })).toEqual([12, 11, 10]);
    expect(daysTouched({ startMs: 3 * day, stopMs: 3 * day })).toEqual([3]);
  });
});
