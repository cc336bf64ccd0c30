import { contentRange, parseRangeHeader, rangeLength, unsatisfiedRange } from './byte-range';

describe('parseRangeHeader', () => {
  const size = 1000;

  it('treats an absent header as no range', () => {
    expect(parseRangeHeader(undefined, size)).toEqual({ kind: 'none' });
  });

  it.each([
    ['bytes=0-0', 0, 0],
    ['bytes=0-499', 0, 499],
    ['bytes=500-999', 500, 999],
    ['bytes=999-999', 999, 999],
    ['bytes=100-', 100, 999],
    ['bytes=-500', 500, 999],
    ['bytes=-1', 999, 999],
    ['bytes=-5000', 0, 999],
    ['bytes=900-5000', 900, 999],
    ['bytes=0-99999999999999999999999', 0, 999],
    ['BYTES = 10-20', 10, 20],
    ['bytes= 10-20 ', 10, 20],
    ['bytes=10-20,', 10, 20],
  ])('%s is the single range %i-%i', (header, start, end) => {
    expect(parseRangeHeader(header, size)).toEqual({ kind: 'single', range: { start, end } });
  });

  it.each(['bytes=1000-', 'bytes=1000-2000', 'bytes=-0', 'bytes=5000-6000,7000-'])('%s is unsatisfiable', (header) => {
    expect(parseRangeHeader(header, size)).toEqual({ kind: 'unsatisfiable' });
  });

  it('finds every range unsatisfiable on an empty representation', () => {
    expect(parseRangeHeader('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRangeHeader('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('answers several satisfiable ranges with the whole body', () => {
    expect(parseRangeHeader('bytes=0-10,20-30', size)).toEqual({ kind: 'multiple' });
    expect(parseRangeHeader('bytes=0-10, -5', size)).toEqual({ kind: 'multiple' });
  });

  it('serves the one satisfiable range of several', () => {
    expect(parseRangeHeader('bytes=0-10,5000-6000', size)).toEqual({ kind: 'single', range: { start: 0, end: 10 } });
  });

  it.each([
    '',
    'bytes',
    'bytes=',
    'bytes=,',
    'bytes=abc',
    'bytes=10-5',
    'bytes=-',
    'bytes=1-2-3',
    'bytes=+1-2',
    'bytes=1.5-2',
    'bytes=0x10-20',
    'bytes=--5',
    'bytes=0-10,junk',
    'items=0-10',
    'garbage',
    '0-10',
    `bytes=${Array.from({ length: 101 }, (_, i) => `${i}-${i}`).join(',')}`,
  ])('ignores the malformed or foreign %j', (header) => {
    expect(parseRangeHeader(header, size)).toEqual({ kind: 'none' });
  });

  it('reads a one-element header array and ignores repeated headers', () => {
    expect(parseRangeHeader(['bytes=1-2'], size)).toEqual({ kind: 'single', range: { start: 1, end: 2 } });
    expect(parseRangeHeader(['bytes=1-2', 'bytes=3-4'], size)).toEqual({ kind: 'none' });
  });
});

describe('range headers', () => {
  it('renders Content-Range and lengths', () => {
    expect(contentRange({ start: 0, end: 9 }, 100)).toBe('bytes 0-9/100');
    expect(unsatisfiedRange(100)).toBe('bytes */100');
    expect(rangeLength({ start: 5, end: 5 })).toBe(1);
  });
});
