import { ContactCenter } from './contact-center';

/** Persistence port for contact centers, their features and their settings groups. */
export abstract class ContactCenterStore {
  /** Creates a contact center; returns false when the id is already taken. */
  abstract create(contactCenter: ContactCenter): Promise<boolean>;
  abstract get(id: string): Promise<ContactCenter | undefined>;
  abstract list(): Promise<ContactCenter[]>;
  /** Adds feature URIs (set union); returns the updated contact center, or undefined when unknown. */
  abstract addFeatures(id: string, uris: string[]): Promise<ContactCenter | undefined>;
  /** A settings group (e.g. `recordings`) as stored, or undefined. */
  abstract getSettings(id: string, group: string): Promise<Record<string, unknown> | undefined>;
  abstract putSettings(id: string, group: string, value: Record<string, unknown>): Promise<void>;
}
