import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ErrorCode } from '../../common/errors/error-code';
import { RwsException } from '../../common/errors/rws.exception';
import { EncryptedMediaReader } from '../../crypto/media/encrypted-media-reader';
import type { Principal } from '../../identity/principal';
import { extensionOf } from '../../recordings/recording-view';
import { VoiceMediaLocator } from '../../recordings/voice-media-locator';
import type { RecordingMediaFile, VoiceRecording } from '../../recordings/voice-recording';
import type { ExportMediaMode } from './export-job';

/** One file of an exported recording: its path below the target (`<recordingId>/<file>`), size, and bytes on demand. */
export interface ExportMember {
  name: string;
  size: number;
  /** The media file it carries (absent for metadata and envelopes). */
  mediaFileId?: string;
  open(): Promise<Readable>;
}

/**
 * The principal an export decrypts as: an ops-kind system actor holding `decrypt` only. Jobs that decrypt
 * are created by callers who may decrypt (checked then, audited with their name); the key unwraps of the
 * run are audited under this actor.
 */
export const EXPORT_ACTOR: Principal = Object.freeze({ kind: 'ops', userName: 'system:export', roles: [], permissions: ['decrypt'], accessGroups: [] }) as Principal;

/**
 * What an export writes for one recording: each media file (as stored — for encrypted media the ciphertext
 * `<mediaFileId>.bin` plus its envelope `<mediaFileId>.pkcs7.pem` — or decrypted), then `metadata.json`, the
 * stored document. The metadata comes last, so a recording whose metadata is in the target is complete.
 * Sizes are known before any byte is read (archives write them in each member's header); a media file that
 * cannot be found, read or decrypted fails here, before anything is written.
 */
@Injectable()
export class ExportMembers {
  constructor(
    private readonly locator: VoiceMediaLocator,
    private readonly encrypted: EncryptedMediaReader,
  ) {}

  async of(ccid: string, doc: VoiceRecording, mode: ExportMediaMode): Promise<ExportMember[]> {
    const members: ExportMember[] = [];
    for (const media of doc.mediaFiles) members.push(...(await this.mediaMembers(ccid, doc.id, media, mode)));
    const metadata = Buffer.from(JSON.stringify(doc, null, 2), 'utf8');
    members.push(bufferMember(`${doc.id}/metadata.json`, metadata));
    return members;
  }

  private async mediaMembers(ccid: string, recordingId: string, media: RecordingMediaFile, mode: ExportMediaMode): Promise<ExportMember[]> {
    const located = await this.locator.locate(ccid, media);
    const base = `${recordingId}/${media.mediaFileId}`;
    const pkcs7 = typeof media.pkcs7 === 'string' ? media.pkcs7 : undefined;
    if (!pkcs7) {
      return [{ name: `${base}.${extensionOf(media)}`, size: await located.size(), mediaFileId: media.mediaFileId, open: () => located.read() }];
    }
    if (mode === 'stored') {
      return [
        { name: `${base}.bin`, size: await located.size(), mediaFileId: media.mediaFileId, open: () => located.read() },
        bufferMember(`${base}.pkcs7.pem`, Buffer.from(pkcs7, 'utf8')),
      ];
    }
    const decryptable = await this.encrypted.prepare(
      EXPORT_ACTOR,
      ccid,
      { pkcs7, integrity: media.integrity },
      { size: () => located.size(), read: (start, end) => located.read({ start, end }), openRead: (start, end) => located.openRange({ start, end }) },
      { resource: `recording/${recordingId}/${media.mediaFileId}` },
    );
    return [{ name: `${base}.${extensionOf(media)}`, size: decryptable.plaintextSize, mediaFileId: media.mediaFileId, open: () => decryptable.open() }];
  }
}

function bufferMember(name: string, bytes: Buffer): ExportMember {
  return { name, size: bytes.length, open: async () => Readable.from([bytes]) };
}

/**
 * Whether a failure means the source is unavailable (storage or metadata outage: the job stops and is
 * retried) rather than that this one recording cannot be exported (missing media, no key: listed as failed).
 */
export function isSourceOutage(err: unknown): boolean {
  return err instanceof RwsException && [ErrorCode.DependencyUnavailable, ErrorCode.Internal, ErrorCode.InsufficientStorage].includes(err.code);
}
