import type { Request } from 'express';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { baseUrlOf } from '../common/http/base-url';
import { isUuid } from '../contact-centers/contact-centers.service';
import type { Principal } from '../identity/principal';
import type { RecordingContext } from './recording-context';

/**
 * The context of a public `/api/v2/recordings…` request: the contact center is the caller's own. The ops
 * account belongs to none, so it names one with `?ccid=` (searching across contact centers is not offered).
 */
export function publicContext(req: Request, principal: Principal): RecordingContext {
  let ccid = principal.ccid;
  if (!ccid) {
    const given = req.query.ccid;
    if (typeof given !== 'string' || !isUuid(given)) {
      throw new InvalidParameterException('ccid', 'the ops account names the contact center: ?ccid=<uuid>, or use /api/v2/ops/contact-centers/{ccid}/recordings');
    }
    ccid = given;
  }
  return { principal, ccid: ccid.toLowerCase(), from: req.ip, links: { baseUrl: baseUrlOf(req), family: '' } };
}

/** The context of an ops-path request `/api/v2/ops/contact-centers/{ccid}/…`. */
export function opsContext(req: Request, principal: Principal, ccid: string): RecordingContext {
  const normalized = ccid.toLowerCase();
  return { principal, ccid: normalized, from: req.ip, links: { baseUrl: baseUrlOf(req), family: `/ops/contact-centers/${normalized}` } };
}
