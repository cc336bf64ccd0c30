import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Query of `GET …/audit-log`. */
export class AuditLogQueryDto {
  @ApiPropertyOptional({ description: 'inclusive start (ISO-8601); default: 24 h before `to`' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ description: 'exclusive end (ISO-8601); default: now' })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({ description: 'only entries of this actor (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  userName?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  pageToken?: string;
}

/** One audit entry as the API shows it. */
export class AuditEntryView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '2025-01-31T10:00:00.000+0000' }) at!: string;
  @ApiProperty({ format: 'uuid' }) ccid!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ enum: ['ops', 'service', 'user', 'anonymous'] }) actorKind!: string;
  @ApiProperty() action!: string;
  @ApiPropertyOptional() objectType?: string;
  @ApiPropertyOptional() objectId?: string;
  @ApiPropertyOptional() source?: string;
  @ApiProperty({ enum: ['success', 'denied', 'failed'] }) outcome!: string;
  @ApiPropertyOptional() detail?: string;
}

/** `{"statusCode":0,"entries":[…],"nextPageToken":"…"}` */
export class AuditLogResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: [AuditEntryView] }) entries!: AuditEntryView[];
  @ApiPropertyOptional() nextPageToken?: string;
}
