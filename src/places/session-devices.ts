import { Injectable } from '@nestjs/common';
import { InvalidParameterException } from '../common/errors/rws.exception';
import type { SessionDevice } from '../telephony/telephony.service';
import { DnNotFoundException, PlaceNotFoundException, TelephonyResourceForbiddenException } from './places.exception';
import { TelephonyResourceStore } from './telephony-resource.store';
import type { Place } from './telephony-resources';

/** The agent a session is for: a user of one contact center. */
export interface SessionUser {
  ccid: string;
  userName: string;
}

/**
 * Turns what a desktop or recorder names at session start (a place, devices, or both) into the DNs the agent
 * may use, or refuses: an unknown place or DN is 404; a DN of another contact center, a place the agent is
 * not assigned to, a DN outside the named place, or a DN whose place is reserved for other agents is 403.
 */
@Injectable()
export class SessionDevices {
  constructor(private readonly store: TelephonyResourceStore) {}

  async resolve(user: SessionUser, placeName: string | undefined, devices: SessionDevice[]): Promise<SessionDevice[]> {
    const place = placeName === undefined ? undefined : await this.allowedPlace(user, placeName);
    if (devices.length === 0) {
      if (!place) throw new InvalidParameterException('place', 'a place or devices are required to start a session');
      if (place.dns.length === 0) throw new TelephonyResourceForbiddenException(`Place [${place.name}] has no DN.`);
    }
    const named: SessionDevice[] = devices.length > 0 ? devices : place!.dns.map((dn) => ({ dn }));
    // Without a place, a DN that belongs to a place reserved for some agents is for those agents only.
    const places = place ? [place] : await this.store.listPlaces(user.ccid);
    const resolved: SessionDevice[] = [];
    for (const device of named) {
      const dn = await this.store.getDn(device.dn);
      if (!dn) throw new DnNotFoundException(device.dn);
      if (dn.ccid !== user.ccid) throw new TelephonyResourceForbiddenException(`DN [${device.dn}] is not a DN of the agent's contact center.`);
      if (device.switch !== undefined && device.switch !== dn.switch) throw new DnNotFoundException(device.dn, device.switch);
      if (place && !place.dns.includes(dn.dn)) throw new TelephonyResourceForbiddenException(`DN [${dn.dn}] is not a DN of place [${place.name}].`);
      const home = places.find((p) => p.dns.includes(dn.dn));
      if (!place && home && !isAllowedAt(home, user.userName)) {
        throw new TelephonyResourceForbiddenException(`DN [${dn.dn}] belongs to place [${home.name}], which is not assigned to the agent.`);
      }
      if (!resolved.some((r) => r.dn === dn.dn)) resolved.push({ dn: dn.dn, switch: dn.switch });
    }
    return resolved;
  }

  private async allowedPlace(user: SessionUser, name: string): Promise<Place> {
    const place = await this.store.getPlace(user.ccid, name);
    if (!place) throw new PlaceNotFoundException(name);
    if (!isAllowedAt(place, user.userName)) throw new TelephonyResourceForbiddenException(`Place [${name}] is not assigned to the agent.`);
    return place;
  }
}

/** A place with no agents listed is open to every agent of its contact center. */
function isAllowedAt(place: Place, userName: string): boolean {
  return place.agents.length === 0 || place.agents.includes(userName);
}
