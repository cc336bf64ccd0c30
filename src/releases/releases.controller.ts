import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { baseUrlOf } from '../common/http/base-url';
import { sendMedia } from '../common/http/media-response';
import { CurrentPrincipal, OpsOnly } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { Release } from './release';
import { PublishedReleaseResponse, ReleaseView } from './releases.dto';
import { ReleasesService } from './releases.service';

/** Screen-recorder client updates (api.md §7). */
@ApiTags('screen-recorder releases')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller('api/v2')
export class ReleasesController {
  constructor(private readonly releases: ReleasesService) {}

  @Post('ops/screen-recorder/releases')
  @OpsOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a build: the request body is the file (streamed)' })
  @ApiQuery({ name: 'version', example: '1.4.2' })
  @ApiQuery({ name: 'platform', example: 'windows-x64' })
  @ApiQuery({ name: 'channel', required: false, example: 'stable' })
  @ApiQuery({ name: 'rollout', required: false, description: 'percentage of agents offered the release (default 100)' })
  @ApiQuery({ name: 'fileName', required: false })
  @ApiOkResponse({ type: PublishedReleaseResponse })
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Query('version') version = '',
    @Query('platform') platform = '',
    @Query('channel') channel = 'stable',
    @Query('rollout') rollout = '100',
    @Query('fileName') fileName?: string,
  ): Promise<PublishedReleaseResponse> {
    const release = await this.releases.publish(
      { version, platform, channel, rolloutPercent: /^\d{1,3}$/.test(rollout) ? Number(rollout) : NaN, fileName: fileName ?? `rws-recorder-${version}-${platform}.bin` },
      req,
      principal.userName,
    );
    return { statusCode: 0, release: viewOf(req, release) };
  }

  @Get('screen-recorder/releases/latest')
  @ApiOperation({ summary: 'The build this recorder should run, or 204 when it is current' })
  @ApiQuery({ name: 'platform' })
  @ApiQuery({ name: 'current', required: false })
  @ApiQuery({ name: 'channel', required: false })
  @ApiOkResponse({ type: ReleaseView })
  @ApiNoContentResponse({ description: 'already current' })
  async latest(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('platform') platform = '',
    @Query('current') current?: string,
    @Query('channel') channel = 'stable',
  ): Promise<ReleaseView | undefined> {
    const release = await this.releases.latest(platform, channel, `${principal.ccid ?? ''}/${principal.userName}`, current);
    if (!release) {
      res.status(204);
      return undefined;
    }
    return viewOf(req, release);
  }

  @Get('screen-recorder/releases/:version/:platform')
  @ApiOperation({ summary: 'Download a build (HTTP Range supported)' })
  async download(@Param('version') version: string, @Param('platform') platform: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const release = await this.releases.require(platform, version);
    await sendMedia(req, res, {
      size: release.size,
      contentType: 'application/octet-stream',
      etag: release.sha256,
      fileName: release.fileName,
      open: async (range) => (await this.releases.open(release, range)).stream,
    });
  }
}

function viewOf(req: Request, release: Release): ReleaseView {
  return {
    version: release.version,
    platform: release.platform,
    size: release.size,
    sha256: release.sha256,
    url: `${baseUrlOf(req)}/api/v2/screen-recorder/releases/${release.version}/${release.platform}`,
    ...(release.signature ? { signature: release.signature } : {}),
  };
}
