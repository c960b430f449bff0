import { asArray, asObject } from '../validation/fieldChecks.ts';
import { OptionType } from '../validation/commandValidation.ts';
import { channelPayload, memberPayload, rolePayload, userPayload } from '../state/apiPayloads.ts';
import { nextSnowflake } from '../state/snowflakes.ts';
import { hasPermission } from '../state/permissions.ts';
import type { FakeContext } from '../context.ts';
import type { FakeCommand, JsonObject } from '../state/model.ts';

export interface AttachmentOption {
  filename: string;
  content: string | Buffer;
  contentType?: string;
}

export type OptionValue = string | number | boolean | AttachmentOption | { id: string };

function idOf(value: OptionValue): string {
  return typeof value === 'object' && 'id' in value ? value.id : String(value);
}

export interface Invocation {
  command: FakeCommand;
  options: JsonObject[];
  resolved: JsonObject | undefined;
}

interface InvocationRequest {
  guildId: string;
  userId: string;
  commandLine: string;
  values: Record<string, OptionValue>;
  focused?: string;
  ignoreDefaultMemberPermissions?: boolean;
}

class ResolvedCollector {
  readonly resolved: Record<string, Record<string, unknown>> = {};

  add(kind: string, id: string, value: unknown): void {
    (this.resolved[kind] ??= {})[id] = value;
  }

  result(): JsonObject | undefined {
    return Object.keys(this.resolved).length > 0 ? this.resolved : undefined;
  }
}

function findCommand(context: FakeContext, guildId: string, name: string): FakeCommand {
  const commands = [...context.store.commands.values()].filter(
    (command) => command.definition.name === name && (command.definition.type ?? 1) === 1,
  );
  const command = commands.find((item) => item.guildId === guildId) ?? commands.find((item) => item.guildId === null);
  if (!command) {
    const registered = [...context.store.commands.values()]
      .filter((item) => item.guildId === guildId || item.guildId === null)
      .map((item) => `/${String(item.definition.name)}`);
    throw new Error(`/${name} is not registered for this guild (registered: ${registered.join(', ') || 'none'})`);
  }
  return command;
}

function checkDefaultPermissions(context: FakeContext, request: InvocationRequest, command: FakeCommand): void {
  const required = command.definition.default_member_permissions;
  if (request.ignoreDefaultMemberPermissions || required === undefined || required === null) return;
  const granted = context.store.memberPermissions(request.guildId, request.userId);
  if (!hasPermission(granted, BigInt(String(required)))) {
    throw new Error(
      `/${String(command.definition.name)} is hidden from this member by default_member_permissions=${String(required)} ` +
        '(pass { ignoreDefaultMemberPermissions: true } to simulate a server override)',
    );
  }
}

export function resolveInvocation(context: FakeContext, request: InvocationRequest): Invocation {
  const [name = '', ...path] = request.commandLine.trim().split(/\s+/);
  const command = findCommand(context, request.guildId, name);
  checkDefaultPermissions(context, request, command);
  const collector = new ResolvedCollector();
  let definitions = asArray(command.definition.options).map((item) => asObject(item) ?? {});
  const wrappers: JsonObject[] = [];
  for (const word of path) {
    const next = definitions.find(
      (option) =>
        option.name === word && (option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup),
    );
    if (!next)
      throw new Error(
        `/${request.commandLine}: "${word}" is not a subcommand of /${[name, ...wrappers.map((w) => w.name)].join(' ')}`,
      );
    wrappers.push({ name: word, type: next.type });
    definitions = asArray(next.options).map((item) => asObject(item) ?? {});
  }
  if (
    definitions.some((option) => option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup)
  ) {
    throw new Error(
      `/${request.commandLine} needs a subcommand: ${definitions.map((option) => String(option.name)).join(', ')}`,
    );
  }
  const leaf = leafOptions(context, request, definitions, collector);
  let options = leaf;
  for (const wrapper of wrappers.reverse()) options = [{ ...wrapper, options }];
  return { command, options, resolved: collector.result() };
}

function leafOptions(
  context: FakeContext,
  request: InvocationRequest,
  definitions: JsonObject[],
  collector: ResolvedCollector,
): JsonObject[] {
  for (const key of Object.keys(request.values)) {
    if (!definitions.some((definition) => definition.name === key)) {
      throw new Error(
        `/${request.commandLine} has no option "${key}" (options: ${definitions.map((d) => String(d.name)).join(', ') || 'none'})`,
      );
    }
  }
  const options: JsonObject[] = [];
  for (const definition of definitions) {
    const name = String(definition.name);
    const value = request.values[name];
    const focused = request.focused === name;
    if (value === undefined) {
      if (definition.required === true && request.focused === undefined)
        throw new Error(`/${request.commandLine}: option "${name}" is required`);
      continue;
    }
    if (focused) {
      if (definition.autocomplete !== true)
        throw new Error(`/${request.commandLine}: option "${name}" has no autocomplete`);
      options.push({ name, type: definition.type, value: String(value), focused: true });
      continue;
    }
    options.push({ name, type: definition.type, value: convertOption(context, request, definition, value, collector) });
  }
  if (request.focused !== undefined && !options.some((option) => option.focused === true)) {
    throw new Error(`/${request.commandLine}: the focused option "${request.focused}" needs a value (the typed text)`);
  }
  return options;
}

