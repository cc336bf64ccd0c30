import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

/** A device of a contact center session. */
export class DeviceDto {
  @ApiProperty({ example: '7001' })
  @IsString()
  @Matches(/^\S{1,64}$/, { message: 'a DN without spaces' })
  dn!: string;

  @ApiPropertyOptional({ example: 'SIP_Switch' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  switch?: string;
}

/** `POST /api/v2/me`: start or end the agent's contact center session (GWS names). */
export class MeOperationDto {
  @ApiProperty({ enum: ['StartContactCenterSession', 'EndContactCenterSession'] })
  @IsIn(['StartContactCenterSession', 'EndContactCenterSession'])
  operationName!: 'StartContactCenterSession' | 'EndContactCenterSession';

  @ApiPropertyOptional({ example: 'Place_7001', description: 'a place of the agent’s contact center; alone, its DNs are the session’s devices' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  place?: string;

  @ApiPropertyOptional({ type: [String], example: ['voice'], description: 'GWS media channels; accepted, RWS follows voice only' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  channels?: string[];

  @ApiPropertyOptional({ type: [DeviceDto], description: 'DNs of the agent’s contact center (of the place, when one is named); a DN in another agent’s session → 409' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => DeviceDto)
  devices?: DeviceDto[];
}

/** `POST …/calls/{id}`: a recording operation on a call. */
export class CallOperationDto {
  @ApiProperty({ enum: ['StartCallRecording', 'StopCallRecording', 'PauseCallRecording', 'ResumeCallRecording'] })
  @IsIn(['StartCallRecording', 'StopCallRecording', 'PauseCallRecording', 'ResumeCallRecording'])
  operationName!: 'StartCallRecording' | 'StopCallRecording' | 'PauseCallRecording' | 'ResumeCallRecording';
}
