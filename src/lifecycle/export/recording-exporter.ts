import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import type { VoiceRecording } from '../../recordings/voice-recording';
import type { ExportItem, ExportMediaMode } from './export-job';
import { ExportMember, ExportMembers, isSourceOutage } from './export-members';
import { ExportPacer } from './export-pacer';
import { ExportTargetError, exportedMedia, WebDavExportTarget, WrittenMember } from './webdav-export-target';

/** How one recording goes to a WebDAV target. */
export interface ExportOptions {
  mode: ExportMediaMode;
  verify: boolean;
  /** Replace objects already there (a retry of an interrupted item, a policy's own folder). */
  overwrite: boolean;
}

/**
 * Exports one recording into a WebDAV target, paced with every other export of the node: its members are
 * written one after the other (media, then metadata). The outcome is the item record: done with each
 * media file's size and SHA-256, or failed with the reason (what it had written is removed again): media
 * missing or unreadable, a key that cannot be had, bytes that differ when read back. An outage of the
 * source (storage or metadata unavailable) or of the target is thrown instead: the caller stops before
 * this recording and tries it again later.
 */
@Injectable()
export class RecordingExporter {
  readonly pacer: ExportPacer;

  constructor(
    private readonly members: ExportMembers,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pacer = new ExportPacer(config.exports);
  }

  async toWebDav(target: WebDavExportTarget, ccid: string, doc: VoiceRecording, options: ExportOptions): Promise<ExportItem> {
    let members: ExportMember[] = [];
    const written: WrittenMember[] = [];
    try {
      members = await this.members.of(ccid, doc, options.mode);
      await this.pacer.spend(members.reduce((sum, m) => sum + m.size, 0));
      for (const member of members) written.push(await target.write(member, { verify: options.verify, overwrite: options.overwrite }));
    } catch (err) {
      if (err instanceof ExportTargetError || isSourceOutage(err)) throw err;
      for (const w of written) await target.remove(w.name);
      return { recordingId: doc.id, state: 'failed', bytes: 0, media: [], reason: (err as Error).message, updatedAt: new Date().toISOString() };
    }
    const bytes = written.reduce((sum, w) => sum + w.bytes, 0);
    return { recordingId: doc.id, state: 'done', bytes, media: exportedMedia(members, written), updatedAt: new Date().toISOString() };
  }
}

