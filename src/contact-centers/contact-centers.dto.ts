import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const FEATURE_URI = /^\/api\/[A-Za-z0-9._-]{1,100}$/;
const FEATURE_URI_MESSAGE = 'each feature is a URI like /api/api-voice-recording';

/** Body of `POST /api/v2/ops/contact-centers`. */
export class CreateContactCenterDto {
  @ApiPropertyOptional({ description: 'Display name', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: [String], description: 'Feature URIs enabled from the start (as `POST …/{ccid}/features` would)', example: ['/api/api-voice-recording', '/api/api-supervisor-recording'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(FEATURE_URI, { each: true, message: FEATURE_URI_MESSAGE })
  features?: string[];
}

/** Body of `POST …/{ccid}/features`. */
export class EnableFeaturesDto {
  @ApiProperty({ type: [String], example: ['/api/api-voice-recording', '/api/api-supervisor-recording'] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(FEATURE_URI, { each: true, message: FEATURE_URI_MESSAGE })
  uris!: string[];
}

/** `{"statusCode":0,"uris":[…]}` */
export class UriListResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: [String] }) uris!: string[];
}

/** One contact center as the ops API shows it. */
export class ContactCenterView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: [String] }) features!: string[];
}

/** `{"statusCode":0,"contactCenter":{…}}` */
export class ContactCenterResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: ContactCenterView }) contactCenter!: ContactCenterView;
  @ApiProperty() uri!: string;
}

/** The RWS envelope with no payload. */
export class OkResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
}
