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

export const SESSION_OPERATIONS = ['StartContactCenterSession', 'EndContactCenterSession'] as const;
export const AGENT_STATE_OPERATIONS = ['Ready', 'NotReady'] as const;
export type AgentStateOperation = (typeof AGENT_STATE_OPERATIONS)[number];
/** Work modes a NotReady may name (T-Library AgentWorkMode). */
export const NOT_READY_WORK_MODES = ['AfterCallWork', 'AuxWork', 'WalkAway', 'NoCallDisconnect'] as const;

/** `POST /api/v2/me`: start or end the agent's contact center session, or change the agent's state (GWS names). */
export class MeOperationDto {
  @ApiProperty({ enum: [...SESSION_OPERATIONS, ...AGENT_STATE_OPERATIONS] })
  @IsIn([...SESSION_OPERATIONS, ...AGENT_STATE_OPERATIONS])
  operationName!: (typeof SESSION_OPERATIONS)[number] | AgentStateOperation;

  @ApiPropertyOptional({ description: 'NotReady: the reason code (T-Library Reasons `ReasonCode`)', example: 'Lunch' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w .:-]{1,64}$/, { message: 'a reason code of at most 64 letters, digits, spaces or . : _ -' })
  reasonCode?: string;

  @ApiPropertyOptional({ description: 'NotReady: the work mode (T-Library AgentWorkMode)', enum: NOT_READY_WORK_MODES })
  @IsOptional()
  @IsIn(NOT_READY_WORK_MODES)
  workMode?: (typeof NOT_READY_WORK_MODES)[number];

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
