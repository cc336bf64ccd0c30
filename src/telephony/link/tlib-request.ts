import type { RequestName, TlibMessage } from '../tlib/tlib-messages';

/** A request to send; the link adds the ReferenceID. */
export type TlibRequest = { message: RequestName } & Omit<Partial<TlibMessage>, 'message' | 'ReferenceID'>;

/** How a request ended. Never an exception: callers map each kind to their own error. */
export type TlibResult =
  /** EventACK, EventRegistered, EventUnregistered or EventAddressInfo echoing the ReferenceID. */
  | { kind: 'ack'; event: TlibMessage }
  /** EventError echoing the ReferenceID: the server refused. */
  | { kind: 'error'; errorCode: number; errorMessage: string; event: TlibMessage }
  /** No answer within the timeout (a late answer is ignored). */
  | { kind: 'timeout'; timeoutMs: number }
  /** The link was down when sending, or went down before the answer. */
  | { kind: 'link-down' };

/** Something that sends requests over a link (the link itself, or a fake in unit specs). */
export interface TlibRequester {
  request(request: TlibRequest, timeoutMs?: number): Promise<TlibResult>;
  readonly isUp: boolean;
}
