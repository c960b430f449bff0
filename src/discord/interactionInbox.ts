import { MessageFlags, type Interaction } from 'discord.js';
import { MESSAGES } from './router.ts';

/**
 * Where every interaction goes, whichever transport carried it (the gateway, or Discord's HTTP POST): the router,
 * with the interactions in progress tracked for shutdown, and a "restarting" answer once the bot is stopping.
 */
export interface InteractionInbox {
  /** Routes one interaction; resolves when its handler has finished. */
  receive(interaction: Interaction): Promise<void>;
  /** The handling of the interaction with this id, while it lasts. */
  handling(interactionId: string): Promise<void> | undefined;
  /** Waits for every interaction in progress, including any that arrive meanwhile, at most `limitMs`. */
  drain(limitMs: number): Promise<void>;
}

/** What an interaction that arrives while the bot stops is told, instead of nothing. */
async function refuseWhileStopping(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) await interaction.respond([]);
  else if (interaction.isRepliable())
    await interaction.reply({ content: MESSAGES.restarting, flags: MessageFlags.Ephemeral });
}

export function createInteractionInbox(
  route: (interaction: Interaction) => Promise<void>,
  isStopping: () => boolean,
): InteractionInbox {
  const inFlight = new Map<string, Promise<void>>();
  return {
    receive(interaction) {
      const work = isStopping() ? refuseWhileStopping(interaction).catch(() => undefined) : route(interaction);
      const handled = work.finally(() => inFlight.delete(interaction.id));
      inFlight.set(interaction.id, handled);
      return handled;
    },
    handling: (interactionId) => inFlight.get(interactionId),
    async drain(limitMs) {
      const deadline = Date.now() + limitMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        await Promise.race([
          Promise.allSettled(inFlight.values()),
          new Promise((resolve) => setTimeout(resolve, deadline - Date.now()).unref()),
        ]);
      }
    },
  };
}
