import { setTimeout as sleep } from 'node:timers/promises';
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  ChannelType,
  ModalBuilder,
  Routes,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';

const PING_MODES = ['normal', 'late', 'double', 'long', 'dm', 'announce', 'defer', 'followup', 'export'] as const;
const TOPICS = ['JWT', 'JSON', 'JavaScript', 'SQL RETURNING', 'Testing'];

export interface PingBot {
  client: Client;
  caughtErrors: unknown[];
  stop(): Promise<void>;
}

const pingCommand = new SlashCommandBuilder()
  .setName('ping')
  .setDescription('Answers pong')
  .addStringOption((option) =>
    option
      .setName('mode')
      .setDescription('What to exercise')
      .addChoices(...PING_MODES.map((mode) => ({ name: mode, value: mode }))),
  )
  .addStringOption((option) => option.setName('topic').setDescription('A topic').setAutocomplete(true))
  .addAttachmentOption((option) => option.setName('file').setDescription('A file to read'));

const setupCommand = new SlashCommandBuilder()
  .setName('setup')
  .setDescription('Configure')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((sub) =>
    sub
      .setName('daily')
      .setDescription('Schedule the daily question')
      .addChannelOption((option) =>
        option.setName('channel').setDescription('Where').setRequired(true).addChannelTypes(ChannelType.GuildText),
      )
      .addStringOption((option) => option.setName('time').setDescription('HH:MM').setRequired(true))
      .addStringOption((option) =>
        option.setName('timezone').setDescription('IANA zone').setRequired(true).setAutocomplete(true),
      )
      .addIntegerOption((option) =>
        option.setName('window_hours').setDescription('Hours').setMinValue(1).setMaxValue(72),
      ),
  )
  .addSubcommand((sub) => sub.setName('show').setDescription('Show settings'));

async function handleSetup(interaction: ChatInputCommandInteraction): Promise<void> {
  if (interaction.options.getSubcommand() === 'show') {
    await interaction.reply({
      content: `manage guild: ${String(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild))}`,
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const channel = interaction.options.getChannel('channel', true);
  const time = interaction.options.getString('time', true);
  const timezone = interaction.options.getString('timezone', true);
  const window = interaction.options.getInteger('window_hours') ?? 24;
  await interaction.reply({
    content: `daily in #${channel.name ?? '?'} at ${time} ${timezone} for ${window}h`,
    flags: MessageFlags.Ephemeral,
  });
}

function answerRow(): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId('ping:answer').setLabel('Answer').setStyle(ButtonStyle.Primary),
    new ButtonBuilder().setCustomId('ping:refresh').setLabel('Refresh').setStyle(ButtonStyle.Secondary),
  );
}

async function handlePing(interaction: ChatInputCommandInteraction, caughtErrors: unknown[]): Promise<void> {
  const mode = interaction.options.getString('mode') ?? 'normal';
  const file = interaction.options.getAttachment('file');
  if (file) {
    const text = await (await fetch(file.url)).text();
    await interaction.reply({ content: `${file.name}: ${text.split('\n')[0] ?? ''}`, flags: MessageFlags.Ephemeral });
    return;
  }
  switch (mode) {
    case 'late':
      await sleep(3200);
      await interaction.reply('too late').catch((error: unknown) => caughtErrors.push(error));
      return;
    case 'double':
      await interaction.reply('first');
      await interaction.client.rest
        .post(Routes.interactionCallback(interaction.id, interaction.token), {
          body: { type: 4, data: { content: 'second' } },
          auth: false,
        })
        .catch((error: unknown) => caughtErrors.push(error));
      return;
    case 'long':
      try {
        await interaction.reply('x'.repeat(2001));
      } catch (error) {
        caughtErrors.push(error);
        await interaction.reply({ content: 'shortened', flags: MessageFlags.Ephemeral });
      }
      return;
    case 'dm':
      try {
        await interaction.user.send('a direct message');
        await interaction.reply({ content: 'dm sent', flags: MessageFlags.Ephemeral });
      } catch (error) {
        caughtErrors.push(error);
        await interaction.reply({ content: 'dm failed', flags: MessageFlags.Ephemeral });
      }
      return;
    case 'announce':
      if (interaction.channel?.isSendable())
        await interaction.channel.send(`@everyone ${interaction.user.toString()} asked for an announcement`);
      await interaction.reply({ content: 'announced', flags: MessageFlags.Ephemeral });
      return;
    case 'defer':
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await sleep(200);
      await interaction.editReply('deferred result');
      return;
    case 'followup':
      await interaction.reply({ content: 'first', flags: MessageFlags.Ephemeral });
      await sleep(300);
      await interaction
        .followUp({ content: 'follow-up', flags: MessageFlags.Ephemeral })
        .catch((error: unknown) => caughtErrors.push(error));
      return;
    case 'export':
      await interaction.reply({
        content: 'export ready',
        files: [new AttachmentBuilder(Buffer.from('student,grade\nada,correct\n'), { name: 'grades.csv' })],
        flags: MessageFlags.Ephemeral,
      });
      return;
    default:
      await interaction.reply({
        content: `pong ${interaction.options.getString('topic') ?? ''}`.trim(),
        components: [answerRow()],
      });
  }
}

async function handle(interaction: Interaction, caughtErrors: unknown[]): Promise<void> {
  if (interaction.isChatInputCommand()) {
    return interaction.commandName === 'setup' ? handleSetup(interaction) : handlePing(interaction, caughtErrors);
  }
  if (interaction.isAutocomplete()) {
    const typed = interaction.options.getFocused().toLowerCase();
    await interaction.respond(
      TOPICS.filter((topic) => topic.toLowerCase().startsWith(typed)).map((topic) => ({ name: topic, value: topic })),
    );
    return;
  }
  if (interaction.isButton() && interaction.customId === 'ping:answer') {
    const input = new TextInputBuilder()
      .setCustomId('answer')
      .setLabel('Your answer')
      .setStyle(TextInputStyle.Paragraph)
      .setMinLength(1)
      .setMaxLength(4000);
    const modal = new ModalBuilder()
      .setCustomId('ping:modal')
      .setTitle('What is a JWT?')
      .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input));
    await interaction.showModal(modal);
    return;
  }
  if (interaction.isButton() && interaction.customId === 'ping:refresh') {
    await interaction.update({ content: 'refreshed', components: [answerRow()] });
    return;
  }
  if (interaction.isModalSubmit()) {
    await interaction.reply({
      content: `saved: ${interaction.fields.getTextInputValue('answer')}`,
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  if (interaction.isRepliable())
    await interaction.reply({
      content: `unknown component ${interaction.isButton() ? interaction.customId : ''}`,
      flags: MessageFlags.Ephemeral,
    });
}

export async function startPingBot(options: { apiUrl: string; token: string; guildId: string }): Promise<PingBot> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.apiUrl },
    allowedMentions: { parse: [] },
  });
  const caughtErrors: unknown[] = [];
  client.on(Events.InteractionCreate, (interaction) => {
    handle(interaction, caughtErrors).catch((error: unknown) => caughtErrors.push(error));
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(options.token);
  await ready;
  await client.application?.commands.set([pingCommand.toJSON(), setupCommand.toJSON()], options.guildId);
  return {
    client,
    caughtErrors,
    stop: () => client.destroy(),
  };
}
