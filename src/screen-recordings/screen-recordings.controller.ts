import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { baseUrlOf } from '../common/http/base-url';
import { CurrentPrincipal } from '../identity/auth.decorators';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { isUuid } from '../contact-centers/contact-centers.service';
import type { Principal } from '../identity/principal';
import { screenRecordingView } from './screen-recording-view';
import { ScreenRecordingSearch, ScreenRecordingsService } from './screen-recordings.service';

/** Public screen-recording search and read (api.md §6), filtered by the caller's access. */
@ApiTags('screen-recordings')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller('api/v2/screen-recordings')
export class ScreenRecordingsController {
  constructor(private readonly recordings: ScreenRecordingsService) {}

  @Get()
  @ApiOperation({ summary: 'Search screen recordings (at least one filter), newest first; paged with nextPageToken' })
  @ApiQuery({ name: 'callUuid', required: false })
  @ApiQuery({ name: 'userName', required: false })
  @ApiQuery({ name: 'startTime', required: false })
  @ApiQuery({ name: 'endTime', required: false })
  @ApiQuery({ name: 'state', required: false, enum: ['recording', 'paused', 'stopped', 'stored', 'failed', 'missing'] })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000 (default 100)' })
  @ApiQuery({ name: 'pageToken', required: false, description: 'nextPageToken of the previous page' })
  @ApiQuery({ name: 'ccid', required: false, description: 'ops account only: the contact center' })
  async search(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>, @Req() req: Request) {
    // The ops account belongs to no contact center: it names one, as on the voice search.
    const routeCcid = opsCcidOf(principal, query);
    const found = await this.recordings.search(principal, pick(query), routeCcid, req.ip);
    const links: { next?: string } = {};
    if (found.nextPageToken) {
      const next = new URLSearchParams();
      for (const [name, value] of Object.entries(req.query)) if (name !== 'pageToken' && typeof value === 'string') next.set(name, value);
      next.set('pageToken', found.nextPageToken);
      links.next = `${baseUrlOf(req)}${req.path}?${next.toString()}`;
    }
    return {
      statusCode: 0,
      recordings: found.recordings.map((r) => screenRecordingView(r, baseUrlOf(req), 'play')),
      ...(found.nextPageToken ? { nextPageToken: found.nextPageToken } : {}),
      links,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One screen recording' })
  @ApiQuery({ name: 'ccid', required: false, description: 'ops account only: the contact center' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: Record<string, unknown>, @Req() req: Request) {
    const recording = await this.recordings.get(principal, id, opsCcidOf(principal, query), req.ip);
    return { statusCode: 0, recording: screenRecordingView(recording, baseUrlOf(req), 'play') };
  }
}

/** The ops account belongs to no contact center: on public paths it names one with `?ccid=` (others: their own). */
export function opsCcidOf(principal: Principal, query: Record<string, unknown>): string | undefined {
  return principal.kind === 'ops' ? requireOpsCcid(query.ccid) : undefined;
}

function requireOpsCcid(value: unknown): string {
  if (typeof value !== 'string' || !isUuid(value)) throw new InvalidParameterException('ccid', 'the ops account names the contact center: ?ccid=<uuid>');
  return value.toLowerCase();
}

export function pick(query: Record<string, unknown>): ScreenRecordingSearch {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    callUuid: text(query.callUuid),
    userName: text(query.userName),
    startTime: text(query.startTime),
    endTime: text(query.endTime),
    state: text(query.state),
    limit: text(query.limit),
    pageToken: text(query.pageToken),
  };
}
