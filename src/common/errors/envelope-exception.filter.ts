import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ERROR_RENDERING, ErrorCode, INTERNAL_ERROR_MESSAGE } from './error-code';
import { MAX_JSON_DEPTH } from '../http/json-depth';
import { translateDiskError } from './disk-errors';
import { RwsException } from './rws.exception';

/** The JSON body of every error answer. */
export interface ErrorEnvelope {
  statusCode: number;
  statusMessage: string;
}

/**
 * Renders every error of the HTTP API as the RWS envelope `{statusCode, statusMessage}`.
 * Unknown errors become a 500 with a fixed message; their details go to the log only.
 */
@Catch()
export class EnvelopeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { code, message, headers } = this.classify(exception, request);
    const rendering = ERROR_RENDERING[code];
    const logDetail = exception instanceof RwsException ? exception.options.logDetail : undefined;
    if (logDetail && rendering.httpStatus < 500) {
      this.logger.debug({ msg: 'request refused', method: request.method, path: request.path, status: rendering.httpStatus, ...logDetail });
    }
    if (rendering.httpStatus >= 500) {
      this.logger.error({
        msg: 'request failed',
        method: request.method,
        path: request.path,
        status: rendering.httpStatus,
        error: describe(exception),
      });
    }
    if (response.headersSent) {
      // A stream failed after its headers went out: all we can do is cut the connection.
      response.destroy();
      return;
    }
    for (const [name, value] of Object.entries(headers)) {
      if (name === 'WWW-Authenticate' && scriptedBrowserRequest(request)) continue;
      response.setHeader(name, value);
    }
    const body: ErrorEnvelope = { statusCode: rendering.statusCode, statusMessage: message };
    response.status(rendering.httpStatus).json(body);
  }

  private classify(raw: unknown, request: Request): { code: ErrorCode; message: string; headers: Record<string, string> } {
    // A full or failing local disk met anywhere (staging, temporary files) is 507/503, never 500.
    const exception = translateDiskError(raw, 'local disk');
    if (exception instanceof RwsException) {
      const headers = { ...(exception.options.headers ?? {}) };
      if (exception.options.retryAfterSeconds !== undefined) headers['Retry-After'] = String(exception.options.retryAfterSeconds);
      const message = exception.code === ErrorCode.Internal ? INTERNAL_ERROR_MESSAGE : exception.message;
      return { code: exception.code, message, headers };
    }
    if (exception instanceof HttpException) {
      return { code: codeForHttpStatus(exception.getStatus()), message: messageOf(exception, request), headers: {} };
    }
    const status = (exception as { status?: unknown; type?: unknown })?.status;
    // body-parser errors (malformed JSON, too large) arrive as plain errors with a status.
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.parse.failed'
          ? 'Request body is not valid JSON.'
          : type === 'entity.too.large'
            ? 'Request body is too large.'
            : type === 'entity.too.deep'
              ? `Request body is nested too deeply (at most ${MAX_JSON_DEPTH} levels).`
              : type === 'encoding.invalid.utf8'
                ? 'Request body is not valid UTF-8.'
                : 'Request is invalid.';
      return { code: codeForHttpStatus(status), message, headers: {} };
    }
    return { code: ErrorCode.Internal, message: INTERNAL_ERROR_MESSAGE, headers: {} };
  }
}

function codeForHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return ErrorCode.Unauthenticated;
    case 403:
      return ErrorCode.InsufficientRoles;
    case 404:
      return ErrorCode.NotFound;
    case 409:
      return ErrorCode.Conflict;
    case 412:
      return ErrorCode.PreconditionFailed;
    case 413:
      return ErrorCode.PayloadTooLarge;
    case 416:
      return ErrorCode.RangeNotSatisfiable;
    case 429:
      return ErrorCode.TooManyRequests;
    case 503:
      return ErrorCode.DependencyUnavailable;
    case 504:
      return ErrorCode.DependencyTimeout;
    default:
      return status >= 400 && status < 500 ? ErrorCode.InvalidParameter : ErrorCode.Internal;
  }
}

function messageOf(exception: HttpException, request: Request): string {
  if (exception.getStatus() === 404) return `Resource [${request.method} ${request.path}] cannot be found.`;
  if (exception.getStatus() >= 500) return INTERNAL_ERROR_MESSAGE;
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function describe(exception: unknown): Record<string, unknown> {
  if (exception instanceof Error) {
    return { name: exception.name, message: exception.message, stack: exception.stack };
  }
  return { value: String(exception) };
}

/**
 * A page's own script (the console) marks its requests `X-Requested-With: XMLHttpRequest`; a challenge in
 * the answer to those would make the browser pop up its own password dialog over the page's sign-in form.
 */
function scriptedBrowserRequest(request: Request): boolean {
  return request.header('X-Requested-With') === 'XMLHttpRequest';
}
