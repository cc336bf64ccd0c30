import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { publicContext } from './recording-context.factory';
import { labelOperation, RecordingOperationsService } from './recording-operations.service';
import { ApiRecordingSearchQuery, RecordingOkResponse, RecordingOperationBody, RecordingResponse, RecordingSearchResponse } from './recordings.dto';
import { RecordingsService } from './recordings.service';
import { searchResponse } from './search-response';

/** Public voice recording API (api.md §2) for players, download tools and supervisors. */
@ApiTags('recordings')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller('api/v2/recordings')
export class RecordingsController {
  constructor(
    private readonly recordings: RecordingsService,
    private readonly operations: RecordingOperationsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Search recordings (at least one filter); paged with nextPageToken' })
  @ApiQuery({ name: 'ccid', required: false, description: 'ops account only: the contact center' })
  @ApiRecordingSearchQuery()
  @ApiOkResponse({ type: RecordingSearchResponse })
  async search(@Req() req: Request, @CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>): Promise<RecordingSearchResponse> {
    return searchResponse(req, await this.recordings.search(publicContext(req, principal), query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One recording' })
  @ApiOkResponse({ type: RecordingResponse })
  async get(@Req() req: Request, @CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RecordingResponse> {
    return { statusCode: 0, recording: await this.recordings.get(publicContext(req, principal), id) };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a recording (metadata and media); refused under non-delete' })
  @ApiOkResponse({ type: RecordingOkResponse })
  async delete(@Req() req: Request, @CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RecordingOkResponse> {
    await this.recordings.delete(publicContext(req, principal), id);
    return { statusCode: 0 };
  }

  @Post(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'applyNonDelete, removeNonDelete, addLabel, removeLabel' })
  @ApiBody({ type: RecordingOperationBody })
  @ApiOkResponse({ type: RecordingOkResponse })
  async operate(@Req() req: Request, @CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown): Promise<RecordingOkResponse> {
    await this.operations.run(publicContext(req, principal), id, body);
    return { statusCode: 0 };
  }

  @Post(':id/labels')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add (default) or remove a label: {"label":…, "operationName":"addLabel"|"removeLabel"}, alias of the label operations' })
  @ApiBody({ schema: { type: 'object', required: ['label'], properties: { label: { type: 'string' }, operationName: { type: 'string', enum: ['addLabel', 'removeLabel', 'add', 'remove'] } } } })
  @ApiOkResponse({ type: RecordingOkResponse })
  async label(@Req() req: Request, @CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown): Promise<RecordingOkResponse> {
    await this.operations.run(publicContext(req, principal), id, labelOperation(body));
    return { statusCode: 0 };
  }
}

