import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, Matches } from 'class-validator';
import { USER_NAME_PATTERN } from '../identity/users/users.dto';

/** DN numbers and switch names: no spaces and no `/` (both are path segments). */
export const DN_PATTERN = /^[A-Za-z0-9._@+#*-]{1,64}$/;
export const SWITCH_PATTERN = /^[A-Za-z0-9._@+-]{1,64}$/;
/** Place names (GWS `Place_7001`): a path segment, unique per contact center. */
export const PLACE_NAME_PATTERN = /^[A-Za-z0-9._@+-]{1,128}$/;
/** Devices a session may name and DNs a place may group (the desktop's own limit). */
export const MAX_PLACE_DNS = 16;

/** Body of `POST /api/v2/ops/contact-centers/{ccid}/dns`. */
export class CreateDnDto {
  @ApiProperty({ example: '7001', pattern: DN_PATTERN.source })
  @IsString()
  @Matches(DN_PATTERN, { message: 'dn is 1–64 letters, digits or ._@+#*-' })
  dn!: string;

  @ApiPropertyOptional({ example: 'SIP_Switch', default: 'SIP_Switch', pattern: SWITCH_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(SWITCH_PATTERN, { message: 'switch is 1–64 letters, digits or ._@+-' })
  switch?: string;
}

/** Attributes of a place a `PUT` replaces. */
export class PlaceAttributesDto {
  @ApiPropertyOptional({ type: [String], example: ['7001'], description: 'DNs of this contact center; a DN is in at most one place' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PLACE_DNS)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(DN_PATTERN, { each: true, message: 'each DN is 1–64 letters, digits or ._@+#*-' })
  dns?: string[];

  @ApiPropertyOptional({ type: [String], example: ['alice'], description: 'user names allowed at this place; empty = every agent of the contact center' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(USER_NAME_PATTERN, { each: true, message: 'each agent is a user name' })
  agents?: string[];
}

/** Body of `POST /api/v2/ops/contact-centers/{ccid}/places`. */
export class CreatePlaceDto extends PlaceAttributesDto {
  @ApiProperty({ example: 'Place_7001', pattern: PLACE_NAME_PATTERN.source })
  @IsString()
  @Matches(PLACE_NAME_PATTERN, { message: 'name is 1–128 letters, digits or ._@+-' })
  name!: string;
}

export class DnView {
  @ApiProperty({ example: '7001' }) dn!: string;
  @ApiProperty({ example: 'SIP_Switch' }) switch!: string;
  @ApiProperty({ format: 'uuid' }) ccid!: string;
  @ApiProperty() createdAt!: string;
}

export class PlaceView {
  @ApiProperty({ example: 'Place_7001' }) name!: string;
  @ApiProperty({ format: 'uuid' }) ccid!: string;
  @ApiProperty({ type: [String] }) dns!: string[];
  @ApiProperty({ type: [String] }) agents!: string[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class DnResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: DnView }) dn!: DnView;
}

export class DnListResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: [DnView] }) dns!: DnView[];
}

export class PlaceResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: PlaceView }) place!: PlaceView;
}

export class PlaceListResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: [PlaceView] }) places!: PlaceView[];
}
