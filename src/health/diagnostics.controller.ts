import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../identity/auth.decorators';
import { CsrfProtection } from '../identity/csrf/csrf-protection';
import { version } from '../../package.json';

/** `{"statusCode":0,"version":"…"}` */
export class VersionResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ example: version }) version!: string;
}

/**
 * GWS's public diagnostics (compat.md §2): test clients of the Recording Processor call it first, without
 * credentials, and need a JSON body, a session cookie and the CSRF headers before they post anything.
 */
@ApiTags('operations')
@Public()
@Controller('api/v2/diagnostics')
export class DiagnosticsController {
  constructor(private readonly csrf: CsrfProtection) {}

  @Get('version')
  @ApiOperation({ summary: 'The service version; no credentials needed (answers X-CSRF-HEADER / X-CSRF-TOKEN and a JSESSIONID cookie)' })
  @ApiOkResponse({ type: VersionResponse })
  async version(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<VersionResponse> {
    await this.csrf.issueAnonymous(req, res);
    return { statusCode: 0, version };
  }
}
