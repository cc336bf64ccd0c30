import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A real, playable 8-second screen video: VP8 in WebM, 320×180 at 10 frames/s with a key frame every second
 * (so seeks land quickly), made once with `ffmpeg -f lavfi -i testsrc=size=320x180:rate=10:duration=8
 * -c:v libvpx -b:v 80k -g 10 -auto-alt-ref 0 -an screen-8s.webm`.
 */
export function screenVideo(): Buffer {
  return readFileSync(join(__dirname, '..', 'fixtures', 'console', 'screen-8s.webm'));
}

/** A real, playable WAV (PCM, 16-bit mono, 8 kHz) of `seconds` of a tone sweeping upwards, so every second sounds different. */
export function voiceWav(seconds: number, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    const frequency = 300 + (500 * i) / samples;
    phase += (2 * Math.PI * frequency) / sampleRate;
    data.writeInt16LE(Math.round(Math.sin(phase) * 8000), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
