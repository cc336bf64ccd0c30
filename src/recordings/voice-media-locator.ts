import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { ContactCenterChanges } from '../contact-centers/contact-center-changes';
import { ContactCenterStore } from '../contact-centers/contact-center.store';
import { RecordingStorage } from '../storage/recording-storage';
import { ByteRange } from '../common/http/byte-range';
import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';
import type { ByteRead } from '../storage/byte-read';
import { WebDavClient } from '../storage/webdav/webdav-client';
import type { RecordingMediaFile } from './voice-recording';
import { nodeStorageKeyOf, nodeStorageMedia } from './voice-media-node-storage';

/** Where one voice media file's bytes are, and how to read or remove them. */
export interface LocatedMedia {
  size(): Promise<number>;
  read(range?: ByteRange): Promise<Readable>;
  /** One range into a sink (see ByteRead): what decrypted playback reads. */
  openRange(range: ByteRange): Promise<ByteRead>;
  /** Deletes the file; resolves also when it was already gone. */
  remove(): Promise<void>;
}

interface WebDavStore {
  storagePath: string;
  username?: string;
  password?: string;
}

const SETTINGS_TTL_MS = 5_000;
const MAX_CLIENTS = 64;

/**
 * Finds voice media that a media server wrote to WebDAV (`mediaDescriptor: {storage: "webDAV", path}`) for
 * playback and deletion, with
 * the contact center's voice storage credentials (`settings/recordings`, the store whose storagePath holds
 * the path). Clients are kept per storage endpoint (keep-alive), settings for a few seconds (dropped at once
 * when the contact center's settings change).
 *
 * Media that no configured store claims is looked up in the node's own recording storage (RWS_STORAGE: the
 * data directory's `storage/` folder, or WEBDAV_URL): a relative path is a key there, and so is an absolute
 * URL under WEBDAV_URL. So the default installation plays voice media with no `settings/recordings` at all.
 */
@Injectable()
export class VoiceMediaLocator implements OnApplicationShutdown {
  private readonly settings = new Map<string, { at: number; stores: WebDavStore[] }>();
  private readonly clients = new Map<string, WebDavClient>();

  constructor(
    private readonly contactCenters: ContactCenterStore,
    private readonly storage: RecordingStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    changes: ContactCenterChanges,
  ) {
    changes.subscribe((ccid) => this.settings.delete(ccid));
  }

  /** `fresh` reads the storage settings now (deletion) instead of the few-seconds-old copy playback uses. */
  async locate(ccid: string, media: RecordingMediaFile, options: { fresh?: boolean } = {}): Promise<LocatedMedia> {
    const descriptor = media.mediaDescriptor as { storage?: unknown; path?: unknown } | undefined;
    const path = typeof descriptor?.path === 'string' ? descriptor.path : undefined;
    if (!path || String(descriptor?.storage ?? 'webDAV').toLowerCase() !== 'webdav') {
      throw new RwsException(ErrorCode.NotFound, `Media [${media.mediaFileId}] is not in a storage RWS can read (only webDAV is supported).`);
    }
    const stores = await this.storesOf(ccid, options.fresh ?? false);
    const absolute = /^https?:\/\//i.test(path);
    const store = absolute ? stores.find((s) => path.startsWith(withSlash(s.storagePath))) : stores[0];
    const url = absolute ? path : store ? withSlash(store.storagePath) + path.replace(/^\//, '') : undefined;
    if (!store) {
      const key = nodeStorageKeyOf(path, this.config.storage === 'webdav' ? this.config.webdav?.url : undefined);
      if (key !== undefined) return nodeStorageMedia(this.storage, ccid, key, media.mediaFileId);
    }
    if (!url) throw new RwsException(ErrorCode.NotFound, `Media [${media.mediaFileId}] has a relative path but no voice storage is configured.`);
    const base = store && url.startsWith(withSlash(store.storagePath)) ? withSlash(store.storagePath) : url.slice(0, url.lastIndexOf('/') + 1);
    const client = this.clientFor(base, store && base === withSlash(store.storagePath) ? store : undefined);
    const relative = decodeURIComponent(url.slice(base.length));
    return {
      size: async () => {
        const head = await client.head(relative);
        if (!head) throw new RwsException(ErrorCode.NotFound, `Media [${media.mediaFileId}] is missing from recording storage.`);
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

  private async storesOf(ccid: string, fresh: boolean): Promise<WebDavStore[]> {
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

  private clientFor(base: string, store: WebDavStore | undefined): WebDavClient {
    const key = `${base}\n${store?.username ?? ''}\n${store?.password ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) {
        const [oldestKey, oldest] = this.clients.entries().next().value as [string, WebDavClient];
        oldest.close();
        this.clients.delete(oldestKey);
      }
      client = new WebDavClient({ url: base, username: store?.username, password: store?.password });
      this.clients.set(key, client);
    }
    return client;
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
