import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Body of `POST /api/v2/auth/token` when credentials are not sent as Basic. */
export class TokenRequestDto {
  @ApiPropertyOptional({ example: 'alice' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  userName?: string;

  /** Accepted as an alias of userName (OAuth password-grant clients send `username`). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  username?: string;

  @ApiPropertyOptional({ format: 'password' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ enum: ['password'] })
  @IsOptional()
  @IsIn(['password'])
  grant_type?: string;
}

/** Body of `POST /api/v2/auth/refresh`. */
export class RefreshRequestDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refresh_token!: string;
}

/** Body of `POST /api/v2/auth/logout` (optional: a refresh token of the same user to revoke too). */
export class LogoutRequestDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  refresh_token?: string;
}

/** `{statusCode, access_token, token_type, expires_in, refresh_token}` */
export class TokenPairResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty() access_token!: string;
  @ApiProperty({ example: 'Bearer' }) token_type!: string;
  @ApiProperty({ example: 900, description: 'seconds' }) expires_in!: number;
  @ApiProperty() refresh_token!: string;
}

/** Answer of logout. */
export class LogoutResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ description: 'login sessions revoked' }) revokedSessions!: number;
}
