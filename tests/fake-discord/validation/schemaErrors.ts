import type { FieldError } from '../http/discordErrors.ts';
import type { Path } from './fieldChecks.ts';

/** The parts of a Zod issue this module reads (Zod's own issue type is a union too wide to narrow usefully here). */
interface Issue {
  code: string;
  path: PropertyKey[];
  input?: unknown;
  expected?: string;
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  values?: unknown[];
  keys?: string[];
  errors?: Issue[][];
}

const TYPE_ERRORS: Record<string, { code: string; message: string }> = {
  string: { code: 'STRING_TYPE_CONVERT', message: 'Must be a string.' },
  number: { code: 'NUMBER_TYPE_COERCE', message: 'Must be a number.' },
  int: { code: 'NUMBER_TYPE_COERCE', message: 'Must be an integer.' },
  boolean: { code: 'BOOLEAN_TYPE_CONVERT', message: 'Must be either true or false.' },
  array: { code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' },
  object: { code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' },
};

function isTypeMismatch(issue: Issue): boolean {
  return issue.code === 'invalid_value' && issue.path.length === 1 && issue.path[0] === 'type';
}

/**
 * A body fails a union of component or option kinds when no kind fits. Like Discord, report the errors of the kind
 * whose `type` the body names; when it names none, say which types are allowed.
 */
function unionErrors(issue: Issue, path: Path): FieldError[] {
  const branches = issue.errors ?? [];
  const named = branches.find((branch) => branch.length > 0 && !branch.some(isTypeMismatch));
  if (named) return named.flatMap((inner) => toFieldErrors(inner, path));
  const types = branches
    .flatMap((branch) => branch.filter(isTypeMismatch).flatMap((inner) => inner.values ?? []))
    .sort((a, b) => Number(a) - Number(b));
  if (types.length === 0)
    return [{ path, code: 'UNION_TYPE_CHOICES', message: 'Value matches none of the allowed shapes.' }];
  return [
    {
      path: [...path, 'type'],
      code: 'UNION_TYPE_CHOICES',
      message: `Value of field "type" must be one of (${types.join(', ')}).`,
    },
  ];
}

function sizeError(issue: Issue, path: Path, bound: 'max' | 'min'): FieldError {
  const limit = String(bound === 'max' ? issue.maximum : issue.minimum);
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
    return bound === 'max'
      ? { path, code: 'NUMBER_TYPE_MAX', message: `Must be less than or equal to ${limit}.` }
      : { path, code: 'NUMBER_TYPE_MIN', message: `Must be greater than or equal to ${limit}.` };
  }
  // Discord names a string of the wrong length BASE_TYPE_BAD_LENGTH, a list of the wrong length by its bound.
  const code =
    issue.origin === 'string'
      ? 'BASE_TYPE_BAD_LENGTH'
      : bound === 'max'
        ? 'BASE_TYPE_MAX_LENGTH'
        : 'BASE_TYPE_MIN_LENGTH';
  return {
    path,
    code,
    message: bound === 'max' ? `Must be ${limit} or fewer in length.` : `Must be ${limit} or more in length.`,
  };
}

/** One Zod issue as the field errors Discord puts under `errors` in a 50035 Invalid Form Body answer. */
export function toFieldErrors(issue: Issue, prefix: Path = []): FieldError[] {
  const path: Path = [...prefix, ...issue.path.map((key) => (typeof key === 'number' ? key : String(key)))];
  switch (issue.code) {
    case 'invalid_union':
      return unionErrors(issue, path);
    case 'too_big':
      return [sizeError(issue, path, 'max')];
    case 'too_small':
      return [sizeError(issue, path, 'min')];
    case 'invalid_type':
      if (issue.input === undefined) return [{ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }];
      return [
        {
          path,
          ...(TYPE_ERRORS[issue.expected ?? ''] ?? {
            code: 'BASE_TYPE_INVALID',
            message: `Must be ${issue.expected ?? 'valid'}.`,
          }),
        },
      ];
    case 'invalid_value':
      return [
        {
          path,
          code: 'ENUM_TYPE_COERCE',
          message: `Value must be one of (${(issue.values ?? []).map((value) => JSON.stringify(value)).join(', ')}).`,
        },
      ];
    case 'invalid_format':
      return issue.format === 'url'
        ? [{ path, code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' }]
        : [{ path, code: 'NUMBER_TYPE_COERCE', message: 'Value is not snowflake.' }];
    case 'unrecognized_keys':
      return (issue.keys ?? []).map((key) => ({
        path: [...path, key],
        code: 'UNKNOWN_FIELD',
        message: 'This field is not part of the request body.',
      }));
    default:
      return [{ path, code: 'BASE_TYPE_INVALID', message: `Invalid value (${issue.code}).` }];
  }
}
