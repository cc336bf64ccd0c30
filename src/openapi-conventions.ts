import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_RENDERING, ErrorCode } from './common/errors/error-code';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
const ENVELOPE_REF = { $ref: '#/components/schemas/ErrorEnvelope' };

/** The error answers one operation may give, by what it takes: the envelope is the same for all (api.md §1). */
const ERRORS: { code: ErrorCode; name: string; description: string; applies: (op: OperationFacts) => boolean }[] = [
  { code: ErrorCode.InvalidParameter, name: 'InvalidParameter', description: 'Invalid parameter or body (statusCode 2)', applies: (op) => op.takesInput },
  { code: ErrorCode.Unauthenticated, name: 'Unauthenticated', description: 'Missing or invalid credentials (a Basic challenge for Basic clients)', applies: (op) => op.secured },
  { code: ErrorCode.InsufficientPermissions, name: 'Forbidden', description: 'Insufficient recording permissions (statusCode 3), insufficient roles (5), a feature not enabled, or a missing CSRF token', applies: (op) => op.secured },
  { code: ErrorCode.NotFound, name: 'NotFound', description: 'Not found, or not visible to the caller (statusCode 6)', applies: (op) => op.hasPathParameters },
  { code: ErrorCode.Internal, name: 'InternalError', description: 'Internal server error - please contact administrator. (statusCode 4)', applies: () => true },
  { code: ErrorCode.DependencyUnavailable, name: 'Unavailable', description: 'A dependency (metadata store, storage, SIP Server, crypto service) is unavailable: retry after `Retry-After` seconds (statusCode 9)', applies: () => true },
];

interface OperationFacts {
  secured: boolean;
  takesInput: boolean;
  hasPathParameters: boolean;
}

/**
 * What the decorators leave out and is the same for every operation, added to the generated document:
 * the error envelope on every operation, the public operations' empty security, a schema for every
 * parameter (all are strings on the wire), a response body for 200s that have none (media, Prometheus
 * text, or the RWS envelope), the server and the licence. A validator (`redocly lint`) runs on the result.
 */
export function applyApiConventions(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {}) as Json;
  const schemas = ((components.schemas as Json | undefined) ?? (components.schemas = {})) as Json;
  schemas.ErrorEnvelope = {
    type: 'object',
    description: 'Every error answer (api.md §1); never a stack trace',
    required: ['statusCode', 'statusMessage'],
    properties: {
      statusCode: { type: 'integer', description: '2 invalid parameter, 3 permissions, 4 internal, 5 roles, 6 not found, 7 conflict, 8 too large, 9 unavailable', example: 6 },
      statusMessage: { type: 'string', example: 'Requested recording [01I6E87G24A6B45KKSC362LAES000781] cannot be found.' },
    },
  };
  schemas.RwsEnvelope = {
    type: 'object',
    description: 'The RWS success envelope; the operation adds its own fields',
    required: ['statusCode'],
    properties: { statusCode: { type: 'integer', enum: [0] } },
    additionalProperties: true,
  };
  const responses = ((components.responses as Json | undefined) ?? (components.responses = {})) as Json;
  for (const error of ERRORS) {
    responses[error.name] = { description: error.description, content: { 'application/json': { schema: ENVELOPE_REF } } };
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (op) completeOperation(path, method, op);
    }
  }
  return document;
}

function completeOperation(path: string, method: string, op: Json): void {
  // Operations without a security decorator are the public ones (health, metrics, token refresh, tus discovery).
  op.security ??= [];
  const parameters = (op.parameters as Json[] | undefined) ?? [];
  for (const parameter of parameters) {
    const schema = parameter.schema as Json | undefined;
    if (!schema || Object.keys(schema).length === 0) parameter.schema = { type: 'string' };
  }
  const facts: OperationFacts = {
    secured: (op.security as unknown[]).length > 0,
    takesInput: parameters.some((p) => p.in === 'query' || p.in === 'path' || p.in === 'header') || op.requestBody !== undefined,
    hasPathParameters: path.includes('{'),
  };
  const answers = (op.responses ??= {}) as Json;
  for (const [status, response] of Object.entries(answers)) {
    if (/^2/.test(status) && status !== '204' && method !== 'head' && !(response as Json).content) (response as Json).content = successContent(path);
  }
  for (const error of ERRORS) {
    const status = String(ERROR_RENDERING[error.code].httpStatus);
    if (error.applies(facts) && answers[status] === undefined) answers[status] = { $ref: `#/components/responses/${error.name}` };
  }
}

/** The body of a success answer whose decorators name none. */
function successContent(path: string): Json {
  if (path === '/metrics') return { 'text/plain': { schema: { type: 'string', description: 'Prometheus text exposition format' } } };
  if (/\/(play|content)\/|\/releases\/\{version\}\/\{platform\}$/.test(path)) {
    return { 'application/octet-stream': { schema: { type: 'string', format: 'binary', description: 'Media bytes (HTTP Range supported); the Content-Type names the media type' } } };
  }
  return { 'application/json': { schema: { $ref: '#/components/schemas/RwsEnvelope' } } };
}
