import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

export class RetentionPolicyNotFoundException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.NotFound, `Retention policy [${id}] cannot be found.`);
  }
}

export class ReceiptNotFoundException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.NotFound, `Deletion receipt [${id}] cannot be found.`);
  }
}

export class WebhookNotFoundException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.NotFound, `Webhook subscription [${id}] cannot be found.`);
  }
}
