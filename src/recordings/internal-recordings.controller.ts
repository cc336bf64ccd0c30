import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { RECORDING_INSERT_SCHEMA } from './recording-insert.schema';
import { ApiBasicAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, OpsOrService } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { requireOwnContactCenter } from './recording-context.factory';
import { RecordingOkResponse } from './recordings.dto';
import { RecordingsService } from './recordings.service';

/** The Recording Processor's endpoint: one JSON document per voice recording (api.md §2). */
@ApiTags('recordings')
@ApiBasicAuth()
@OpsOrService()
@Controller('internal-api/contact-centers/:ccid/recordings')
export class InternalRecordingsController {
  constructor(private readonly recordings: RecordingsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Insert or merge one recording document (idempotent upsert by id)' })
  @ApiBody({ schema: RECORDING_INSERT_SCHEMA })
  @ApiOkResponse({ type: RecordingOkResponse })
  async insert(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Body() body: unknown): Promise<RecordingOkResponse> {
    await this.recordings.insert(requireOwnContactCenter(principal, ccid), body);
    return { statusCode: 0 };
  }
}
