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
