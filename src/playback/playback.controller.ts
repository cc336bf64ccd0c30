import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { opsCcidOf } from '../screen-recordings/screen-recordings.controller';
import type { Request, Response } from 'express';
import { sendMedia } from '../common/http/media-response';
import { CurrentPrincipal, OpsOrService } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { opsContext, publicContext } from '../recordings/recording-context.factory';
import { PlaybackService } from './playback.service';

/** Media streams for players: whole or by HTTP Range, decrypted when encrypted (api.md §2, §6, §8). */
@ApiTags('playback')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller('api/v2')
export class PlaybackController {
  constructor(private readonly playback: PlaybackService) {}

  @Get('recordings/:id/play/:file')
  @ApiOperation({ summary: 'Play a voice recording’s media file `{mediaFileId}.{ext}` (Range supported)' })
  async voice(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await sendMedia(req, res, await this.playback.voice(publicContext(req, principal), id, file));
  }

  @Get('ops/contact-centers/:ccid/recordings/:id/play/:file')
  @OpsOrService()
  @ApiOperation({ summary: 'Play a voice recording’s media file (ops path)' })
  async opsVoice(
    @CurrentPrincipal() principal: Principal,
    @Param('ccid') ccid: string,
    @Param('id') id: string,
    @Param('file') file: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendMedia(req, res, await this.playback.voice(opsContext(req, principal, ccid), id, file));
  }

  @Get('screen-recordings/:id/play/:mediaId')
  @ApiOperation({ summary: 'Play a screen recording’s media file, decrypted (Range supported)' })
  @ApiQuery({ name: 'ccid', required: false, description: 'ops account only: the contact center' })
  async screen(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('mediaId') mediaId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendMedia(req, res, await this.playback.screen(principal, id, mediaId, req.ip, opsCcidOf(principal, query)));
  }
}
