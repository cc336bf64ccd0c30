/** An answer of the API that is not a success, carrying the API's own message (its envelope's statusMessage). */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly httpStatus: number,
    /** The envelope's statusCode (api-guide.md, Errors); undefined when the answer was not an envelope. */
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get unauthenticated(): boolean {
    return this.httpStatus === 401;
  }
}

/** What to show for any failure: the API's message when there is one. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
