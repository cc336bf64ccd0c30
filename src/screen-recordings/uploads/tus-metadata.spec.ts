import { formatUploadMetadata, parseUploadMetadata } from './tus-metadata';

describe('tus Upload-Metadata', () => {
  it('round-trips values, including empty ones and non-ASCII', () => {
    const header = formatUploadMetadata({ recordingId: 'abc', filename: 'écran 1.mp4', sha256: '' });
    expect(Object.fromEntries(parseUploadMetadata(header)!)).toEqual({ recordingId: 'abc', filename: 'écran 1.mp4', sha256: '' });
  });

  it('accepts a key without a value and an absent header', () => {
    expect(parseUploadMetadata('is_confidential')!.get('is_confidential')).toBe('');
    expect(parseUploadMetadata(undefined)!.size).toBe(0);
  });

  it('refuses duplicates, bad base64 and extra fields', () => {
    expect(parseUploadMetadata('a YQ==,a Yg==')).toBeUndefined();
    expect(parseUploadMetadata('a !!!')).toBeUndefined();
    expect(parseUploadMetadata('a YQ== extra')).toBeUndefined();
  });
});
