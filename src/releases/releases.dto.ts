import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A release as recorders see it (api.md §7). */
export class ReleaseView {
  @ApiProperty({ example: '1.4.2' }) version!: string;
  @ApiProperty({ example: 'windows-x64' }) platform!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ description: 'hex SHA-256 of the file' }) sha256!: string;
  @ApiProperty({ description: 'absolute download URL (supports Range)' }) url!: string;
  @ApiPropertyOptional({ description: 'base64 Ed25519 signature over the SHA-256 digest' }) signature?: string;
}

/** `{"statusCode":0,"release":{…}}` after publishing. */
export class PublishedReleaseResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: ReleaseView }) release!: ReleaseView;
}
