import { ApplicationCommandType } from 'discord-api-types/v10';
import { invalidFormBody, type DiscordHttpError, type FieldError } from '../http/discordErrors.ts';
import { asArray, asObject, checkMaxItems, checkString, type Path } from './fieldChecks.ts';
import type { AutocompleteChoice, JsonObject } from '../state/model.ts';

export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

const NAME_PATTERN = /^[-_\p{L}\p{N}]{1,32}$/u;

function checkName(errors: FieldError[], path: Path, name: unknown): void {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name) || name !== name.toLowerCase()) {
    errors.push({ path, code: 'APPLICATION_COMMAND_INVALID_NAME', message: `Command name is invalid` });
  }
}

function validateOptions(errors: FieldError[], path: Path, options: unknown): void {
  checkMaxItems(errors, path, options, 25);
  const names = new Set<string>();
  let sawOptional = false;
  asArray(options).forEach((item, index) => {
    const option = asObject(item) ?? {};
    const at = [...path, index];
    checkName(errors, [...at, 'name'], option.name);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) {
        errors.push({
          path: [...at, 'name'],
          code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
          message: 'Option names must be unique',
        });
      }
      names.add(option.name);
    }
    checkString(errors, [...at, 'description'], option.description, { min: 1, max: 100, required: true });
    if (typeof option.type !== 'number' || option.type < 1 || option.type > 11) {
      errors.push({ path: [...at, 'type'], code: 'ENUM_TYPE_COERCE', message: 'Invalid option type' });
    }
    if (option.required === true && sawOptional) {
      errors.push({
        path: [...at, 'required'],
        code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        message: 'Required options must be placed before non-required options',
      });
    }
    if (option.required !== true) sawOptional = true;
    checkMaxItems(errors, [...at, 'choices'], option.choices, 25);
    asArray(option.choices).forEach((choice, choiceIndex) =>
      validateChoice(errors, [...at, 'choices', choiceIndex], choice),
    );
    if (option.autocomplete === true && asArray(option.choices).length > 0) {
      errors.push({
        path: [...at, 'autocomplete'],
        code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES',
        message: 'Autocomplete cannot be set with choices',
      });
    }
    if (option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup) {
      validateOptions(errors, [...at, 'options'], option.options);
    }
  });
}

function validateChoice(errors: FieldError[], path: Path, choice: unknown): void {
  const object = asObject(choice) ?? {};
  checkString(errors, [...path, 'name'], object.name, { min: 1, max: 100, required: true });
  if (typeof object.value === 'string') checkString(errors, [...path, 'value'], object.value, { max: 100 });
  else if (typeof object.value !== 'number') {
    errors.push({ path: [...path, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  }
}

export function validateCommandDefinition(errors: FieldError[], path: Path, definition: JsonObject): void {
  checkName(errors, [...path, 'name'], definition.name);
  const type = definition.type ?? 1;
  if (type === ApplicationCommandType.ChatInput)
    checkString(errors, [...path, 'description'], definition.description, { min: 1, max: 100, required: true });
  validateOptions(errors, [...path, 'options'], definition.options);
}

export function validateCommandList(definitions: unknown): DiscordHttpError | null {
  const errors: FieldError[] = [];
  if (!Array.isArray(definitions))
    return invalidFormBody([{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }]);
  checkMaxItems(errors, [], definitions, 100);
  const names = new Set<string>();
  definitions.forEach((definition, index) => {
    const object = asObject(definition) ?? {};
    validateCommandDefinition(errors, [index], object);
    const key = `${String(object.type ?? 1)}:${String(object.name)}`;
    if (names.has(key)) {
      errors.push({
        path: [index, 'name'],
        code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
        message: `Application command names must be unique`,
      });
    }
    names.add(key);
  });
  return errors.length > 0 ? invalidFormBody(errors) : null;
}

export function validateAutocompleteChoices(data: JsonObject): {
  error: DiscordHttpError | null;
  choices: AutocompleteChoice[];
} {
  const errors: FieldError[] = [];
  checkMaxItems(errors, ['choices'], data.choices, 25);
  asArray(data.choices).forEach((choice, index) => validateChoice(errors, ['choices', index], choice));
  const choices = asArray(data.choices).map((choice) => {
    const object = asObject(choice) ?? {};
    return { name: String(object.name), value: object.value as string | number };
  });
  return { error: errors.length > 0 ? invalidFormBody(errors, ['data']) : null, choices };
}
