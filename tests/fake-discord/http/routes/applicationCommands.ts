import { discordErrors, invalidFormBody, type FieldError } from '../discordErrors.ts';
import { asObject } from '../../validation/fieldChecks.ts';
import { validateCommandDefinition, validateCommandList } from '../../validation/commandValidation.ts';
import { nextSnowflake } from '../../state/snowflakes.ts';
import { json, noContent, type RouteDefinition, type RouteRequest } from '../router.ts';
import type { FakeContext } from '../../context.ts';
import type { FakeCommand, JsonObject } from '../../state/model.ts';

export function commandPayload(command: FakeCommand): JsonObject {
  const definition = command.definition;
  return {
    ...definition,
    id: command.id,
    application_id: command.applicationId,
    ...(command.guildId ? { guild_id: command.guildId } : {}),
    type: definition.type ?? 1,
    description: definition.description ?? '',
    default_member_permissions: definition.default_member_permissions ?? null,
    nsfw: definition.nsfw ?? false,
    version: command.version,
    ...(command.guildId
      ? {}
      : { integration_types: definition.integration_types ?? [0], contexts: definition.contexts ?? null }),
  };
}

function scopeOf(context: FakeContext, request: RouteRequest): string | null {
  if (request.params.app !== context.store.applicationId) throw discordErrors.missingAccess();
  const guildId = request.params.guild ?? null;
  if (guildId !== null && !context.store.member(guildId, context.store.botUser.id)) throw discordErrors.missingAccess();
  return guildId;
}

function commandsIn(context: FakeContext, guildId: string | null): FakeCommand[] {
  return [...context.store.commands.values()].filter((command) => command.guildId === guildId);
}

function upsert(context: FakeContext, guildId: string | null, definition: JsonObject): FakeCommand {
  const type = definition.type ?? 1;
  const existing = commandsIn(context, guildId).find(
    (command) => command.definition.name === definition.name && (command.definition.type ?? 1) === type,
  );
  const command: FakeCommand = {
    id: existing?.id ?? nextSnowflake(),
    applicationId: context.store.applicationId,
    guildId,
    version: nextSnowflake(),
    definition,
  };
  context.store.commands.set(command.id, command);
  return command;
}

function findCommand(context: FakeContext, guildId: string | null, commandId: string | undefined): FakeCommand {
  const command = commandId ? context.store.commands.get(commandId) : undefined;
  if (!command || command.guildId !== guildId) throw discordErrors.unknownCommand();
  return command;
}

function validateSingle(definition: JsonObject): void {
  const errors: FieldError[] = [];
  validateCommandDefinition(errors, [], definition);
  if (errors.length > 0) throw invalidFormBody(errors);
}

function routesFor(prefix: string): RouteDefinition[] {
  return [
    {
      method: 'GET',
      template: `${prefix}/commands`,
      auth: 'bot',
      handle: (context, request) => json(commandsIn(context, scopeOf(context, request)).map(commandPayload)),
    },
    {
      method: 'PUT',
      template: `${prefix}/commands`,
      auth: 'bot',
      handle: (context, request) => {
        const guildId = scopeOf(context, request);
        const invalid = validateCommandList(request.body);
        if (invalid) throw invalid;
        const definitions = (request.body as unknown[]).map((item) => asObject(item) ?? {});
        const kept = definitions.map((definition) => upsert(context, guildId, definition));
        const keptIds = new Set(kept.map((command) => command.id));
        for (const command of commandsIn(context, guildId)) {
          if (!keptIds.has(command.id)) context.store.commands.delete(command.id);
        }
        return json(kept.map(commandPayload));
      },
    },
    {
      method: 'POST',
      template: `${prefix}/commands`,
      auth: 'bot',
      handle: (context, request) => {
        const guildId = scopeOf(context, request);
        const definition = asObject(request.body) ?? {};
        validateSingle(definition);
        const existed = commandsIn(context, guildId).some((command) => command.definition.name === definition.name);
        return json(commandPayload(upsert(context, guildId, definition)), existed ? 200 : 201);
      },
    },
    {
      method: 'GET',
      template: `${prefix}/commands/:commandId`,
      auth: 'bot',
      handle: (context, request) =>
        json(commandPayload(findCommand(context, scopeOf(context, request), request.params.commandId))),
    },
    {
      method: 'PATCH',
      template: `${prefix}/commands/:commandId`,
      auth: 'bot',
      handle: (context, request) => {
        const command = findCommand(context, scopeOf(context, request), request.params.commandId);
        const definition = { ...command.definition, ...asObject(request.body) };
        validateSingle(definition);
        command.definition = definition;
        command.version = nextSnowflake();
        return json(commandPayload(command));
      },
    },
    {
      method: 'DELETE',
      template: `${prefix}/commands/:commandId`,
      auth: 'bot',
      handle: (context, request) => {
        const command = findCommand(context, scopeOf(context, request), request.params.commandId);
        context.store.commands.delete(command.id);
        return noContent;
      },
    },
  ];
}

export const applicationCommandRoutes: RouteDefinition[] = [
  ...routesFor('/applications/:app'),
  ...routesFor('/applications/:app/guilds/:guild'),
];
