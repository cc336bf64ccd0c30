import { errors, types } from 'cassandra-driver';
import { DependencyUnavailableException } from '../../common/errors/rws.exception';

/** Server answers that mean "cannot serve this now, retry": the client gets 503, not 500. */
const RETRYABLE_RESPONSE_CODES: number[] = [
  types.responseErrorCodes.unavailableException,
  types.responseErrorCodes.overloaded,
  types.responseErrorCodes.isBootstrapping,
  types.responseErrorCodes.truncateError,
  types.responseErrorCodes.readTimeout,
  types.responseErrorCodes.writeTimeout,
  types.responseErrorCodes.readFailure,
  types.responseErrorCodes.writeFailure,
];

/**
 * Errors that mean "Cassandra cannot serve now" become 503: no node reachable, client-side timeouts,
 * busy or dropped connections (e.g. a non-idempotent statement in flight when a node goes away),
 * authentication refused, and the retryable server answers. Invalid queries or values are bugs (500).
 */
export function translateDriverError(err: unknown): Error {
  if (err instanceof errors.ResponseError) {
    return RETRYABLE_RESPONSE_CODES.includes(err.code) ? new DependencyUnavailableException('Cassandra', err) : err;
  }
  const bug = err instanceof errors.ArgumentError || err instanceof errors.NotSupportedError || err instanceof errors.DriverInternalError;
  if (err instanceof errors.DriverError && !bug) {
    return new DependencyUnavailableException('Cassandra', err);
  }
  return err as Error;
}
