import { Migration } from './migration';

/**
 * Certificates per contact center: one partition per contact center (a handful of rows), listed whole.
 * `active_id` is static, so switching the active certificate and the rows' statuses is one atomic,
 * isolated single-partition batch.
 */
export const m003Crypto: Migration = {
  version: 3,
  name: 'crypto certificates',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.crypto_certificates (
       ccid uuid, id uuid, active_id uuid STATIC,
       alias text, status text, certificate_pem text, subject text, issuer text, serial_number text,
       fingerprint256 text, not_before timestamp, not_after timestamp, key_bits int, private_key text,
       created_at timestamp, activated_at timestamp, retired_at timestamp, deleted_at timestamp,
       PRIMARY KEY ((ccid), id))`,
  ],
};
