import type { Principal } from '../identity/principal';

/**
 * Who may have a contact center's file keys unwrapped: its service accounts (Recording Processor, crypto
 * clients), and people or operators holding the `decrypt` permission (users only in their own contact center).
 */
export function mayDecrypt(principal: Principal, ccid: string): boolean {
  if (principal.kind === 'service') return principal.ccid === ccid;
  if (!principal.permissions.includes('decrypt')) return false;
  return principal.kind === 'ops' || principal.ccid === ccid;
}
