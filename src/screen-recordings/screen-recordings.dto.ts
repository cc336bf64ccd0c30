import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Where a registered file is, as GET shows it: the folder in `data.storagePath`, the file name in `path`. */
export class ScreenMediaDescriptorDto {
  @ApiProperty({ example: 'webDAV' }) storage!: string;
  @ApiProperty({ example: 'muxed-7001.mp4', description: 'the file in the folder (or an absolute URL)' }) path!: string;
  @ApiPropertyOptional({ example: { storagePath: 'http://webdav/recordings/cc/…/screen/…/' }, description: 'storagePath: the folder' }) data?: Record<string, unknown>;
}

/** One media file a muxer (or another service) already wrote to RWS's recording storage (documentation only; parsed by screen-recording-registration.ts). */
export class CreateScreenMediaDto {
  @ApiProperty({ example: 'muxed-7001.mp4' }) mediaId!: string;
  @ApiProperty({ example: 'video/mp4' }) type!: string;
  @ApiProperty({ oneOf: [{ type: 'string', example: '300012' }, { type: 'integer' }], description: 'bytes' }) size!: string | number;
  @ApiPropertyOptional({ oneOf: [{ type: 'string', example: '20' }, { type: 'number' }], description: 'seconds' }) duration?: string | number;
  @ApiProperty() startTime!: string;
  @ApiProperty() stopTime!: string;
  @ApiPropertyOptional({ type: ScreenMediaDescriptorDto, description: 'where the file is (originalMediaDescriptor is accepted too)' }) mediaDescriptor?: ScreenMediaDescriptorDto;
  @ApiPropertyOptional({ description: 'flat alternative to mediaDescriptor: a storage key, or an absolute URL under the node’s WebDAV recording storage' }) path?: string;
  @ApiPropertyOptional({ example: { region: 'region1', contact: { userName: 'alice' }, muxed_mediaIds: ['voice.mp3', 'screen.mp4'] }, description: 'kept as sent; muxed_mediaIds name the sources of a muxed file' })
  parameters?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'hex SHA-256 of the plaintext' }) sha256?: string;
  @ApiPropertyOptional({ description: 'CMS envelope (PEM) when the file is encrypted' }) pkcs7?: string;
  @ApiPropertyOptional({ description: 'per-chunk integrity record written with the encryption' }) integrity?: Record<string, unknown>;
}

/** Body of `POST /internal-api/contact-centers/{ccid}/screen-recordings`. */
export class CreateScreenRecordingDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'an existing recording: the media files are added to it' }) id?: string;
  @ApiPropertyOptional({ description: 'mandatory for a new recording (callUUID accepted too)' }) callUuid?: string;
  @ApiPropertyOptional() connId?: string;
  @ApiPropertyOptional({ description: 'for a new recording; else parameters.contact.userName of a media file' }) userName?: string;
  @ApiPropertyOptional() agentId?: string;
  @ApiPropertyOptional({ description: 'default: the earliest media startTime' }) startTime?: string;
  @ApiPropertyOptional({ description: 'default: the latest media stopTime' }) stopTime?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } }) eventHistory?: Record<string, unknown>[];
  @ApiProperty({ type: [CreateScreenMediaDto] }) mediaFiles!: CreateScreenMediaDto[];
}
