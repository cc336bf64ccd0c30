import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { HashingStream } from '../common/http/hashing-stream';
import { compareSemver, isSemver } from '../common/semver';
import { NODE_SCOPE } from '../identity/audit/audit-entry';
import { MediaDeleteQueue } from '../storage/media-deletes/media-delete-queue';
import { ByteRange, RecordingStorage, StorageRead } from '../storage/recording-storage';
import { Release } from './release';
import { ReleaseSigner } from './release-signer';
import { ReleaseStore } from './release.store';
import { ReleaseExistsException, ReleaseNotFoundException } from './releases.exception';

/** What an operator publishes. */
export interface PublishRequest {
  version: string;
  platform: string;
  channel: string;
  rolloutPercent: number;
  fileName: string;
}

/** Told of each new release with its absolute download URL. */
type ReleaseListener = (release: Release, downloadUrl: string) => void;

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Publishing and serving screen-recorder builds (api.md §7). */
@Injectable()
export class ReleasesService {
  private readonly logger = new Logger('Releases');
  private readonly listeners: ReleaseListener[] = [];

  constructor(
    private readonly store: ReleaseStore,
    private readonly storage: RecordingStorage,
    private readonly signer: ReleaseSigner,
    private readonly deletes: MediaDeleteQueue,
  ) {}

  /** Called with every newly published release (the recorder channel announces it to connected recorders). */
  onPublished(listener: ReleaseListener): void {
    this.listeners.push(listener);
  }

  /** Streams `body` into storage and records the release; `downloadUrlOf` builds the URL recorders are given. */
  async publish(request: PublishRequest, body: Readable, publishedBy: string, downloadUrlOf: (r: Release) => string): Promise<Release> {
    validate(request);
    const { platform, version } = request;
    if (await this.store.get(platform, version)) throw new ReleaseExistsException(platform, version);
    const storageKey = `releases/${platform}/${version}/${request.fileName}`;
    const hashing = new HashingStream();
    body.on('error', (err) => hashing.destroy(err));
    await this.storage.write(storageKey, body.pipe(hashing), { contentType: 'application/octet-stream' });
    const sha256 = hashing.digestHex();
    const release: Release = {
      ...request,
      size: hashing.bytes,
      sha256,
      signature: this.signer.sign(sha256),
      storageKey,
      publishedAt: new Date().toISOString(),
      publishedBy,
    };
    if (!(await this.store.create(release))) {
      // Lost a race with an identical publish: keep theirs, drop our copy of the bytes.
      await this.deletes.deleteOrQueue(NODE_SCOPE, { kind: 'storage', key: storageKey }, { reason: 'duplicate release bytes' });
      throw new ReleaseExistsException(platform, version);
    }
    this.logger.log({ msg: 'release published', platform, version, channel: release.channel, size: release.size, sha256 });
    for (const listener of this.listeners) listener(release, downloadUrlOf(release));
    return release;
  }

  /**
   * The newest release of `channel` this agent is offered (rollout buckets are stable per agent and
   * version), or undefined when `current` is already at or beyond it.
   */
  async latest(platform: string, channel: string, agentKey: string, current?: string): Promise<Release | undefined> {
    if (!NAME.test(platform)) throw new InvalidParameterException('platform', 'letters, digits, ".", "_" or "-"');
    if (current !== undefined && !isSemver(current)) throw new InvalidParameterException('current', 'a semantic version like 1.4.2 is required');
    const offered = (await this.store.listByPlatform(platform))
      .filter((r) => r.channel === channel && inRollout(r, agentKey))
      .sort((a, b) => compareSemver(b.version, a.version))[0];
    if (!offered || (current !== undefined && compareSemver(current, offered.version) >= 0)) return undefined;
    return offered;
  }

  async require(platform: string, version: string): Promise<Release> {
    const release = NAME.test(platform) && isSemver(version) ? await this.store.get(platform, version) : undefined;
    if (!release) throw new ReleaseNotFoundException(platform, version);
    return release;
  }

  async open(release: Release, range?: ByteRange): Promise<StorageRead> {
    return this.storage.read(release.storageKey, range);
  }
}

function validate(request: PublishRequest): void {
  if (!isSemver(request.version)) throw new InvalidParameterException('version', 'a semantic version like 1.4.2 is required');
  if (!NAME.test(request.platform)) throw new InvalidParameterException('platform', 'letters, digits, ".", "_" or "-"');
  if (!NAME.test(request.channel)) throw new InvalidParameterException('channel', 'letters, digits, ".", "_" or "-"');
  if (!NAME.test(request.fileName) || request.fileName.startsWith('.')) throw new InvalidParameterException('fileName', 'a plain file name');
  if (!Number.isInteger(request.rolloutPercent) || request.rolloutPercent < 0 || request.rolloutPercent > 100) {
    throw new InvalidParameterException('rollout', 'an integer from 0 to 100');
  }
}

/** Stable bucket 0–99 per (agent, version): an agent stays in or out of a rollout across requests. */
function inRollout(release: Release, agentKey: string): boolean {
  if (release.rolloutPercent >= 100) return true;
  const bucket = createHash('sha256').update(`${agentKey}\n${release.version}`).digest().readUInt32BE(0) % 100;
  return bucket < release.rolloutPercent;
}
