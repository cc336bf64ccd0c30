import { Injectable } from '@nestjs/common';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { AccessPolicy } from '../identity/access/access-policy';
import type { RecordingContext } from './recording-context';
import { isObject } from './recording-facts';
import { RecordingLabelsService } from './recording-labels.service';
import { RecordingsService } from './recordings.service';

const OPERATIONS = ['applyNonDelete', 'removeNonDelete', 'addLabel', 'removeLabel'] as const;

/** `POST /api/v2/recordings/{id}` with `{"operationName": …}` (api.md §1: operations are POSTs on the resource). */
@Injectable()
export class RecordingOperationsService {
  constructor(
    private readonly recordings: RecordingsService,
    private readonly labels: RecordingLabelsService,
    private readonly access: AccessPolicy,
  ) {}

  async run(ctx: RecordingContext, id: string, body: unknown): Promise<void> {
    if (!isObject(body)) throw new InvalidParameterException('body', 'a JSON object is expected');
    const operation = body.operationName;
    switch (operation) {
      case 'applyNonDelete':
      case 'removeNonDelete':
        this.access.requireOperation(ctx.principal, 'hold');
        return this.recordings.setNonDelete(ctx, id, operation === 'applyNonDelete');
      case 'addLabel':
      case 'removeLabel': {
        this.access.requireOperation(ctx.principal, 'label');
        const label = await this.labels.requireDefined(ctx.ccid, body.label, operation === 'addLabel');
        return this.recordings.setLabel(ctx, id, label, operation === 'addLabel');
      }
      default:
        throw new InvalidParameterException('operationName', `must be one of ${OPERATIONS.join(', ')}`);
    }
  }
}

/** `operationName` of `POST …/recordings/{id}/labels`, GWS's label resource: add when absent. */
const LABEL_OPERATIONS: Record<string, 'addLabel' | 'removeLabel'> = { addLabel: 'addLabel', removeLabel: 'removeLabel', add: 'addLabel', remove: 'removeLabel' };

/**
 * `POST /api/v2/recordings/{id}/labels` `{"label":…}` (compat.md §6): an alias of the label operations on
 * the recording — `operationName` `addLabel` (the default, also `add`) or `removeLabel` (`remove`).
 */
export function labelOperation(body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw new InvalidParameterException('body', 'a JSON object is expected');
  const given = body.operationName ?? 'addLabel';
  const operationName = typeof given === 'string' ? LABEL_OPERATIONS[given] : undefined;
  if (!operationName) throw new InvalidParameterException('operationName', `must be one of ${Object.keys(LABEL_OPERATIONS).join(', ')}`);
  return { ...body, operationName };
}

