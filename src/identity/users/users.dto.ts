import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PERMISSIONS, ROLES, type Permission, type RecordingWhen, type Role } from '../principal';
import type { UserKind } from './user';

/** Letters, digits and `._@+-`: no `:` (Basic auth splits on it) and no `/` (it is a path segment). */
export const USER_NAME_PATTERN = /^[A-Za-z0-9._@+-]{1,128}$/;
const GROUP_PATTERN = /^\/[^\s]{0,511}$/;

/** Attributes shared by create and replace. */
export class UserAttributesDto {
  @ApiPropertyOptional({ enum: ['user', 'service'], default: 'user', description: '`service`: a machine account (Recording Processor, crypto service) that sees its whole contact center' })
  @IsOptional()
  @IsIn(['user', 'service'])
  kind?: UserKind;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ example: 'agent007' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  agentId?: string;

  @ApiPropertyOptional({ example: '/EMEA/Sales/Team1/agent007' })
  @IsOptional()
  @IsString()
  @Matches(GROUP_PATTERN, { message: 'agentHierarchy is a path like /Region/Team/Agent' })
  agentHierarchy?: string;

  @ApiPropertyOptional({ type: [String], example: ['/EMEA/Sales', '/sales'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(GROUP_PATTERN, { each: true, message: 'each access group is a path like /Region/Team or /' })
  accessGroups?: string[];

  @ApiPropertyOptional({ enum: PERMISSIONS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(PERMISSIONS, { each: true })
  permissions?: Permission[];

  @ApiPropertyOptional({ enum: ['voice', 'off'], default: 'voice' })
  @IsOptional()
  @IsIn(['voice', 'off'])
  recordingWhen?: RecordingWhen;
}

/** Body of `POST /api/v2/ops/contact-centers/{ccid}/users`. */
export class CreateUserDto extends UserAttributesDto {
  @ApiProperty({ example: 'alice', pattern: USER_NAME_PATTERN.source })
  @IsString()
  @Matches(USER_NAME_PATTERN, { message: 'userName is 1–128 letters, digits or ._@+-' })
  userName!: string;

  @ApiProperty({ format: 'password', minLength: 8, maxLength: 1024 })
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password!: string;
}

/** Body of `PUT …/users/{userName}`: replaces every attribute; the password only when given. */
export class ReplaceUserDto extends UserAttributesDto {
  @ApiPropertyOptional({ format: 'password', minLength: 8, maxLength: 1024, description: 'a new password ends every token and session of the user' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password?: string;
}

/** A user as the API shows it (never the password hash). */
export class UserView {
  @ApiProperty() userName!: string;
  @ApiProperty({ format: 'uuid' }) ccid!: string;
  @ApiProperty({ enum: ['user', 'service'] }) kind!: UserKind;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiPropertyOptional() agentId?: string;
  @ApiPropertyOptional() agentHierarchy?: string;
  @ApiProperty({ type: [String] }) accessGroups!: string[];
  @ApiProperty({ enum: PERMISSIONS, isArray: true }) permissions!: Permission[];
  @ApiProperty({ enum: ['voice', 'off'] }) recordingWhen!: RecordingWhen;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

/** `{"statusCode":0,"user":{…}}` */
export class UserResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: UserView }) user!: UserView;
}

/** `{"statusCode":0,"users":[…]}` */
export class UserListResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: [UserView] }) users!: UserView[];
}
