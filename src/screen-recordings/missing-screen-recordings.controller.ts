import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { baseUrlOf } from '../common/http/base-url';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { isUuid } from '../contact-centers/contact-centers.service';
import { CurrentPrincipal, OpsOnly } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { screenRecordingView } from './screen-recording-view';
import { pick } from './screen-recordings.controller';
import { ScreenRecordingsService } from './screen-recordings.service';

/** The missing screen recordings of a contact center (the missing-recording detector's findings; docs/lifecycle.md). */
@ApiTags('lifecycle')
@ApiBasicAuth()
@OpsOnly()
@Controller('api/v2/ops/contact-centers/:ccid/screen-recordings/missing')
export class MissingScreenRecordingsController {
  constructor(private readonly recordings: ScreenRecordingsService) {}

  @Get()
  @ApiOperation({ summary: 'Screen recordings that ended without media (missingReason says why), newest first; paged with nextPageToken' })
  @ApiQuery({ name: 'startTime', required: false, description: 'recordings overlapping [startTime, endTime]' })
  @ApiQuery({ name: 'endTime', required: false })
  @ApiQuery({ name: 'userName', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000 (default 100)' })
  @ApiQuery({ name: 'pageToken', required: false, description: 'nextPageToken of the previous page' })
  async list(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Query() query: Record<string, unknown>, @Req() req: Request) {
    if (!isUuid(ccid)) throw new InvalidParameterException('ccid', 'a contact center id (uuid)');
    const found = await this.recordings.search(principal, { ...pick(query), callUuid: undefined, state: 'missing' }, ccid.toLowerCase(), req.ip);
    return {
      statusCode: 0,
      recordings: found.recordings.map((r) => screenRecordingView(r, baseUrlOf(req), 'play')),
      ...(found.nextPageToken ? { nextPageToken: found.nextPageToken } : {}),
    };
  }
}
