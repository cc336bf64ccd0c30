import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { baseUrlOf } from '../common/http/base-url';
import { sendMedia } from '../common/http/media-response';
import { CurrentPrincipal, OpsOrService } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { screenRecordingView } from './screen-recording-view';
import { ScreenRecordingsService } from './screen-recordings.service';
import { CreateScreenRecordingDto } from './screen-recordings.dto';
import { parseScreenRecordingRegistration } from './screen-recording-registration';
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
  @ApiOperation({
    summary: 'Record media a service (e.g. the Recording Muxer) already stored: a new screen recording, or added to the existing one `id` names',
    description:
      'Accepts the recording as GET returns it (size/duration as strings or numbers, mediaDescriptor {storage, path, data:{storagePath}} with the folder in storagePath and the file in path, parameters kept) or the flat shape (path, numbers).',
  })
  @ApiBody({ type: CreateScreenRecordingDto })
  async create(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Body() body: unknown, @Req() req: Request) {
    const registration = parseScreenRecordingRegistration(body);
    const recording = await this.recordings.register(principal, requireOwnContactCenter(principal, ccid), registration);
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
