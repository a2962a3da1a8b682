import {
  type ArgumentMetadata,
  ParseUUIDPipe,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { ApiError, type FieldProblem } from './api-error';
import { unsafeTextProblems } from './input-hygiene';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Whitelist validation: unknown fields are refused, not silently dropped; every problem is listed.
 * Before the DTO's rules, text no field may hold (NUL, lone surrogates, `__proto__` keys) is
 * refused wherever it is, in the body, the query or a path parameter, DTO or not: PostgreSQL would
 * refuse it later as a 500, or store it mangled.
 */
class TrialfleetValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problems = unsafeTextProblems(value, metadata.type === 'param' ? metadata.data : '');
      if (problems.length > 0) throw ApiError.validation(problems);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new TrialfleetValidationPipe({
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
