import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { StorageObjectExistsException } from '../../storage/storage.exception';
import { WebDavClient } from '../../storage/webdav/webdav-client';
import { privateTargetProblem } from '../webhooks/webhook-target';
import type { ExportedMedia, WebDavTargetSpec } from './export-job';
import type { ExportMember } from './export-members';

/** The target failed (unreachable, refused, full): the job stops before this recording and is retried later. */
export class ExportTargetError extends Error {}

/** One recording could not be exported for a reason of its own (listed as a failed item with that reason). */
export class ExportItemError extends Error {}

/** What was written of one member: its size and the SHA-256 of the bytes sent. */
export interface WrittenMember {
  name: string;
  bytes: number;
  sha256: string;
}

/**
 * Writes export members into a WebDAV folder (the job's URL and credentials), hashing the bytes as they
 * stream (memory stays flat). `verify` reads each object back and compares its SHA-256; `overwrite` first
 * removes an object already there (a policy's own folder, or the leftovers of an interrupted item),
 * otherwise an existing object fails the item and is left alone.
 */
export class WebDavExportTarget {
  private readonly client: WebDavClient;

  /** `allowPrivate`: RWS_WEBHOOK_ALLOW_PRIVATE, the one opt-in for outbound targets on private or loopback addresses. */
  constructor(
    private readonly spec: WebDavTargetSpec,
    private readonly allowPrivate: boolean,
  ) {
    this.client = new WebDavClient({ url: spec.url, username: spec.username, password: spec.password }, { maxSockets: 16, maxUploadSockets: 16 });
  }

  /** Throws ExportTargetError unless the folder exists and the credentials are accepted. */
  async check(): Promise<void> {
    if (sealedShut(this.spec)) throw new ExportTargetError('the WebDAV target password is sealed under a master key this node was not given (give every node the same RWS_MASTER_KEY)');
    await this.refusePrivate();
    await this.client.probe().catch((err: Error) => {
      throw new ExportTargetError(`the WebDAV target cannot be used: ${err.message}`);
    });
  }

  /**
   * Throws ExportTargetError when the folder's host resolves only to private or loopback addresses and these
   * are not allowed (checked when a job or purge run starts, as at creation: the opt-in may have changed).
   */
  async refusePrivate(): Promise<void> {
    const problem = await privateTargetProblem(this.spec.url, this.allowPrivate);
    if (problem) throw new ExportTargetError(`the WebDAV target ${problem}`);
  }

  async write(member: ExportMember, options: { verify: boolean; overwrite: boolean }): Promise<WrittenMember> {
    if (options.overwrite) await this.remove(member.name);
    const source = await member.open();
    const hash = createHash('sha256');
    let bytes = 0;
    let sourceError: Error | undefined;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    source.once('error', (err: Error) => {
      sourceError = err;
      counting.destroy(err);
    });
    try {
      await this.client.put(member.name, source.pipe(counting), { contentLength: member.size });
    } catch (err) {
      source.destroy();
      if (sourceError) throw sourceError;
      if (err instanceof StorageObjectExistsException) throw new ExportItemError(`${member.name} already exists in the target folder (an export never overwrites)`);
      throw new ExportTargetError(`writing ${member.name} to the WebDAV target failed: ${(err as Error).message}`);
    }
    const sha256 = hash.digest('hex');
    if (bytes !== member.size) throw new ExportItemError(`${member.name}: the source gave ${bytes} bytes, ${member.size} were expected`);
    if (options.verify) await this.verify(member.name, bytes, sha256);
    return { name: member.name, bytes, sha256 };
  }

  /** Removes what an interrupted or refused item may have left; absent objects are fine. */
  async remove(name: string): Promise<void> {
    await this.client.delete(name).catch((err: Error) => {
      throw new ExportTargetError(`removing ${name} from the WebDAV target failed: ${err.message}`);
    });
  }

  close(): void {
    this.client.close();
  }

  private async verify(name: string, bytes: number, sha256: string): Promise<void> {
    const hash = createHash('sha256');
    let read = 0;
    try {
      const { stream } = await this.client.get(name);
      for await (const chunk of stream) {
        hash.update(chunk as Buffer);
        read += (chunk as Buffer).length;
      }
    } catch (err) {
      throw new ExportTargetError(`reading ${name} back from the WebDAV target failed: ${(err as Error).message}`);
    }
    const found = hash.digest('hex');
    if (read !== bytes || found !== sha256) throw new ExportItemError(`${name}: verification failed (wrote ${bytes} bytes sha256 ${sha256}, read back ${read} bytes sha256 ${found})`);
  }
}

/** A password the store could not open (TargetCredentialSealer leaves it sealed): the target would only answer 401. */
function sealedShut(spec: WebDavTargetSpec): boolean {
  return spec.password === undefined && 'sealedPassword' in spec;
}

/** The media entries of an item record, from what was written. */
export function exportedMedia(members: ExportMember[], written: WrittenMember[]): ExportedMedia[] {
  return written.flatMap((w, i) => {
    const mediaFileId = members[i].mediaFileId;
    return mediaFileId ? [{ mediaFileId, name: w.name, bytes: w.bytes, sha256: w.sha256 }] : [];
  });
}
