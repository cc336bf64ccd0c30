import type { Request } from 'express';
import { baseUrlOf } from '../common/http/base-url';
import type { RecordingSearchResponse } from './recordings.dto';
import type { SearchResult } from './recordings.service';

/** The search envelope; `links.next` repeats the request's query with the next page's token. */
export function searchResponse(req: Request, result: SearchResult): RecordingSearchResponse {
  const response: RecordingSearchResponse = { statusCode: 0, recordings: result.recordings, links: {} };
  if (result.nextPageToken) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(req.query)) {
      if (name !== 'pageToken' && typeof value === 'string') query.set(name, value);
    }
    query.set('pageToken', result.nextPageToken);
    response.nextPageToken = result.nextPageToken;
    response.links.next = `${baseUrlOf(req)}${req.path}?${query.toString()}`;
  }
  return response;
}
