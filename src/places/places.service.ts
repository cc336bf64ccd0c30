import { Injectable } from '@nestjs/common';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { ContactCentersService } from '../contact-centers/contact-centers.service';
import { AuditLog } from '../identity/audit/audit-log.service';
import type { Principal } from '../identity/principal';
import { UserStore } from '../identity/users/user.store';
import { CreateDnDto, CreatePlaceDto, DnView, PlaceAttributesDto, PlaceView } from './places.dto';
import { DnNotFoundException, PlaceNotFoundException, TelephonyResourceConflictException } from './places.exception';
import { TelephonyResourceStore } from './telephony-resource.store';
import { DEFAULT_SWITCH, Dn, Place } from './telephony-resources';

/** Who changes telephony resources and from where, for the audit log. */
export interface ChangeContext {
  actor: Principal;
  source: string;
}

/**
 * Use cases of the ops API for a contact center's DNs and places. A DN number belongs to one contact center;
 * a place groups DNs of its own contact center, each DN in at most one place. Every change is audited.
 */
@Injectable()
export class PlacesService {
  constructor(
    private readonly store: TelephonyResourceStore,
    private readonly contactCenters: ContactCentersService,
    private readonly users: UserStore,
    private readonly audit: AuditLog,
  ) {}

  async createDn(ctx: ChangeContext, ccidParam: string, dto: CreateDnDto): Promise<Dn> {
    const ccid = await this.ccidOf(ccidParam);
    const wanted: Dn = { ccid, dn: dto.dn, switch: dto.switch ?? DEFAULT_SWITCH, createdAt: new Date().toISOString() };
    const stored = await this.store.createDn(wanted);
    if (stored.ccid !== ccid || stored.createdAt !== wanted.createdAt || stored.switch !== wanted.switch) {
      throw new TelephonyResourceConflictException(
        stored.ccid === ccid ? `DN [${dto.dn}] already exists.` : `DN [${dto.dn}] belongs to another contact center.`,
      );
    }
    await this.audit.record({ ...auditOf(ctx, ccid), action: 'dnCreate', objectType: 'dn', objectId: stored.dn, detail: `switch=${stored.switch}` });
    return stored;
  }

  async listDns(ccidParam: string): Promise<Dn[]> {
    return this.store.listDns(await this.ccidOf(ccidParam));
  }

  async getDn(ccidParam: string, dn: string): Promise<Dn> {
    const ccid = await this.ccidOf(ccidParam);
    const found = await this.store.getDn(dn);
    if (!found || found.ccid !== ccid) throw new DnNotFoundException(dn);
    return found;
  }

  async deleteDn(ctx: ChangeContext, ccidParam: string, dn: string): Promise<void> {
    const found = await this.getDn(ccidParam, dn);
    const place = (await this.store.listPlaces(found.ccid)).find((p) => p.dns.includes(dn));
    if (place) throw new TelephonyResourceConflictException(`DN [${dn}] is in place [${place.name}]; remove it from the place first.`);
    if (!(await this.store.deleteDn(found.ccid, dn))) throw new DnNotFoundException(dn);
    await this.audit.record({ ...auditOf(ctx, found.ccid), action: 'dnDelete', objectType: 'dn', objectId: dn });
  }

  async createPlace(ctx: ChangeContext, ccidParam: string, dto: CreatePlaceDto): Promise<Place> {
    const ccid = await this.ccidOf(ccidParam);
    const now = new Date().toISOString();
    const place: Place = { ccid, name: dto.name, ...(await this.checkedAttributes(ccid, dto.name, dto)), createdAt: now, updatedAt: now };
    if (!(await this.store.createPlace(place))) throw new TelephonyResourceConflictException(`Place [${dto.name}] already exists.`);
    await this.audit.record({ ...auditOf(ctx, ccid), action: 'placeCreate', objectType: 'place', objectId: place.name, detail: summary(place) });
    return place;
  }

  async listPlaces(ccidParam: string): Promise<Place[]> {
    return this.store.listPlaces(await this.ccidOf(ccidParam));
  }

  async getPlace(ccidParam: string, name: string): Promise<Place> {
    const ccid = await this.ccidOf(ccidParam);
    const place = await this.store.getPlace(ccid, name);
    if (!place) throw new PlaceNotFoundException(name);
    return place;
  }

  async replacePlace(ctx: ChangeContext, ccidParam: string, name: string, dto: PlaceAttributesDto): Promise<Place> {
    const current = await this.getPlace(ccidParam, name);
    const updated: Place = { ...current, ...(await this.checkedAttributes(current.ccid, name, dto)), updatedAt: new Date().toISOString() };
    if (!(await this.store.updatePlace(updated))) throw new PlaceNotFoundException(name);
    await this.audit.record({ ...auditOf(ctx, current.ccid), action: 'placeUpdate', objectType: 'place', objectId: name, detail: summary(updated) });
    return updated;
  }

  async deletePlace(ctx: ChangeContext, ccidParam: string, name: string): Promise<void> {
    const current = await this.getPlace(ccidParam, name);
    if (!(await this.store.deletePlace(current.ccid, name))) throw new PlaceNotFoundException(name);
    await this.audit.record({ ...auditOf(ctx, current.ccid), action: 'placeDelete', objectType: 'place', objectId: name });
  }

  /** DNs must be this contact center's and in no other place; agents must be users of this contact center. */
  private async checkedAttributes(ccid: string, placeName: string, dto: PlaceAttributesDto): Promise<Pick<Place, 'dns' | 'agents'>> {
    const dns = [...(dto.dns ?? [])];
    const agents = [...(dto.agents ?? [])];
    for (const dn of dns) {
      const found = await this.store.getDn(dn);
      if (!found || found.ccid !== ccid) throw new InvalidParameterException('dns', `DN [${dn}] is not a DN of this contact center.`);
    }
    const others = (await this.store.listPlaces(ccid)).filter((p) => p.name !== placeName);
    for (const dn of dns) {
      const holder = others.find((p) => p.dns.includes(dn));
      if (holder) throw new TelephonyResourceConflictException(`DN [${dn}] is already in place [${holder.name}].`);
    }
    for (const userName of agents) {
      if (!(await this.users.get(ccid, userName))) throw new InvalidParameterException('agents', `User [${userName}] is not a user of this contact center.`);
    }
    return { dns, agents };
  }

  private async ccidOf(ccidParam: string): Promise<string> {
    return (await this.contactCenters.require(ccidParam)).id;
  }
}

export function dnViewOf(dn: Dn): DnView {
  return { dn: dn.dn, switch: dn.switch, ccid: dn.ccid, createdAt: dn.createdAt };
}

export function placeViewOf(place: Place): PlaceView {
  return { name: place.name, ccid: place.ccid, dns: place.dns, agents: place.agents, createdAt: place.createdAt, updatedAt: place.updatedAt };
}

function auditOf(ctx: ChangeContext, ccid: string) {
  return { actor: ctx.actor, ccid, source: ctx.source, outcome: 'success' as const };
}

function summary(place: Place): string {
  return `dns=${place.dns.join('|')} agents=${place.agents.join('|')}`;
}
