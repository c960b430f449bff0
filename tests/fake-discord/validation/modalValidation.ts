import type { FieldError } from '../http/discordErrors.ts';
import { ComponentType, isSelect, validateSelect } from './componentValidation.ts';
import { asArray, asObject, checkIntegerRange, checkMaxItems, checkString, type Path } from './fieldChecks.ts';
import type { JsonObject, ModalInput } from '../state/model.ts';

function validateTextInput(
  errors: FieldError[],
  path: Path,
  input: JsonObject,
  insideLabel: boolean,
  customIds: Set<string>,
): void {
  checkString(errors, [...path, 'custom_id'], input.custom_id, { min: 1, max: 100, required: true });
  if (typeof input.custom_id === 'string') {
    if (customIds.has(input.custom_id)) {
      errors.push({
        path: [...path, 'custom_id'],
        code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
        message: 'Component custom id cannot be duplicated',
      });
    }
    customIds.add(input.custom_id);
  }
  if (input.style !== 1 && input.style !== 2) {
    errors.push({
      path: [...path, 'style'],
      code: 'ENUM_TYPE_COERCE',
      message: `Value "${String(input.style)}" is not a valid enum value.`,
    });
  }
  if (insideLabel && input.label !== undefined) {
    errors.push({
      path: [...path, 'label'],
      code: 'TEXT_INPUT_LABEL_NOT_ALLOWED',
      message: 'A text input inside a label cannot have its own label',
    });
  }
  if (!insideLabel) checkString(errors, [...path, 'label'], input.label, { min: 1, max: 45, required: true });
  checkIntegerRange(errors, [...path, 'min_length'], input.min_length, 0, 4000);
  checkIntegerRange(errors, [...path, 'max_length'], input.max_length, 1, 4000);
  if (
    typeof input.min_length === 'number' &&
    typeof input.max_length === 'number' &&
    input.min_length > input.max_length
  ) {
    errors.push({
      path: [...path, 'min_length'],
      code: 'TEXT_INPUT_LENGTH_INVALID',
      message: 'min_length must be less than or equal to max_length',
    });
  }
  checkString(errors, [...path, 'value'], input.value, {
    max: typeof input.max_length === 'number' ? input.max_length : 4000,
  });
  checkString(errors, [...path, 'placeholder'], input.placeholder, { max: 100 });
}

export function validateModal(data: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  checkString(errors, ['title'], data.title, { min: 1, max: 45, required: true });
  checkString(errors, ['custom_id'], data.custom_id, { min: 1, max: 100, required: true });
  checkMaxItems(errors, ['components'], data.components, 5, 1);
  const customIds = new Set<string>();
  asArray(data.components).forEach((item, index) => {
    const component = asObject(item) ?? {};
    const path: Path = ['components', index];
    if (component.type === ComponentType.ActionRow) {
      const children = asArray(component.components);
      checkMaxItems(errors, [...path, 'components'], children, 1, 1);
      const input = asObject(children[0]) ?? {};
      if (input.type !== ComponentType.TextInput) {
        errors.push({
          path: [...path, 'components', 0, 'type'],
          code: 'UNION_TYPE_CHOICES',
          message: 'Value of field "type" must be one of (4,).',
        });
        return;
      }
      validateTextInput(errors, [...path, 'components', 0], input, false, customIds);
    } else if (component.type === ComponentType.Label) {
      checkString(errors, [...path, 'label'], component.label, { min: 1, max: 45, required: true });
      checkString(errors, [...path, 'description'], component.description, { max: 100 });
      const inner = asObject(component.component) ?? {};
      if (inner.type === ComponentType.TextInput)
        validateTextInput(errors, [...path, 'component'], inner, true, customIds);
      else if (isSelect(inner.type)) validateSelect(errors, [...path, 'component'], inner, customIds);
      else
        errors.push({
          path: [...path, 'component', 'type'],
          code: 'UNION_TYPE_CHOICES',
          message: 'Value of field "type" must be a text input or select.',
        });
    } else if (component.type === ComponentType.TextDisplay) {
      checkString(errors, [...path, 'content'], component.content, { min: 1, max: 4000, required: true });
    } else {
      errors.push({
        path: [...path, 'type'],
        code: 'UNION_TYPE_CHOICES',
        message: 'Value of field "type" must be one of (1, 10, 18).',
      });
    }
  });
  return errors;
}

export function modalTextInputs(data: JsonObject): ModalInput[] {
  const inputs: ModalInput[] = [];
  for (const item of asArray(data.components)) {
    const component = asObject(item) ?? {};
    const wrappedInLabel = component.type === ComponentType.Label;
    const input = wrappedInLabel ? asObject(component.component) : asObject(asArray(component.components)[0]);
    if (!input || input.type !== ComponentType.TextInput) continue;
    const required = input.required !== false;
    inputs.push({
      customId: String(input.custom_id),
      label: String(wrappedInLabel ? component.label : input.label),
      style: Number(input.style),
      minLength: typeof input.min_length === 'number' ? input.min_length : required ? 1 : 0,
      maxLength: typeof input.max_length === 'number' ? input.max_length : 4000,
      required,
      wrappedInLabel,
    });
  }
  return inputs;
}
