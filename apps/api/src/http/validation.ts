import { ParseUUIDPipe, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiError, type FieldProblem } from './api-error';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Whitelist validation: unknown fields are refused, not silently dropped; every problem is listed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ApiError.validation(flatten(errors)),
  });
}

/** Path ids are UUIDs; anything else is a 400 naming the parameter, never a database error. */
export function uuidParam(name = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      ApiError.validation([{ field: name, problems: [`${name} must be a UUID`] }]),
  });
}
