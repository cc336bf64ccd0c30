import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { PERMISSIONS, type Permission, type Principal } from '../../identity/principal';

/** Where a crypto service process answers unwrap requests of API nodes. */
export const UNWRAP_PATH = 'internal-api/crypto/unwrap';

/** The caller an API node authenticated, as far as the crypto service's authorisation and audit need it. */
export class ForwardedPrincipal {
  @IsIn(['ops', 'service', 'user']) kind!: Principal['kind'];
  @IsString() @MaxLength(256) userName!: string;
  @IsOptional() @IsUUID() ccid?: string;
  @IsArray() @IsIn(PERMISSIONS, { each: true }) permissions!: Permission[];
}

/** What the unwrap is for (audit). */
export class ForwardedContext {
  @IsOptional() @IsString() @MaxLength(1024) resource?: string;
  @IsOptional() @IsString() @MaxLength(128) clientAddress?: string;
}

/** Body of `POST /internal-api/crypto/unwrap`, sent with `Authorization: Bearer <RWS_CRYPTO_SERVICE_TOKEN>`. */
export class UnwrapRequest {
  @IsUUID() ccid!: string;
  @IsString() @MaxLength(1024 * 1024) pkcs7!: string;
  @ValidateNested() @Type(() => ForwardedPrincipal) principal!: ForwardedPrincipal;
  @IsOptional() @ValidateNested() @Type(() => ForwardedContext) context?: ForwardedContext;
}

/** Its answer: the file key, base64 (over TLS in production: the URL should be https). */
export interface UnwrapResponse {
  statusCode: 0;
  contentKey: string;
  iv: string;
  certificateId: string;
}

/** Rebuilds a Principal from what an API node forwarded. */
export function principalOf(forwarded: ForwardedPrincipal): Principal {
  return { kind: forwarded.kind, userName: forwarded.userName, ccid: forwarded.ccid, permissions: forwarded.permissions, roles: [], accessGroups: [] };
}
