import { parseScreenRecordingRegistration } from './screen-recording-registration';

const media = (overrides: Record<string, unknown> = {}) => ({
  mediaId: 'muxed.mp4',
  type: 'video/mp4',
  size: '300012',
  duration: '20',
  startTime: '2026-11-20T10:00:00.000+0000',
  stopTime: '2026-11-20T10:00:20Z',
  parameters: { region: 'region1', contact: { userName: 'alice' }, muxed_mediaIds: ['voice.mp3', 'screen.mp4'] },
  mediaDescriptor: { storage: 'webDAV', path: 'muxed.mp4', data: { storagePath: 'http://dav/recordings/screen/' } },
  ...overrides,
});

function problem(body: unknown): string {
  try {
    parseScreenRecordingRegistration(body);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('parseScreenRecordingRegistration', () => {
  it('reads the muxer’s shape: strings for numbers, the folder plus the file, parameters kept, user from the contact', () => {
    const parsed = parseScreenRecordingRegistration({ id: 'A1B2C3D4-0000-4000-8000-000000000001', mediaFiles: [media()] });
    expect(parsed.id).toBe('a1b2c3d4-0000-4000-8000-000000000001');
    expect(parsed.userName).toBe('alice');
    expect(parsed.mediaFiles[0]).toMatchObject({ size: 300012, duration: 20, location: 'http://dav/recordings/screen/muxed.mp4', startTime: '2026-11-20T10:00:00.000Z' });
    expect(parsed.mediaFiles[0].parameters).toEqual(media().parameters);
  });

  it('reads numbers, originalMediaDescriptor, an absolute descriptor path and the flat path', () => {
    const { mediaDescriptor, ...rest } = media({ size: 5, duration: 1.5 });
    expect(parseScreenRecordingRegistration({ mediaFiles: [{ ...rest, originalMediaDescriptor: mediaDescriptor }] }).mediaFiles[0]).toMatchObject({ size: 5, duration: 1.5, location: 'http://dav/recordings/screen/muxed.mp4' });
    expect(parseScreenRecordingRegistration({ mediaFiles: [{ ...rest, mediaDescriptor: { storage: 'webDAV', path: 'http://dav/x/y.mp4', data: { storagePath: 'http://dav/x/y.mp4' } } }] }).mediaFiles[0].location).toBe('http://dav/x/y.mp4');
    expect(parseScreenRecordingRegistration({ mediaFiles: [{ ...rest, path: 'cc/1/screen/y.mp4' }] }).mediaFiles[0]).toMatchObject({ location: 'cc/1/screen/y.mp4', locationField: 'mediaFiles[0].path' });
  });

  it.each<[string, unknown, string]>([
    ['no object', [], "Parameter 'body' is invalid"],
    ['no media', { mediaFiles: [] }, "Parameter 'mediaFiles' is invalid"],
    ['bad id', { id: 'x', mediaFiles: [media()] }, "Parameter 'id' is invalid: must be a UUID"],
    ['bad size', { mediaFiles: [media({ size: 'big' })] }, "Parameter 'mediaFiles[0].size' is invalid"],
    ['fractional size', { mediaFiles: [media({ size: '1.5' })] }, "Parameter 'mediaFiles[0].size' is invalid: must be a whole number"],
    ['negative duration', { mediaFiles: [media({ duration: -1 })] }, "Parameter 'mediaFiles[0].duration' is invalid"],
    ['no location', { mediaFiles: [media({ mediaDescriptor: undefined })] }, "Parameter 'mediaFiles[0].mediaDescriptor' is invalid: is mandatory"],
    ['descriptor without path', { mediaFiles: [media({ mediaDescriptor: { storage: 'webDAV' } })] }, "Parameter 'mediaFiles[0].mediaDescriptor.path' is invalid: is mandatory"],
    ['bad sources', { mediaFiles: [media({ parameters: { muxed_mediaIds: 'x' } })] }, "Parameter 'mediaFiles[0].parameters.muxed_mediaIds' is invalid"],
    ['bad time', { mediaFiles: [media({ stopTime: 'yesterday' })] }, "Parameter 'mediaFiles[0].stopTime' is invalid"],
    ['duplicate media', { mediaFiles: [media(), media()] }, "Parameter 'mediaFiles[1].mediaId' is invalid: duplicates"],
    ['bad events', { eventHistory: [1], mediaFiles: [media()] }, "Parameter 'eventHistory' is invalid"],
  ])('refuses %s, naming the field', (_name, body, expected) => {
    expect(problem(body)).toContain(expected);
  });
});
