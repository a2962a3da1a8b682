import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * A field the client may leave out: when it is absent its rules are skipped. Unlike
 * class-validator's `@IsOptional()`, `null` is not absence: it is checked like any value, and so
 * refused by the field's type rule, instead of reaching a service that expects a value or nothing.
 * A field where `null` means something (clear it) says so with `@IsOptional()` and `nullable`.
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}
