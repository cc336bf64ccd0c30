import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested } from 'class-validator';

/** One media file a muxer (or another service) already wrote to RWS's recording storage. */
export class CreateScreenMediaDto {
  @ApiProperty({ example: 'muxed-7001.mp4' }) @IsString() @Matches(/^[A-Za-z0-9._-]{1,200}$/) mediaId!: string;
  @ApiProperty({ example: 'video/mp4' }) @IsString() @Matches(/^[a-z]+\/[A-Za-z0-9.+-]{1,64}$/) type!: string;
  @ApiProperty() @IsInt() @Min(1) size!: number;
  @ApiPropertyOptional() @IsOptional() @Min(0) duration?: number;
  @ApiProperty() @IsISO8601() startTime!: string;
  @ApiProperty() @IsISO8601() stopTime!: string;
  @ApiProperty({ description: 'storage key, or an absolute URL under the node’s WebDAV recording storage' }) @IsString() @MaxLength(2000) path!: string;
  @ApiPropertyOptional({ description: 'hex SHA-256 of the plaintext' }) @IsOptional() @Matches(/^[0-9a-f]{64}$/) sha256?: string;
  @ApiPropertyOptional({ description: 'CMS envelope (PEM) when the file is encrypted' }) @IsOptional() @IsString() @MaxLength(65536) pkcs7?: string;
  @ApiPropertyOptional({ description: 'per-chunk integrity record written with the encryption' }) @IsOptional() @IsObject() integrity?: Record<string, unknown>;
}

/** Body of `POST /internal-api/contact-centers/{ccid}/screen-recordings`. */
export class CreateScreenRecordingDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() id?: string;
  @ApiProperty() @IsString() @Matches(/^\S{1,64}$/) callUuid!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) connId?: string;
  @ApiProperty() @IsString() @MaxLength(255) userName!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) agentId?: string;
  @ApiProperty() @IsISO8601() startTime!: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() stopTime?: string;
  @ApiProperty({ type: [CreateScreenMediaDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => CreateScreenMediaDto)
  mediaFiles!: CreateScreenMediaDto[];
}
