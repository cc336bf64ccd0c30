import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Equals, IsString } from 'class-validator';
import type { Request } from 'express';
import { ErrorCode } from '../../common/errors/error-code';
import { RwsException } from '../../common/errors/rws.exception';
import { AuditLog } from '../audit/audit-log.service';
import { CurrentPrincipal, OpsOnly } from '../auth.decorators';
import type { Principal } from '../principal';
import { SigningKeyRing } from './signing-key-ring';

/** Body of `POST /api/v2/ops/signing-keys`. */
export class RotateSigningKeyDto {
  @ApiProperty({ example: 'rotate' })
  @IsString()
  @Equals('rotate', { message: "operationName must be 'rotate'" })
  operationName!: string;
}

/** Body of `POST /api/v2/ops/signing-keys/{kid}`. */
export class RetireSigningKeyDto {
  @ApiProperty({ example: 'retire' })
  @IsString()
  @Equals('retire', { message: "operationName must be 'retire'" })
  operationName!: string;
}

/** A signing key as listed (never key material). */
export class SigningKeyView {
  @ApiProperty() kid!: string;
  @ApiProperty({ example: 'EdDSA' }) algorithm!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() retiredAt?: string;
  @ApiProperty({ enum: ['signing', 'verifying', 'expired', 'retired'] }) status!: string;
}

/** `{"statusCode":0,"keys":[…]}` */
export class SigningKeyListResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: [SigningKeyView] }) keys!: SigningKeyView[];
}

/** `{"statusCode":0,"key":{…}}` */
export class SigningKeyResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: SigningKeyView }) key!: SigningKeyView;
}

/** The kid names no signing key. */
export class SigningKeyNotFoundException extends RwsException {
  constructor(kid: string) {
    super(ErrorCode.NotFound, `Signing key [${kid}] cannot be found.`);
  }
}

/** Ops control of token signing keys: list, rotate now, retire (refuse a key's tokens at once). */
@ApiTags('identity')
@ApiBasicAuth()
@ApiBearerAuth()
@OpsOnly()
@Controller('api/v2/ops/signing-keys')
export class SigningKeysController {
  constructor(
    private readonly ring: SigningKeyRing,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Token signing keys and their state' })
  @ApiOkResponse({ type: SigningKeyListResponse })
  async list(): Promise<SigningKeyListResponse> {
    return { statusCode: 0, keys: await this.ring.list() };
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Start signing with a new key; tokens of older keys stay valid' })
  @ApiOkResponse({ type: SigningKeyResponse })
  async rotate(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Body() _body: RotateSigningKeyDto): Promise<SigningKeyResponse> {
    const key = await this.ring.rotate();
    await this.audit.record({ actor, action: 'signingKeyRotate', outcome: 'success', objectType: 'signingKey', objectId: key.kid, source: req.ip });
    return { statusCode: 0, key };
  }

  @Post(':kid')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire a key: every token it signed is refused from now on' })
  @ApiOkResponse({ type: SigningKeyResponse })
  async retire(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('kid') kid: string, @Body() _body: RetireSigningKeyDto): Promise<SigningKeyResponse> {
    if (!(await this.ring.retire(kid))) throw new SigningKeyNotFoundException(kid);
    await this.audit.record({ actor, action: 'signingKeyRetire', outcome: 'success', objectType: 'signingKey', objectId: kid, source: req.ip });
    const key = (await this.ring.list()).find((k) => k.kid === kid);
    if (!key) throw new SigningKeyNotFoundException(kid);
    return { statusCode: 0, key };
  }
}
