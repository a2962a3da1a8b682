import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isBusinessDateString } from '@app/inventory';

/** A real calendar date written YYYY-MM-DD (Asia/Tokyo business date). */
export function IsBusinessDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isBusinessDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a date written YYYY-MM-DD`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isBusinessDateString(value),
      },
    });
  };
}
