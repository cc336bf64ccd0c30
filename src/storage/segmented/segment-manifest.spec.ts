import { buildManifest, isManifestKey, manifestKeyOf, parseManifest, segmentsOfRange } from './segment-manifest';

describe('segment manifest', () => {
  const manifest = buildManifest([
    { key: 'a.seg', size: 10 },
    { key: 'b.seg', size: 5 },
    { key: 'c.seg', size: 7 },
  ]);

  it('maps a byte range onto the segments it spans', () => {
    expect(manifest.size).toBe(22);
    expect(segmentsOfRange(manifest, 0, 21)).toEqual([
      { key: 'a.seg', start: 0, end: 9 },
      { key: 'b.seg', start: 0, end: 4 },
      { key: 'c.seg', start: 0, end: 6 },
    ]);
    expect(segmentsOfRange(manifest, 9, 10)).toEqual([
      { key: 'a.seg', start: 9, end: 9 },
      { key: 'b.seg', start: 0, end: 0 },
    ]);
    expect(segmentsOfRange(manifest, 12, 12)).toEqual([{ key: 'b.seg', start: 2, end: 2 }]);
    expect(segmentsOfRange(manifest, 15, 21)).toEqual([{ key: 'c.seg', start: 0, end: 6 }]);
  });

  it('refuses a manifest whose sizes do not add up, or that names another manifest', () => {
    const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
    expect(parseManifest('m.segments.bin', bytes(manifest))).toEqual(manifest);
    expect(() => parseManifest('m.segments.bin', bytes({ ...manifest, size: 23 }))).toThrow(/malformed/);
    expect(() => parseManifest('m.segments.bin', bytes({ ...manifest, segments: [{ key: 'x.segments.mp4', size: 22 }] }))).toThrow(/malformed/);
    expect(() => parseManifest('m.segments.bin', Buffer.from('{'))).toThrow(/not JSON/);
  });

  it('tells segmented objects by their key', () => {
    expect(isManifestKey(manifestKeyOf('cc/x/screen/r/r-1', 'bin'))).toBe(true);
    expect(isManifestKey('cc/x/screen/r/r-1.segments.mp4')).toBe(true);
    expect(isManifestKey('cc/x/screen/r/r-1.bin')).toBe(false);
    expect(isManifestKey('cc/x/screen/r/upload-1/000000000000-ab.seg')).toBe(false);
  });
});
