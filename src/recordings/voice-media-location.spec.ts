import { resolveVoiceMedia } from './voice-media-location';

const stores = [{ storagePath: 'http://dav.example:8080/recordings' }, { storagePath: 'https://other.example/voice/' }];

describe('resolveVoiceMedia', () => {
  it('resolves paths below a configured store root, absolute or relative', () => {
    expect(resolveVoiceMedia(stores, 'http://dav.example:8080/recordings/2026/a.mp3')).toMatchObject({ base: 'http://dav.example:8080/recordings/', relative: '2026/a.mp3' });
    expect(resolveVoiceMedia(stores, 'https://other.example/voice/b%20c.mp3')).toMatchObject({ base: 'https://other.example/voice/', relative: 'b c.mp3' });
    expect(resolveVoiceMedia(stores, '/2026/a.mp3')).toMatchObject({ base: 'http://dav.example:8080/recordings/', relative: '2026/a.mp3' });
  });

  it.each([
    'http://169.254.169.254/latest/meta-data',
    'http://dav.example:8081/recordings/a.mp3',
    'http://dav.example:8080/recordingsX/a.mp3',
    'http://dav.example:8080/recordings/../admin/a.mp3',
    'http://dav.example:8080/recordings/%2e%2e/admin',
    'http://dav.example:8080/recordings/a%2fb.mp3',
    'http://user:pw@dav.example:8080/recordings/a.mp3',
    'http://dav.example:8080/recordings/a.mp3?x=1',
    'file:///etc/passwd',
    'javascript://x',
    'http://dav.example:8080/recordings/',
    '../x.mp3',
  ])('refuses %s', (path) => {
    expect(resolveVoiceMedia(stores, path)).toBeUndefined();
  });

  it('resolves nothing when no store is configured', () => {
    expect(resolveVoiceMedia([], 'a.mp3')).toBeUndefined();
    expect(resolveVoiceMedia([], 'http://dav.example:8080/recordings/a.mp3')).toBeUndefined();
  });
});
