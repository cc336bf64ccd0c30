import { Injectable, Logger } from '@nestjs/common';
import { DependencyUnavailableException } from '../common/errors/rws.exception';
import { ContactCenterStore } from '../contact-centers/contact-center.store';
import { isObject } from './recording-facts';
import type { RecordingMediaFile } from './voice-recording';

/** Removes a voice recording's media from the storage the media server wrote it to. */
export abstract class VoiceMediaRemover {
  /** Resolves when the media is gone (also when it was already absent); throws when storage cannot be reached. */
  abstract remove(ccid: string, media: RecordingMediaFile): Promise<void>;
}

interface WebDavStore {
  storagePath: string;
  username?: string;
  password?: string;
}

/**
 * Deletes media written to WebDAV (`mediaDescriptor.storage: "webDAV"`), with the credentials of the
 * contact center's voice storage settings (`settings/recordings`) whose storagePath holds the file.
 * Media in other storage kinds is left in place and logged (no S3 client here yet).
 */
@Injectable()
export class WebDavVoiceMediaRemover extends VoiceMediaRemover {
  private readonly logger = new Logger('VoiceMedia');

  constructor(private readonly contactCenters: ContactCenterStore) {
    super();
  }

  async remove(ccid: string, media: RecordingMediaFile): Promise<void> {
    const descriptor = isObject(media.mediaDescriptor) ? media.mediaDescriptor : undefined;
    const path = typeof descriptor?.path === 'string' ? descriptor.path : undefined;
    if (!descriptor || !path) return;
    if (String(descriptor.storage ?? '').toLowerCase() !== 'webdav') {
      this.logger.warn({ msg: 'media left in place: storage kind not supported for deletion', ccid, mediaId: media.mediaId, storage: descriptor.storage });
      return;
    }
    const stores = await this.webDavStores(ccid);
    const store = stores.find((s) => path.startsWith(s.storagePath)) ?? stores[0];
    const url = /^https?:\/\//i.test(path) ? path : store ? `${store.storagePath.replace(/\/$/, '')}/${path.replace(/^\//, '')}` : undefined;
    if (!url) {
      this.logger.warn({ msg: 'media left in place: no WebDAV storage configured', ccid, mediaId: media.mediaId });
      return;
    }
    const headers: Record<string, string> = {};
    if (store?.username) headers.authorization = `Basic ${Buffer.from(`${store.username}:${store.password ?? ''}`).toString('base64')}`;
    let response: Response;
    try {
      response = await fetch(url, { method: 'DELETE', headers, signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      throw new DependencyUnavailableException('recording storage', err);
    }
    if (response.ok || response.status === 404) return;
    throw new DependencyUnavailableException(`recording storage (HTTP ${response.status})`);
  }

  private async webDavStores(ccid: string): Promise<WebDavStore[]> {
    const settings = await this.contactCenters.getSettings(ccid, 'recordings');
    const list = Array.isArray(settings?.store) ? settings.store : [];
    return list
      .map((entry) => (isObject(entry) && isObject(entry.webDAV) ? entry.webDAV : undefined))
      .filter((w): w is Record<string, unknown> => w !== undefined && typeof w.storagePath === 'string')
      .map((w) => ({ storagePath: w.storagePath as string, username: w.username as string | undefined, password: w.password as string | undefined }));
  }
}
