import type { Interaction } from 'discord.js';
import type { AppContext } from '../context.ts';
import { databaseErrorSummary, databaseProblem } from '../db/errors.ts';
import { UserError } from '../errors.ts';
import type { Command, ComponentHandler, Handler } from './command.ts';
import { parseCustomId, type ComponentId, type ComponentKind } from './customId.ts';
import { requireInstructor } from './permissions.ts';
import {
  deadlineCounts,
  firstStep,
  InteractionClock,
  LoadGauge,
  Responder,
  type RepliableInteraction,
} from './responder.ts';

export const MESSAGES = {
  guildOnly: 'This bot works in servers only, not in direct messages.',
  invalidComponent: 'This button or form is not valid any more. Run the command again.',
  unknownCommand: 'This command is not available any more.',
  databaseDown: 'The database is unavailable right now, so nothing was saved. Please try again in a minute.',
  storageFull: "The bot's disk is full, so nothing was saved. The operator has been told; please try again later.",
  busy: 'The database is busy right now, so nothing was saved. Please try again in a minute.',
  restarting: 'The bot is restarting, so nothing was done. Please try again in a minute.',
  unexpected: 'Something went wrong on our side and nothing was changed. Please try again.',
} as const;

const DATABASE_MESSAGES = {
  unavailable: MESSAGES.databaseDown,
  storageFull: MESSAGES.storageFull,
  busy: MESSAGES.busy,
} as const;

/** Where the router finds a component's handler: its kind, command and action. */
const routeKey = (kind: ComponentKind, command: string, action: string) => `${kind}:${command}:${action}`;

/** What the router runs for an interaction. Handlers are typed for in-guild interactions: `handle` refuses the others first. */
interface Route {
  handler: Handler<RepliableInteraction, unknown> | undefined;
  instructorOnly: boolean;
  /** The handler also runs in a direct message with the bot. */
  directMessages: boolean;
  /** The handler's typed values, or a refusal the user is shown (a forged or stale custom id). */
  values: () => unknown;
}

/** A component's typed values, or the clear refusal of a forged or stale custom id. */
function parseOrRefuse<V>(id: ComponentId<V>, args: string[]): V {
  const values = id.parse(args);
  if (values === null) throw new UserError(id.refusal);
  return values;
}

/** The one boundary between Discord and the handlers: dispatch by command name or custom id, and catch everything. */
export function createRouter(
  commands: readonly Command[],
  ctx: AppContext,
): (interaction: Interaction) => Promise<void> {
  const byName = new Map(commands.map((command) => [command.data.name, command]));
  const components = new Map<string, { command: Command; handler: ComponentHandler<unknown> }>();
  for (const command of commands) {
    for (const handler of command.components ?? []) {
      const key = routeKey(handler.id.kind, handler.id.command, handler.id.action);
      if (handler.id.command !== command.data.name)
        throw new Error(`${command.data.name} handles ${key}, which names another command`);
      if (components.has(key)) throw new Error(`two handlers for ${key}`);
      components.set(key, { command, handler });
    }
  }
  const load = new LoadGauge();
  const clock = new InteractionClock();

  return async (interaction) => {
    if (interaction.isAutocomplete()) {
      const command = byName.get(interaction.commandName);
      try {
        if (!interaction.inGuild() || !command?.autocomplete) return await interaction.respond([]);
        await command.autocomplete(interaction, ctx);
      } catch (error) {
        ctx.logger.warn(
          { err: error, command: interaction.commandName, guildId: interaction.guildId },
          'autocomplete failed',
        );
        if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      }
      return;
    }
    if (interaction.isChatInputCommand()) {
      const command = byName.get(interaction.commandName);
      const handler = command?.execute as Route['handler'];
      const route = {
        handler,
        instructorOnly: command?.instructorOnly ?? false,
        directMessages: false,
        values: () => undefined,
      };
      return handle(interaction, route, { command: interaction.commandName });
    }
    if (interaction.isMessageComponent() || interaction.isModalSubmit()) {
      // Any component type: the bot sends only buttons, so a select menu (or other) interaction is forged or stale.
      const parsed = parseCustomId(interaction.customId);
      const kind = interaction.isButton() ? 'button' : interaction.isModalSubmit() ? 'modal' : null;
      const found = parsed && kind ? components.get(routeKey(kind, parsed.command, parsed.action)) : undefined;
      const args = parsed?.args ?? [];
      const route: Route = {
        handler: found?.handler as Route['handler'],
        instructorOnly: found?.command.instructorOnly ?? false,
        directMessages: (found?.handler.directMessages ?? false) && !found?.command.instructorOnly,
        values: () => found && parseOrRefuse(found.handler.id, args),
      };
      return handle(interaction, route, { customId: interaction.customId.slice(0, 100) });
    }
  };

  async function handle(interaction: RepliableInteraction, route: Route, where: Record<string, string>): Promise<void> {
    const { handler } = route;
    const log = { ...where, userId: interaction.user.id, guildId: interaction.guildId };
    const ageMs = clock.age(interaction.createdTimestamp, Date.now());
    const step = firstStep(ageMs, { ...load.now(), inFlight: load.inFlight + 1 });
    if (step.kind === 'late') {
      // Discord no longer takes a response: work done now could never be shown (the user sees "did not respond").
      deadlineCounts.late += 1;
      ctx.logger.debug({ ...log, ageMs: Math.round(ageMs) }, 'interaction past its deadline: left unanswered');
      return;
    }
    const mode = handler
      ? typeof handler.mode === 'function'
        ? handler.mode(interaction)
        : handler.mode
      : 'ephemeral';
    const respond = new Responder(interaction, mode, step);
    load.inFlight += 1;
    try {
      // In a direct message only the few components made for it run (never an instructor's).
      if (!interaction.inGuild() && !route.directMessages) return await respond.sendEphemeral(MESSAGES.guildOnly);
      if (!handler)
        return await respond.sendEphemeral(
          interaction.isChatInputCommand() ? MESSAGES.unknownCommand : MESSAGES.invalidComponent,
        );
      // Instructors first, as before any argument is read: anyone who sees a message can click its buttons or forge an id.
      if (route.instructorOnly) {
        if (!interaction.inGuild()) return await respond.sendEphemeral(MESSAGES.guildOnly);
        await requireInstructor(interaction, ctx);
      }
      await handler.run(interaction, ctx, respond, route.values());
    } catch (error) {
      if (error instanceof UserError) {
        await respond
          .sendEphemeral(error.message)
          .catch((e) => ctx.logger.warn({ ...log, err: e }, 'could not send error'));
        return;
      }
      const problem = databaseProblem(error);
      // A full disk is reported once by the database itself; a timeout says which statement gave up.
      if (problem === 'storageFull') ctx.logger.warn(log, 'write refused: the disk is full');
      else if (problem === 'busy')
        ctx.logger.warn({ ...log, ...databaseErrorSummary(error) }, 'database statement timed out');
      else
        ctx.logger.error({ ...log, err: error }, problem === 'unavailable' ? 'database unavailable' : 'handler failed');
      await respond
        .sendEphemeral(problem ? DATABASE_MESSAGES[problem] : MESSAGES.unexpected)
        .catch((e) => ctx.logger.warn({ ...log, err: e }, 'could not send error'));
    } finally {
      load.inFlight -= 1;
      load.handled(respond.workMs);
      respond.dispose();
    }
  }
}
