import { refusalOf } from '../identity/access/operations';
import type { Principal } from '../identity/principal';

/**
 * Who may have a contact center's file keys unwrapped: the `decrypt` rule of the one operation table
 * (identity/access/operations.ts: service accounts of the contact center, holders of `decrypt`, the ops
 * account), and only for their own contact center (the ops account: any).
 */
export function mayDecrypt(principal: Principal, ccid: string): boolean {
  if (refusalOf(principal, 'decrypt')) return false;
  return principal.kind === 'ops' || principal.ccid?.toLowerCase() === ccid.toLowerCase();
}
