import type { FieldError } from '../http/discordErrors.ts';
import type { JsonObject } from '../state/model.ts';

export type Path = (string | number)[];

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function checkString(
  errors: FieldError[],
  path: Path,
  value: unknown,
  limits: { min?: number; max: number; required?: boolean },
): void {
  if (value === undefined || value === null) {
    if (limits.required) errors.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  if (typeof value !== 'string') {
    errors.push({ path, code: 'STRING_TYPE_CONVERT', message: 'Must be a string.' });
    return;
  }
  const min = limits.min ?? 0;
  if (value.length < min || value.length > limits.max) {
    errors.push({
      path,
      code: 'BASE_TYPE_BAD_LENGTH',
      message: `Must be between ${min} and ${limits.max} in length.`,
    });
  }
}

export function checkMaxItems(errors: FieldError[], path: Path, value: unknown, max: number, min = 0): void {
  const length = asArray(value).length;
  if (length > max) errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  if (length < min) errors.push({ path, code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${min} or more in length.` });
}

export function checkIntegerRange(errors: FieldError[], path: Path, value: unknown, min: number, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    errors.push({ path, code: 'NUMBER_TYPE_COERCE', message: `Value "${String(value)}" is not int.` });
    return;
  }
  if (value < min) errors.push({ path, code: 'NUMBER_TYPE_MIN', message: `Must be greater than or equal to ${min}.` });
  if (value > max) errors.push({ path, code: 'NUMBER_TYPE_MAX', message: `Must be less than or equal to ${max}.` });
}
