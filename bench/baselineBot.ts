/**
 * The baseline for the burst benchmark: a minimal discord.js bot with the same Client options as the real one
 * (it uses src/discord/client.ts), no database and no router. On ready it posts one message with an Answer
 * button; the button opens a modal shaped like the real Answer modal, and every modal submit gets one constant
 * ephemeral reply. Run by bench/burst.ts through tests/support/botProcess.ts, like the real bot.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  Events,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
} from 'discord.js';
import { createDiscordClient } from '../src/discord/client.ts';
import { installProbe } from './botProbe.ts';

installProbe();

const { DISCORD_TOKEN: token, DISCORD_API_URL: apiUrl, BENCH_CHANNEL_ID: channelId } = process.env;
if (!token || !apiUrl || !channelId)
  throw new Error('baselineBot needs DISCORD_TOKEN, DISCORD_API_URL and BENCH_CHANNEL_ID');

const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg, ...extra })}\n`);

const answerRow = new ActionRowBuilder<ButtonBuilder>().addComponents(
  new ButtonBuilder().setCustomId('baseline:answer:1').setLabel('Answer').setStyle(ButtonStyle.Primary),
);
const modal = new ModalBuilder()
  .setCustomId('baseline:submit:1')
  .setTitle('What is a JWT?')
  .addComponents(
    new ActionRowBuilder<TextInputBuilder>().addComponents(
      new TextInputBuilder()
        .setCustomId('answer')
        .setLabel('Your answer')
        .setStyle(TextInputStyle.Paragraph)
        .setMinLength(1)
        .setMaxLength(4000)
        .setRequired(true),
    ),
  );
const receipt = new EmbedBuilder()
  .setTitle('Saved ✓')
  .setColor(0x57f287)
  .setDescription('Your answer is saved. +1 point.');

async function handle(interaction: Interaction): Promise<void> {
  if (interaction.isButton()) await interaction.showModal(modal);
  else if (interaction.isModalSubmit()) await interaction.reply({ embeds: [receipt], flags: MessageFlags.Ephemeral });
}

const client = createDiscordClient(apiUrl);
client.on(Events.InteractionCreate, (interaction) => {
  handle(interaction).catch((error: unknown) => log('handler failed', { level: 50, err: String(error) }));
});
client.once(Events.ClientReady, async () => {
  const channel = await client.channels.fetch(channelId);
  if (!channel?.isSendable()) throw new Error(`cannot post in ${channelId}`);
  await channel.send({
    embeds: [new EmbedBuilder().setTitle('Daily question').setDescription('What is a JWT?')],
    components: [answerRow],
  });
  log('ready');
});
const stop = () => void client.destroy().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
await client.login(token);
