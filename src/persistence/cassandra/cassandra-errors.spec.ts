import { errors, types } from 'cassandra-driver';
import { DependencyUnavailableException } from '../../common/errors/rws.exception';
import { translateDriverError } from './cassandra-errors';

/** The driver throws a plain DriverError when a socket closes under a request (abstract only in its typings). */
const SocketClosedError = errors.DriverError as unknown as new (message: string) => Error;

describe('translateDriverError (Cassandra driver errors → API errors)', () => {
  const codes = types.responseErrorCodes;

  it.each([
    ['no host reachable', new errors.NoHostAvailableError({})],
    ['client-side timeout', new errors.OperationTimedOutError('timed out', '127.0.0.1:9042')],
    ['busy connection', new errors.BusyConnectionError('127.0.0.1:9042', 2048, 1)],
    ['connection dropped mid-request', new SocketClosedError('Socket was closed')],
    ['authentication refused', new errors.AuthenticationError('bad credentials')],
    ['server unavailable', new errors.ResponseError(codes.unavailableException, 'Cannot achieve consistency level')],
    ['server overloaded', new errors.ResponseError(codes.overloaded, 'overloaded')],
    ['server read timeout', new errors.ResponseError(codes.readTimeout, 'read timeout')],
    ['server write timeout (also an LWT of unknown outcome)', new errors.ResponseError(codes.writeTimeout, 'write timeout')],
    ['node bootstrapping', new errors.ResponseError(codes.isBootstrapping, 'bootstrapping')],
  ])('%s → 503 DependencyUnavailable keeping the cause', (_name, driverError) => {
    const translated = translateDriverError(driverError);
    expect(translated).toBeInstanceOf(DependencyUnavailableException);
    expect((translated as DependencyUnavailableException).options.retryAfterSeconds).toBeGreaterThan(0);
    expect(translated.cause).toBe(driverError);
  });

  it.each([
    ['invalid query', new errors.ResponseError(codes.invalid, 'Undefined column name')],
    ['syntax error', new errors.ResponseError(codes.syntaxError, 'line 1:0 no viable alternative')],
    ['server-side bug', new errors.ResponseError(codes.serverError, 'java.lang.NullPointerException')],
    ['bad argument', new errors.ArgumentError('Invalid value')],
    ['unsupported', new errors.NotSupportedError('not supported')],
    ['driver internal', new errors.DriverInternalError('unexpected')],
    ['value encoding', new TypeError('Not a valid uuid')],
  ])('%s → passed through as a bug (500)', (_name, error) => {
    expect(translateDriverError(error)).toBe(error);
  });
});
