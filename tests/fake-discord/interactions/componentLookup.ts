import { ButtonStyle, ComponentType, isSelect, walkComponents } from '../validation/componentValidation.ts';
import { asArray, asObject } from '../validation/fieldChecks.ts';
import type { FakeMessage, JsonObject } from '../state/model.ts';

export type ComponentSelector = string | { customId: string };

function describeButtons(message: FakeMessage): string {
  const labels: string[] = [];
  walkComponents(message.components, (component) => {
    if (component.type === ComponentType.Button)
      labels.push(`${String(component.label ?? '')}(${String(component.custom_id ?? component.url ?? '')})`);
  });
  return labels.join(', ') || 'none';
}

export function findButton(message: FakeMessage, selector: ComponentSelector): JsonObject {
  const matches: JsonObject[] = [];
  walkComponents(message.components, (component) => {
    if (component.type !== ComponentType.Button) return;
    const hit = typeof selector === 'string' ? component.label === selector : component.custom_id === selector.customId;
    if (hit) matches.push(component);
  });
  const label = typeof selector === 'string' ? `labelled "${selector}"` : `with custom_id "${selector.customId}"`;
  if (matches.length === 0)
    throw new Error(`message ${message.id} has no button ${label} (buttons: ${describeButtons(message)})`);
  if (matches.length > 1)
    throw new Error(`message ${message.id} has ${matches.length} buttons ${label}; select by { customId }`);
  const button = matches[0] ?? {};
  if (button.disabled === true) throw new Error(`button ${label} on message ${message.id} is disabled`);
  if (button.style === ButtonStyle.Link || button.style === ButtonStyle.Premium) {
    throw new Error(`button ${label} on message ${message.id} is a link/premium button and sends no interaction`);
  }
  return button;
}

export function findSelect(message: FakeMessage, customId: string, values: string[]): JsonObject {
  let found: JsonObject | undefined;
  walkComponents(message.components, (component) => {
    if (isSelect(component.type) && component.custom_id === customId) found = component;
  });
  if (!found) throw new Error(`message ${message.id} has no select menu with custom_id "${customId}"`);
  if (found.disabled === true) throw new Error(`select "${customId}" on message ${message.id} is disabled`);
  const min = typeof found.min_values === 'number' ? found.min_values : 1;
  const max = typeof found.max_values === 'number' ? found.max_values : 1;
  if (values.length < min || values.length > max)
    throw new Error(`select "${customId}" takes ${min} to ${max} values, got ${values.length}`);
  if (found.type === ComponentType.StringSelect) {
    const allowed = asArray(found.options).map((option) => asObject(option)?.value);
    const unknown = values.filter((value) => !allowed.includes(value));
    if (unknown.length > 0) throw new Error(`select "${customId}" has no option(s) ${unknown.join(', ')}`);
  }
  return found;
}
