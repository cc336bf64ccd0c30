import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { ContactCentersService } from '../contact-centers/contact-centers.service';
import { CurrentPrincipal, OpsOnly, OpsOrService } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { opsContext } from './recording-context.factory';
import { isObject } from './recording-facts';
import { labelOperation, RecordingOperationsService } from './recording-operations.service';
import { RecordingSettingsService } from './recording-settings.service';
import { ApiRecordingSearchQuery, RecordingOkResponse, RecordingOperationBody, RecordingResponse, RecordingSearchResponse } from './recordings.dto';
import { RecordingsService } from './recordings.service';
import { searchResponse } from './search-response';

/** Ops twins of the recording API and the installers' endpoints, per contact center (api.md §2). */
@ApiTags('recordings')
@ApiBasicAuth()
@OpsOrService()
@Controller('api/v2/ops/contact-centers/:ccid')
export class OpsRecordingsController {
  constructor(
    private readonly recordings: RecordingsService,
    private readonly operations: RecordingOperationsService,
    private readonly settings: RecordingSettingsService,
    private readonly contactCenters: ContactCentersService,
  ) {}

  @Post('recordings')
  @OpsOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Legacy {"operationName":"createCRCF"}: the tables always exist, so an idempotent no-op' })
  @ApiOkResponse({ type: RecordingOkResponse })
  async createTables(@Param('ccid') ccid: string, @Body() body: unknown): Promise<RecordingOkResponse> {
    if (!isObject(body) || body.operationName !== 'createCRCF') throw new InvalidParameterException('operationName', 'must be createCRCF');
    await this.contactCenters.require(ccid);
    return { statusCode: 0 };
  }

  @Get('recording-tables')
  @OpsOnly()
  @ApiOperation({ summary: '200 when the recording tables exist' })
  @ApiOkResponse({ type: RecordingOkResponse })
  async tables(@Param('ccid') ccid: string): Promise<RecordingOkResponse> {
    await this.contactCenters.require(ccid);
    return { statusCode: 0 };
  }

  @Put('settings/recordings')
  @OpsOnly()
  @ApiOperation({ summary: 'Voice storage credentials {"store":[{"webDAV":{storagePath,username,password}}]}' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse({ type: RecordingOkResponse })
  async putSettings(@Param('ccid') ccid: string, @Body() body: unknown): Promise<RecordingOkResponse> {
    await this.settings.put(ccid, body);
    return { statusCode: 0 };
  }

  @Get('settings/recordings')
  @OpsOnly()
  @ApiOperation({ summary: 'Voice storage settings, passwords masked' })
  async getSettings(@Param('ccid') ccid: string): Promise<{ statusCode: number; settings: Record<string, unknown> }> {
    return { statusCode: 0, settings: await this.settings.get(ccid) };
  }

  @Get('recordings')
  @ApiOperation({ summary: 'Search recordings of the contact center' })
  @ApiRecordingSearchQuery()
  @ApiOkResponse({ type: RecordingSearchResponse })
  async search(@Req() req: Request, @CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Query() query: Record<string, unknown>): Promise<RecordingSearchResponse> {
    return searchResponse(req, await this.recordings.search(opsContext(req, principal, ccid), query));
  }

  @Get('recordings/:id')
  @ApiOperation({ summary: 'One recording' })
  @ApiOkResponse({ type: RecordingResponse })
  async get(@Req() req: Request, @CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Param('id') id: string): Promise<RecordingResponse> {
    return { statusCode: 0, recording: await this.recordings.get(opsContext(req, principal, ccid), id) };
  }

  @Delete('recordings/:id')
  @ApiOperation({ summary: 'Delete a recording (metadata and media); refused under non-delete' })
  @ApiOkResponse({ type: RecordingOkResponse })
  async delete(@Req() req: Request, @CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Param('id') id: string): Promise<RecordingOkResponse> {
    await this.recordings.delete(opsContext(req, principal, ccid), id);
    return { statusCode: 0 };
  }

  @Post('recordings/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'applyNonDelete, removeNonDelete, addLabel, removeLabel' })
  @ApiBody({ type: RecordingOperationBody })
  @ApiOkResponse({ type: RecordingOkResponse })
  async operate(
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Param('ccid') ccid: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<RecordingOkResponse> {
    await this.operations.run(opsContext(req, principal, ccid), id, body);
    return { statusCode: 0 };
  }

  @Post('recordings/:id/labels')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add (default) or remove a label, alias of the label operations' })
  @ApiBody({ schema: { type: 'object', required: ['label'], properties: { label: { type: 'string' }, operationName: { type: 'string', enum: ['addLabel', 'removeLabel', 'add', 'remove'] } } } })
  @ApiOkResponse({ type: RecordingOkResponse })
  async label(@Req() req: Request, @CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Param('id') id: string, @Body() body: unknown): Promise<RecordingOkResponse> {
    await this.operations.run(opsContext(req, principal, ccid), id, labelOperation(body));
    return { statusCode: 0 };
  }
}
