import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidParameterException } from '../errors/rws.exception';

/**
 * Validates DTOs (class-validator) and reports the first problem the RWS way:
 * `Parameter 'mediaFiles[0].mediaId' is invalid: …`.
 */
export function envelopeValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const { path, reason } = firstProblem(errors);
      return new InvalidParameterException(path, reason);
    },
  });
}

function firstProblem(errors: ValidationError[], prefix = ''): { path: string; reason: string } {
  const error = errors[0];
  const path = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
  if (error.constraints && Object.keys(error.constraints).length > 0) {
    return { path, reason: Object.values(error.constraints)[0] };
  }
  if (error.children && error.children.length > 0) return firstProblem(error.children, path);
  return { path, reason: 'invalid value' };
}