function fail(request: InvocationRequest, name: string, problem: string): never {
  throw new Error(`/${request.commandLine}: option "${name}" ${problem}`);
}

function checkChoices(request: InvocationRequest, definition: JsonObject, value: string | number): void {
  const choices = asArray(definition.choices).map((choice) => asObject(choice)?.value);
  if (choices.length > 0 && !choices.includes(value))
    fail(request, String(definition.name), `must be one of ${choices.map(String).join(', ')}`);
}

function convertOption(
  context: FakeContext,
  request: InvocationRequest,
  definition: JsonObject,
  value: OptionValue,
  collector: ResolvedCollector,
): string | number | boolean {
  const name = String(definition.name);
  const store = context.store;
  switch (definition.type) {
    case OptionType.String: {
      if (typeof value !== 'string') fail(request, name, 'must be a string');
      const min = typeof definition.min_length === 'number' ? definition.min_length : 0;
      const max = typeof definition.max_length === 'number' ? definition.max_length : 6000;
      if (value.length < min || value.length > max) fail(request, name, `must be ${min} to ${max} characters`);
      checkChoices(request, definition, value);
      return value;
    }
    case OptionType.Integer:
    case OptionType.Number: {
      const number = typeof value === 'string' ? Number(value) : value;
      if (typeof number !== 'number' || Number.isNaN(number)) fail(request, name, 'must be a number');
      if (definition.type === OptionType.Integer && !Number.isInteger(number))
        fail(request, name, 'must be an integer');
      if (typeof definition.min_value === 'number' && number < definition.min_value)
        fail(request, name, `must be >= ${definition.min_value}`);
      if (typeof definition.max_value === 'number' && number > definition.max_value)
        fail(request, name, `must be <= ${definition.max_value}`);
      checkChoices(request, definition, number);
      return number;
    }
    case OptionType.Boolean:
      if (typeof value !== 'boolean') fail(request, name, 'must be a boolean');
      return value;
    case OptionType.User:
    case OptionType.Mentionable: {
      const id = idOf(value);
      const user = store.users.get(id);
      const member = store.member(request.guildId, id);
      const role = store.roles.get(id);
      if (user && (member || definition.type === OptionType.User)) {
        collector.add('users', id, userPayload(user));
        if (member) {
          const { user: _user, ...rest } = memberPayload(store, member);
          collector.add('members', id, {
            ...rest,
            permissions: store.memberPermissions(request.guildId, id).toString(),
          });
        }
        return id;
      }
      if (definition.type === OptionType.Mentionable && role?.guildId === request.guildId) {
        collector.add('roles', id, rolePayload(role));
        return id;
      }
      return fail(request, name, `must be a member of the guild (got ${id})`);
    }
    case OptionType.Channel: {
      const channel = store.channels.get(idOf(value));
      if (!channel || channel.guildId !== request.guildId)
        fail(request, name, `must be a channel of the guild (got ${idOf(value)})`);
      const allowedTypes = asArray(definition.channel_types);
      if (allowedTypes.length > 0 && !allowedTypes.includes(channel.type))
        fail(request, name, `must be a channel of type ${allowedTypes.join('/')}`);
      collector.add('channels', channel.id, {
        ...channelPayload(store, channel),
        permissions: store.memberPermissions(request.guildId, request.userId).toString(),
      });
      return channel.id;
    }
    case OptionType.Role: {
      const role = store.roles.get(idOf(value));
      if (!role || role.guildId !== request.guildId)
        fail(request, name, `must be a role of the guild (got ${idOf(value)})`);
      collector.add('roles', role.id, rolePayload(role));
      return role.id;
    }
    case OptionType.Attachment: {
      if (typeof value !== 'object' || !('filename' in value)) fail(request, name, 'must be { filename, content }');
      const bytes = Buffer.isBuffer(value.content) ? value.content : Buffer.from(value.content, 'utf8');
      const id = nextSnowflake();
      store.attachmentBytes.set(id, bytes);
      const url = `${context.origin()}/attachments/uploads/${id}/${encodeURIComponent(value.filename)}`;
      collector.add('attachments', id, {
        id,
        filename: value.filename,
        size: bytes.length,
        url,
        proxy_url: url,
        content_type: value.contentType ?? 'text/plain; charset=utf-8',
        ephemeral: true,
      });
      return id;
    }
    default:
      return fail(request, name, `has unsupported type ${String(definition.type)}`);
  }
}
