import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { baseUrlOf } from '../common/http/base-url';
import { sendMedia } from '../common/http/media-response';
import { CurrentPrincipal, OpsOrService } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { screenRecordingView } from './screen-recording-view';
import { ScreenRecordingsService } from './screen-recordings.service';
import { CreateScreenRecordingDto } from './screen-recordings.dto';
import { requireOwnContactCenter } from '../recordings/recording-context.factory';

const BASE = 'internal-api/contact-centers/:ccid/screen-recordings';

/** RWS-compatible endpoints used by muxers and crypto servers (api.md §6); service accounts and ops only. */
@ApiTags('screen-recordings')
@ApiBasicAuth()
@ApiBearerAuth()
@OpsOrService()
@Controller(BASE)
export class InternalScreenRecordingsController {
  constructor(private readonly recordings: ScreenRecordingsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a screen recording whose media a service (e.g. a muxer) already stored' })
  async create(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Body() body: CreateScreenRecordingDto, @Req() req: Request) {
    const recording = await this.recordings.createStored(principal, requireOwnContactCenter(principal, ccid), body);
    return { statusCode: 0, id: recording.id, recording: screenRecordingView(recording, baseUrlOf(req), 'content') };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A screen recording with its media files (pkcs7 for encrypted media)' })
  async get(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Param('id') id: string, @Req() req: Request) {
    const recording = await this.recordings.get(principal, id, ccid, req.ip);
    return { statusCode: 0, recording: screenRecordingView(recording, baseUrlOf(req), 'content') };
  }

  @Get(':id/content/:mediaId')
  @ApiOperation({ summary: 'The stored media bytes as kept in storage (ciphertext when encrypted), HTTP Range supported' })
  async content(
    @CurrentPrincipal() principal: Principal,
    @Param('ccid') ccid: string,
    @Param('id') id: string,
    @Param('mediaId') mediaId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { media, size, read } = await this.recordings.openStoredMedia(principal, id, mediaId, ccid, req.ip);
    await sendMedia(req, res, {
      size,
      contentType: media.pkcs7 ? 'application/octet-stream' : media.type,
      open: async (range) => (await read(range)).stream,
    });
  }

  @Delete(':id/content/:mediaId')
  @ApiOperation({ summary: 'Delete one media file (refused under non-delete)' })
  async deleteContent(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Param('id') id: string, @Param('mediaId') mediaId: string, @Req() req: Request) {
    await this.recordings.deleteMedia(principal, id, mediaId, ccid, req.ip);
    return { statusCode: 0 };
  }
}
