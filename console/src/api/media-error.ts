import { request } from './client';

/**
 * Why a media element could not play `src`: the API's own message (e.g. `decrypt` missing), asked for with a
 * one-byte Range request, since a media element reports only "format error" whatever the server said.
 */
export async function mediaFailure(src: string): Promise<string> {
  try {
    await request('GET', src, { headers: { Range: 'bytes=0-0' } });
    return 'The browser cannot play this media.';
  } catch (error) {
    return (error as Error).message;
  }
}
