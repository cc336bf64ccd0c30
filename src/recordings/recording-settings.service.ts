import { Injectable } from '@nestjs/common';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { ClusterEvents } from '../cluster/cluster-events';
import { ContactCenterStore } from '../contact-centers/contact-center.store';
import { ContactCentersService } from '../contact-centers/contact-centers.service';
import { isObject } from './recording-facts';
import type { JsonObject } from './voice-recording';

const GROUP = 'recordings';
const MASK = '********';
const SECRET_FIELD = /password|secret/i;

/**
 * Voice storage settings of a contact center (`PUT …/settings/recordings`, api.md §2): where the media
 * server writes recordings and with which credentials. Stored as given; secrets are masked when read back.
 */
@Injectable()
export class RecordingSettingsService {
  constructor(
    private readonly contactCenters: ContactCentersService,
    private readonly store: ContactCenterStore,
    private readonly events: ClusterEvents,
  ) {}

  async put(ccid: string, body: unknown): Promise<void> {
    const cc = await this.contactCenters.require(ccid);
    await this.store.putSettings(cc.id, GROUP, validateSettings(body));
    this.events.publish('contact-center-settings-changed', { ccid: cc.id, group: GROUP });
  }

  async get(ccid: string): Promise<JsonObject> {
    const cc = await this.contactCenters.require(ccid);
    return mask((await this.store.getSettings(cc.id, GROUP)) ?? { store: [] }) as JsonObject;
  }
}

function validateSettings(body: unknown): JsonObject {
  if (!isObject(body)) throw new InvalidParameterException('body', 'a JSON object is expected');
  if (!Array.isArray(body.store)) throw new InvalidParameterException('store', 'must be an array of storage entries ({"webDAV":{…}} or {"awsS3":{…}})');
  body.store.forEach((entry, i) => {
    if (!isObject(entry)) throw new InvalidParameterException(`store[${i}]`, 'must be an object');
    const kinds = Object.keys(entry).filter((k) => k === 'webDAV' || k === 'awsS3');
    if (kinds.length !== 1) throw new InvalidParameterException(`store[${i}]`, 'must hold exactly one of webDAV or awsS3');
    const config = entry[kinds[0]];
    if (!isObject(config)) throw new InvalidParameterException(`store[${i}].${kinds[0]}`, 'must be an object');
    if (kinds[0] === 'webDAV') {
      if (typeof config.storagePath !== 'string' || !/^https?:\/\/\S+$/i.test(config.storagePath)) {
        throw new InvalidParameterException(`store[${i}].webDAV.storagePath`, 'must be an http(s) URL');
      }
      for (const name of ['username', 'password']) {
        if (config[name] !== undefined && typeof config[name] !== 'string') throw new InvalidParameterException(`store[${i}].webDAV.${name}`, 'must be a string');
      }
    }
  });
  return body;
}

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) && typeof v === 'string' ? MASK : mask(v)]));
}
