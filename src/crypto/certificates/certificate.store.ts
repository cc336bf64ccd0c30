import type { SealedSecret } from '../keys/master-key-ring';
import { Certificate } from './certificate';

/** Persistence port for contact centers' certificates. Listing derives `status` from the one active pointer. */
export abstract class CertificateStore {
  /** Stores a new certificate; false when the id is taken. */
  abstract create(certificate: Certificate): Promise<boolean>;
  abstract get(ccid: string, id: string): Promise<Certificate | undefined>;
  /** The contact center's certificates, oldest first. */
  abstract list(ccid: string): Promise<Certificate[]>;
  /** Every certificate of every contact center (master-key re-wrap). */
  abstract listAll(): Promise<Certificate[]>;
  /** Makes `id` the active certificate; the previously active one becomes retired. */
  abstract activate(ccid: string, id: string, at: string): Promise<void>;
  /** Stops encrypting for `id` (it still decrypts); clears the active pointer if it was active. */
  abstract retire(ccid: string, id: string, at: string): Promise<void>;
  /** Marks `id` deleted and erases its private key. */
  abstract markDeleted(ccid: string, id: string, at: string): Promise<void>;
  /** Replaces the sealed private key only if it is still `expected` (never resurrects a deleted key); returns whether it did. */
  abstract replacePrivateKey(ccid: string, id: string, expected: SealedSecret, next: SealedSecret): Promise<boolean>;
}
