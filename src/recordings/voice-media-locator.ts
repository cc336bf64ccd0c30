import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClusterEvents } from '../cluster/cluster-events';
import type { Readable } from 'node:stream';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { ContactCenterStore } from '../contact-centers/contact-center.store';
import { RecordingStorage } from '../storage/recording-storage';
import { ByteRange } from '../common/http/byte-range';
import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';
import type { ByteRead } from '../storage/byte-read';
import { WebDavClient } from '../storage/webdav/webdav-client';
import { resolveVoiceMedia, VoiceMediaLocation, VoiceStore } from './voice-media-location';
import type { RecordingMediaFile } from './voice-recording';
import { nodeStorageMedia } from './voice-media-node-storage';

/** Where one voice media file's bytes are, and how to read or remove them. */
export interface LocatedMedia {
  size(): Promise<number>;
  read(range?: ByteRange): Promise<Readable>;
  /** One range into a sink (see ByteRead): what decrypted playback reads. */
  openRange(range: ByteRange): Promise<ByteRead>;
  /** Deletes the file; resolves also when it was already gone. */
  remove(): Promise<void>;
}

const SETTINGS_TTL_MS = 5_000;
/** The root under which filesystem node storage appears as a voice store (never fetched: read through the port). */
const FILESYSTEM_NODE_ROOT = 'http://node-storage.rws.invalid/';
const MAX_CLIENTS = 64;

/**
 * Finds voice media that a media server wrote to WebDAV (`mediaDescriptor: {storage: "webDAV", path}`) for
 * playback and deletion, with
 * the contact center's voice storage credentials (`settings/recordings`, the store whose storagePath holds
 * the path). Clients are kept per storage endpoint (keep-alive), settings for a few seconds (dropped at once
 * when the contact center's settings change).
 *
 * After the configured stores, every contact center has one more: the node's own recording storage
 * (RWS_STORAGE: the data directory's `storage/` folder, or WEBDAV_URL), read through the RecordingStorage
 * port. A relative path names a key there when no store is configured, and so does an absolute URL under
 * WEBDAV_URL: the default installation plays voice media with no `settings/recordings` at all.
 */
@Injectable()
export class VoiceMediaLocator implements OnApplicationShutdown {
  private readonly settings = new Map<string, { at: number; stores: VoiceStore[] }>();
  private readonly clients = new Map<string, WebDavClient>();
  private readonly nodeStore: VoiceStore;

  constructor(
    private readonly contactCenters: ContactCenterStore,
    private readonly storage: RecordingStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    events: ClusterEvents,
  ) {
    // A settings change through any node applies to the next playback on every node.
    events.subscribe('contact-center-settings-changed', ({ ccid }) => this.settings.delete(ccid));
    events.onResync(() => this.settings.clear());
    this.nodeStore = { storagePath: config.storage === 'webdav' && config.webdav ? config.webdav.url : FILESYSTEM_NODE_ROOT };
  }

  /** Whether a store is the node's own recording storage (see the class comment). */
  isNodeStore(store: VoiceStore): boolean {
    return store === this.nodeStore;
  }

  /** `fresh` reads the storage settings now (deletion) instead of the few-seconds-old copy playback uses. */
  async locate(ccid: string, media: RecordingMediaFile, options: { fresh?: boolean } = {}): Promise<LocatedMedia> {
    const descriptor = media.mediaDescriptor as { storage?: unknown; path?: unknown } | undefined;
    const path = typeof descriptor?.path === 'string' ? descriptor.path : undefined;
    if (!path || String(descriptor?.storage ?? 'webDAV').toLowerCase() !== 'webdav') {
      throw new RwsException(ErrorCode.NotFound, `Media [${media.mediaFileId}] is not in a storage RWS can read (only webDAV is supported).`);
    }
    const location = resolveVoiceMedia(await this.storesOf(ccid, options.fresh ?? false), path);
    // Never a URL of the document's own choosing: only objects below a configured store's root are fetched.
    if (!location) throw new RwsException(ErrorCode.NotFound, `Media [${media.mediaFileId}] is not in a configured voice store of this contact center.`);
    return this.open(location, media.mediaFileId);
  }

  /** Reads and removes the object at a resolved location: the node's storage through its port, a configured store over WebDAV. */
  open(location: VoiceMediaLocation, mediaFileId: string): LocatedMedia {
    if (this.isNodeStore(location.store)) return nodeStorageMedia(this.storage, location.relative, mediaFileId);
    const client = this.clientFor(location.base, location.store);
    const relative = location.relative;
    return {
      size: async () => {
        const head = await client.head(relative);
        if (!head) throw new RwsException(ErrorCode.NotFound, `Media [${mediaFileId}] is missing from recording storage.`);
        return head.size;
      },
      read: async (range) => (await client.get(relative, range)).stream,
      openRange: (range) => client.openRange(relative, range),
      remove: async () => {
        await client.delete(relative);
      },
    };
  }

  onApplicationShutdown(): void {
    for (const client of this.clients.values()) client.close();
  }

  /**
   * The contact center's configured voice stores, then the node's own storage (`fresh`: read now rather than
   * the few-seconds-old copy).
   */
  async storesOf(ccid: string, fresh: boolean): Promise<VoiceStore[]> {
    return [...(await this.configuredStoresOf(ccid, fresh)), this.nodeStore];
  }

  private async configuredStoresOf(ccid: string, fresh: boolean): Promise<VoiceStore[]> {
    const cached = this.settings.get(ccid);
    if (!fresh && cached && Date.now() - cached.at < SETTINGS_TTL_MS) return cached.stores;
    const settings = await this.contactCenters.getSettings(ccid, 'recordings');
    const list = Array.isArray(settings?.store) ? (settings.store as unknown[]) : [];
    const stores = list
      .map((entry) => (entry as { webDAV?: Record<string, unknown> })?.webDAV)
      .filter((w): w is Record<string, unknown> => typeof w?.storagePath === 'string')
      .map((w) => ({ storagePath: w.storagePath as string, username: w.username as string | undefined, password: w.password as string | undefined }));
    this.settings.set(ccid, { at: Date.now(), stores });
    return stores;
  }

  /** A keep-alive client for one store root (with that store's credentials). */
  clientFor(base: string, store: VoiceStore): WebDavClient {
    const key = `${base}\n${store.username ?? ''}\n${store.password ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) {
        const [oldestKey, oldest] = this.clients.entries().next().value as [string, WebDavClient];
        oldest.close();
        this.clients.delete(oldestKey);
      }
      client = new WebDavClient({ url: base, username: store.username, password: store.password });
      this.clients.set(key, client);
    }
    return client;
  }
}
