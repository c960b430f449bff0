import type { FieldError } from '../http/discordErrors.ts';
import { asArray, asObject, checkIntegerRange, checkMaxItems, checkString, type Path } from './fieldChecks.ts';
import type { JsonObject } from '../state/model.ts';

export const ComponentType = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  UserSelect: 5,
  RoleSelect: 6,
  MentionableSelect: 7,
  ChannelSelect: 8,
  Section: 9,
  TextDisplay: 10,
  Thumbnail: 11,
  MediaGallery: 12,
  File: 13,
  Separator: 14,
  Container: 17,
  Label: 18,
} as const;

export const ButtonStyle = { Link: 5, Premium: 6 } as const;
export const IS_COMPONENTS_V2 = 1 << 15;

const SELECT_TYPES: number[] = [3, 5, 6, 7, 8];

export function isSelect(type: unknown): boolean {
  return typeof type === 'number' && SELECT_TYPES.includes(type);
}

function validateButton(errors: FieldError[], path: Path, button: JsonObject, customIds: Set<string>): void {
  const style = button.style;
  checkString(errors, [...path, 'label'], button.label, { max: 80 });
  if (button.label === undefined && button.emoji === undefined && style !== ButtonStyle.Premium) {
    errors.push({
      path: [...path, 'label'],
      code: 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED',
      message: 'A label or emoji is required',
    });
  }
  if (typeof style !== 'number' || style < 1 || style > 6) {
    errors.push({
      path: [...path, 'style'],
      code: 'ENUM_TYPE_COERCE',
      message: `Value "${String(style)}" is not a valid enum value.`,
    });
    return;
  }
  if (style === ButtonStyle.Link) {
    checkString(errors, [...path, 'url'], button.url, { min: 1, max: 512, required: true });
    if (button.custom_id !== undefined) {
      errors.push({
        path: [...path, 'custom_id'],
        code: 'BUTTON_COMPONENT_CUSTOM_ID_INVALID',
        message: 'A link button cannot have a custom id',
      });
    }
    return;
  }
  if (style === ButtonStyle.Premium) return;
  validateCustomId(errors, path, button.custom_id, customIds);
}

function validateCustomId(errors: FieldError[], path: Path, customId: unknown, customIds: Set<string>): void {
  checkString(errors, [...path, 'custom_id'], customId, { min: 1, max: 100, required: true });
  if (typeof customId !== 'string') return;
  if (customIds.has(customId)) {
    errors.push({
      path: [...path, 'custom_id'],
      code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
      message: 'Component custom id cannot be duplicated',
    });
  }
  customIds.add(customId);
}

export function validateSelect(errors: FieldError[], path: Path, select: JsonObject, customIds: Set<string>): void {
  validateCustomId(errors, path, select.custom_id, customIds);
  checkString(errors, [...path, 'placeholder'], select.placeholder, { max: 150 });
  checkIntegerRange(errors, [...path, 'min_values'], select.min_values, 0, 25);
  checkIntegerRange(errors, [...path, 'max_values'], select.max_values, 1, 25);
  if (select.type !== ComponentType.StringSelect) return;
  checkMaxItems(errors, [...path, 'options'], select.options, 25, 1);
  asArray(select.options).forEach((option, index) => {
    const object = asObject(option) ?? {};
    checkString(errors, [...path, 'options', index, 'label'], object.label, { min: 1, max: 100, required: true });
    checkString(errors, [...path, 'options', index, 'value'], object.value, { min: 1, max: 100, required: true });
    checkString(errors, [...path, 'options', index, 'description'], object.description, { max: 100 });
  });
}

function validateActionRow(errors: FieldError[], path: Path, row: JsonObject, customIds: Set<string>): void {
  const children = asArray(row.components);
  checkMaxItems(errors, [...path, 'components'], children, 5, 1);
  const selects = children.filter((child) => isSelect(asObject(child)?.type));
  if (selects.length > 0 && children.length > 1) {
    errors.push({
      path: [...path, 'components'],
      code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
      message: 'The specified component exceeds the maximum width',
    });
  }
  children.forEach((child, index) =>
    validateInteractive(errors, [...path, 'components', index], asObject(child) ?? {}, customIds),
  );
}

function validateInteractive(errors: FieldError[], path: Path, component: JsonObject, customIds: Set<string>): void {
  if (component.type === ComponentType.Button) validateButton(errors, path, component, customIds);
  else if (isSelect(component.type)) validateSelect(errors, path, component, customIds);
  else
    errors.push({
      path: [...path, 'type'],
      code: 'UNION_TYPE_CHOICES',
      message: `Value of field "type" must be one of (2, 3, 5, 6, 7, 8).`,
    });
}

function validateV2Component(errors: FieldError[], path: Path, component: JsonObject, customIds: Set<string>): number {
  let count = 1;
  switch (component.type) {
    case ComponentType.ActionRow:
      validateActionRow(errors, path, component, customIds);
      return count + asArray(component.components).length;
    case ComponentType.TextDisplay:
      checkString(errors, [...path, 'content'], component.content, { min: 1, max: 4000, required: true });
      return count;
    case ComponentType.Section:
      asArray(component.components).forEach((child, index) => {
        count += validateV2Component(errors, [...path, 'components', index], asObject(child) ?? {}, customIds);
      });
      if (asObject(component.accessory)?.type === ComponentType.Button) {
        validateButton(errors, [...path, 'accessory'], asObject(component.accessory) ?? {}, customIds);
      }
      return count + 1;
    case ComponentType.Container:
      asArray(component.components).forEach((child, index) => {
        count += validateV2Component(errors, [...path, 'components', index], asObject(child) ?? {}, customIds);
      });
      return count;
    default:
      return count;
  }
}

export function validateMessageComponents(errors: FieldError[], components: unknown, flags: number): void {
  if (components === undefined || components === null) return;
  const customIds = new Set<string>();
  if ((flags & IS_COMPONENTS_V2) !== 0) {
    let total = 0;
    asArray(components).forEach((component, index) => {
      total += validateV2Component(errors, ['components', index], asObject(component) ?? {}, customIds);
    });
    if (total > 40)
      errors.push({ path: ['components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 40 or fewer in length.' });
    return;
  }
  checkMaxItems(errors, ['components'], components, 5);
  asArray(components).forEach((row, index) => {
    const object = asObject(row) ?? {};
    if (object.type !== ComponentType.ActionRow) {
      errors.push({
        path: ['components', index, 'type'],
        code: 'UNION_TYPE_CHOICES',
        message: 'Value of field "type" must be one of (1,).',
      });
      return;
    }
    validateActionRow(errors, ['components', index], object, customIds);
  });
}

export function walkComponents(components: unknown, visit: (component: JsonObject) => void): void {
  for (const item of asArray(components)) {
    const component = asObject(item);
    if (!component) continue;
    visit(component);
    walkComponents(component.components, visit);
    if (asObject(component.accessory)) visit(asObject(component.accessory) ?? {});
    if (asObject(component.component)) walkComponents([component.component], visit);
  }
}
