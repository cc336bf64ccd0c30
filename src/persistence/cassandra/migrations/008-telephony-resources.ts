import { Migration } from './migration';

/**
 * DNs and places of contact centers. A DN number is owned by one contact center node-wide (a lightweight
 * transaction on `telephony_dns` decides, the truth); `telephony_dns_by_cc` lists a contact center's DN
 * numbers, each re-checked against the truth when listed.
 */
export const m008TelephonyResources: Migration = {
  version: 8,
  name: 'telephony resources (DNs and places)',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.telephony_dns (
       dn text PRIMARY KEY, ccid uuid, switch_name text, created_at timestamp)`,
    `CREATE TABLE IF NOT EXISTS {ks}.telephony_dns_by_cc (
       ccid uuid, dn text, PRIMARY KEY ((ccid), dn))`,
    `CREATE TABLE IF NOT EXISTS {ks}.places (
       ccid uuid, name text, dns list<text>, agents list<text>, created_at timestamp, updated_at timestamp,
       PRIMARY KEY ((ccid), name))`,
  ],
};
