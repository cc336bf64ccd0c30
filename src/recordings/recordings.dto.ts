import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiQuery } from '@nestjs/swagger';

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

const SEARCH_QUERY_DESCRIPTIONS: Record<string, string> = {
  callerPhoneNumber: 'alphanumerics compared; * matches any run (+1617*, *0431, *555*)',
  dialedPhoneNumber: 'alphanumerics compared; * matches any run',
  startTime: 'window start (ISO-8601): recordings still running then or later',
  endTime: 'window end (ISO-8601): recordings started then or earlier',
  agentId: 'recorded agent',
  userName: 'recorded user name',
  callType: 'e.g. Inbound',
  partition: 'e.g. /sales',
  label: 'label name',
  callUuid: 'CallUUID (the recording id, a media file callUUID, or one in the event history)',
  connId: 'T-Library ConnID',
  limit: 'page size, 1 to 1000 (default 100)',
  pageToken: 'nextPageToken of the previous page',
};

/** OpenAPI description of the search parameters (api.md §2); at least one filter is required. */
export function ApiRecordingSearchQuery(): MethodDecorator {
  return applyDecorators(...Object.entries(SEARCH_QUERY_DESCRIPTIONS).map(([name, description]) => ApiQuery({ name, required: false, description })));
}
