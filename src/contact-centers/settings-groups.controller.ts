import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { CurrentPrincipal, Roles } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { ContactCenterStore } from './contact-center.store';
import { ContactCentersService, isUuid } from './contact-centers.service';

/** The group served here (explicit routes, so other `/api/v2/settings/…` endpoints are not shadowed). */
const IRP_MUXER = 'irp-muxer';
const STORED_GROUP = `settings-group:${IRP_MUXER}`;
const MAX_SETTINGS = 200;

interface Setting {
  name: string;
  value: unknown;
}

/**
 * GWS-style settings groups of the caller's contact center (compat.md §4): `GET /api/v2/settings/irp-muxer`
 * → `{"statusCode":0,"settings":[{name, value}],"key":"name"}`, read by the Recording Muxer (e.g. a
 * "decrypt URI prefix" pointing players at the crypto server); an admin (or ops with `?ccid=`) replaces it
 * with `PUT` `{"settings":[…]}`. An unset group is empty.
 */
@ApiTags('settings')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller('api/v2/settings')
export class SettingsGroupsController {
  constructor(
    private readonly contactCenters: ContactCentersService,
    private readonly store: ContactCenterStore,
  ) {}

  @Get(IRP_MUXER)
  @ApiOperation({ summary: 'The irp-muxer settings group of the caller’s contact center' })
  @ApiQuery({ name: 'ccid', required: false, description: 'ops account only: the contact center' })
  async get(@CurrentPrincipal() principal: Principal, @Query('ccid') ccid?: string) {
    const cc = await this.contactCenters.require(contactCenterOf(principal, ccid));
    const stored = await this.store.getSettings(cc.id, STORED_GROUP);
    return { statusCode: 0, settings: (stored?.settings as Setting[] | undefined) ?? [], key: 'name' };
  }

  @Put(IRP_MUXER)
  @Roles('admin')
  @ApiOperation({ summary: 'Replace the irp-muxer settings group (admins of the contact center, or ops with ?ccid=)' })
  @ApiQuery({ name: 'ccid', required: false, description: 'ops account only: the contact center' })
  @ApiBody({ schema: { type: 'object', properties: { settings: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, value: {} } } } } } })
  async put(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Query('ccid') ccid?: string) {
    const settings = parseSettings(body);
    const cc = await this.contactCenters.require(contactCenterOf(principal, ccid));
    await this.store.putSettings(cc.id, STORED_GROUP, { settings });
    return { statusCode: 0 };
  }
}

function contactCenterOf(principal: Principal, ccid: string | undefined): string {
  if (principal.ccid) return principal.ccid;
  if (typeof ccid !== 'string' || !isUuid(ccid)) throw new InvalidParameterException('ccid', 'the ops account names the contact center: ?ccid=<uuid>');
  return ccid.toLowerCase();
}

function parseSettings(body: unknown): Setting[] {
  const list = typeof body === 'object' && body !== null ? (body as { settings?: unknown }).settings : undefined;
  if (!Array.isArray(list) || list.length > MAX_SETTINGS) throw new InvalidParameterException('settings', `must be an array of at most ${MAX_SETTINGS} {name, value} entries`);
  return list.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null || typeof (entry as Setting).name !== 'string' || (entry as Setting).name === '') {
      throw new InvalidParameterException(`settings[${i}].name`, 'must be a non-empty string');
    }
    const { name, value } = entry as Setting;
    return { name, value: value ?? null };
  });
}
