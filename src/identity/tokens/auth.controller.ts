import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Public } from '../auth.decorators';
import { parseBasicAuthorization } from '../basic-credentials';
import { clearedSessionCookie, readCookie, SESSION_COOKIE } from '../csrf/cookies';
import { UnauthenticatedException } from '../identity.exception';
import type { Principal } from '../principal';
import { LogoutRequestDto, LogoutResponse, RefreshRequestDto, TokenPairResponse, TokenRequestDto } from './auth.dto';
import { TokenService } from './token.service';

/** Tokens: sign in, refresh, log out (api.md §3). */
@ApiTags('identity')
@Controller('api/v2/auth')
export class AuthController {
  constructor(private readonly tokens: TokenService) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiBasicAuth()
  @ApiOperation({ summary: 'Access + refresh token for Basic or JSON credentials' })
  @ApiOkResponse({ type: TokenPairResponse })
  token(@Req() req: Request, @Body() body: TokenRequestDto): Promise<TokenPairResponse> {
    const basic = parseBasicAuthorization(req.headers.authorization);
    const userName = basic?.userName ?? body?.userName ?? body?.username;
    const password = basic?.password ?? body?.password;
    if (!userName || password === undefined) throw new UnauthenticatedException('Credentials required (Basic, or userName and password).');
    return this.tokens.login(userName, password, req.ip ?? 'unknown');
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair (the presented one is used up)' })
  @ApiOkResponse({ type: TokenPairResponse })
  refresh(@Req() req: Request, @Body() body: RefreshRequestDto): Promise<TokenPairResponse> {
    return this.tokens.refresh(body.refresh_token, req.ip ?? 'unknown');
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Revoke the caller's login session (tokens, cookie, refresh tokens)" })
  @ApiOkResponse({ type: LogoutResponse })
  async logout(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: LogoutRequestDto,
  ): Promise<LogoutResponse> {
    const revoked = await this.tokens.logout(principal, readCookie(req.headers.cookie, SESSION_COOKIE), body?.refresh_token, req.ip ?? 'unknown');
    res.append('Set-Cookie', clearedSessionCookie(req.secure));
    return { statusCode: 0, revokedSessions: revoked };
  }
}
