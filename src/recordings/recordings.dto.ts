import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The RWS envelope with no payload: `{"statusCode":0}`. */
export class RecordingOkResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
}

/** `{"statusCode":0,"recording":{…}}` */
export class RecordingResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The stored document plus mediaUri, mediaPath/playPath, mediaFileId, originalMediaDescriptor per media file, and screenRecordings' })
  recording!: Record<string, unknown>;
}

/** Links of a search page. */
export class SearchLinks {
  @ApiPropertyOptional() next?: string;
}

/** `{"statusCode":0,"recordings":[…],"nextPageToken":"…","links":{"next":"…"}}` */
export class RecordingSearchResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) recordings!: Record<string, unknown>[];
  @ApiPropertyOptional() nextPageToken?: string;
  @ApiProperty({ type: SearchLinks }) links!: SearchLinks;
}

/** Body of `POST /api/v2/recordings/{id}`. */
export class RecordingOperationBody {
  @ApiProperty({ enum: ['applyNonDelete', 'removeNonDelete', 'addLabel', 'removeLabel'] }) operationName!: string;
  @ApiPropertyOptional({ description: 'for addLabel/removeLabel' }) label?: string;
}

/** Body of `POST …/recording-label-definitions`. */
export class LabelDefinitionBody {
  @ApiProperty() name!: string;
  @ApiPropertyOptional() displayName?: string;
  @ApiPropertyOptional() description?: string;
}

/** Search parameters (api.md §2), for the OpenAPI document. */
export const SEARCH_QUERY_PARAMS = [
  'callerPhoneNumber',
  'dialedPhoneNumber',
  'startTime',
  'endTime',
  'agentId',
  'userName',
  'callType',
  'partition',
  'label',
  'callUuid',
  'connId',
  'limit',
  'pageToken',
] as const;
