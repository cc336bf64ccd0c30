import { Injectable } from '@nestjs/common';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { ContactCentersService } from '../contact-centers/contact-centers.service';
import { isObject } from './recording-facts';
import { formatRwsTimestamp } from '../common/rws-time';
import { RecordingLabelDefinition, RecordingLabelDefinitionStore } from './recording.store';
import { LabelDefinitionExistsException } from './recordings.exception';

const LABEL_NAME = /^[\p{L}\p{N} ._:/-]{1,100}$/u;

/** Label definitions of a contact center: the labels supervisors may put on recordings. */
@Injectable()
export class RecordingLabelsService {
  constructor(
    private readonly contactCenters: ContactCentersService,
    private readonly store: RecordingLabelDefinitionStore,
  ) {}

  async create(ccid: string, body: unknown): Promise<RecordingLabelDefinition> {
    const cc = await this.contactCenters.require(ccid);
    if (!isObject(body)) throw new InvalidParameterException('body', 'a JSON object is expected');
    const name = checkLabelName(body.name, 'name');
    for (const field of ['displayName', 'description'] as const) {
      if (body[field] !== undefined && (typeof body[field] !== 'string' || body[field].length > 1000)) {
        throw new InvalidParameterException(field, 'must be a string of at most 1000 characters');
      }
    }
    const definition: RecordingLabelDefinition = {
      name,
      ...(typeof body.displayName === 'string' ? { displayName: body.displayName } : {}),
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
      createdAt: formatRwsTimestamp(Date.now()),
    };
    if (!(await this.store.create(cc.id, definition))) throw new LabelDefinitionExistsException(name);
    return definition;
  }

  async list(ccid: string): Promise<RecordingLabelDefinition[]> {
    const cc = await this.contactCenters.require(ccid);
    return this.store.list(cc.id);
  }

  /** The label of an addLabel/removeLabel operation; adding needs a definition of that name. */
  async requireDefined(ccid: string, label: unknown, forAdding: boolean): Promise<string> {
    const name = checkLabelName(label, 'label');
    if (forAdding && !(await this.store.get(ccid, name))) throw new InvalidParameterException('label', `no label definition named '${name}'`);
    return name;
  }
}

function checkLabelName(value: unknown, parameter: string): string {
  if (value === undefined) throw new InvalidParameterException(parameter, 'is mandatory');
  if (typeof value !== 'string' || !LABEL_NAME.test(value)) {
    throw new InvalidParameterException(parameter, 'must be 1 to 100 letters, digits, spaces or ._:/-');
  }
  return value;
}
