import type { Request } from 'express';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { baseUrlOf } from '../common/http/base-url';
import { ContactCenterNotFoundException } from '../contact-centers/contact-centers.exception';
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
  const normalized = requireOwnContactCenter(principal, ccid);
  return { principal, ccid: normalized, from: req.ip, links: { baseUrl: baseUrlOf(req), family: `/ops/contact-centers/${normalized}` } };
}

/**
 * A path's contact center, checked against the caller: the ops account may name any, a service account
 * (or user) only its own — another one is reported as unknown rather than revealed.
 */
export function requireOwnContactCenter(principal: Principal, ccid: string): string {
  const normalized = ccid.toLowerCase();
  if (principal.kind !== 'ops' && principal.ccid?.toLowerCase() !== normalized) throw new ContactCenterNotFoundException(ccid);
  return normalized;
}
