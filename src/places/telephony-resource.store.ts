import type { Dn, Place } from './telephony-resources';

/** Persistence port for the DNs and places of contact centers. */
export abstract class TelephonyResourceStore {
  /**
   * Records that `dn.dn` belongs to `dn.ccid`. Returns the DN as stored: the one given, or the existing one
   * when the number is already owned (by this or another contact center), which the caller compares.
   */
  abstract createDn(dn: Dn): Promise<Dn>;
  /** The DN with this number, whichever contact center owns it. */
  abstract getDn(dn: string): Promise<Dn | undefined>;
  /** The DNs of one contact center, ordered by number. */
  abstract listDns(ccid: string): Promise<Dn[]>;
  /** Removes the DN if `ccid` owns it; false when it does not exist there. */
  abstract deleteDn(ccid: string, dn: string): Promise<boolean>;

  /** Creates a place; false when the contact center already has one of that name. */
  abstract createPlace(place: Place): Promise<boolean>;
  abstract getPlace(ccid: string, name: string): Promise<Place | undefined>;
  /** The places of one contact center, ordered by name. */
  abstract listPlaces(ccid: string): Promise<Place[]>;
  /** Replaces an existing place (same ccid and name); false when it does not exist. */
  abstract updatePlace(place: Place): Promise<boolean>;
  abstract deletePlace(ccid: string, name: string): Promise<boolean>;
}
