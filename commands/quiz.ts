import { openDailyQuestionIds } from '../src/db/repo/daily.ts';
import { createPracticePrompt, lastPracticeQuestionId } from '../src/db/repo/prompts.ts';
import { activeTopics, listQuestions } from '../src/db/repo/questions.ts';
import { studyProgress } from '../src/db/repo/studyCards.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { answerButtonRow, answerModal, questionEmbed, questionFromMessage } from '../src/discord/render/question.ts';
import { idArg } from '../src/discord/customId.ts';
import { shorten } from '../src/discord/render/text.ts';
import { UserError } from '../src/errors.ts';
import { choosePracticeQuestion } from '../src/quiz/selection.ts';
import { submitAnswer } from '../src/discord/answerSubmission.ts';
import { findPromptById } from '../src/db/repo/prompts.ts';
import { callerCohort, findCohort } from '../src/db/repo/cohorts.ts';
import { toggleReminder } from '../src/db/repo/reminders.ts';
import { reminderSettingText } from '../src/discord/render/reminder.ts';

const MAX_CHOICES = 25;

export const quiz: Command = {
  data: slashCommand('quiz', 'A practice question, just for you', 'everyone')
    .addStringOption((option) =>
      option.setName('topic').setDescription('Only questions on this topic').setAutocomplete(true).setMaxLength(100),
    ),

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      const guildId = interaction.guildId!;
      const userId = interaction.user.id;
      const topic = interaction.options.getString('topic')?.trim() || undefined;
      const bank = await listQuestions(ctx.db, guildId, { activeOnly: true });
      if (topic && !bank.some((question) => question.topic.toLowerCase() === topic.toLowerCase())) {
        const topics = [...new Set(bank.map((question) => question.topic))];
        throw new UserError(shorten(`There is no topic "${topic.slice(0, 100)}". Topics: ${topics.join(', ')}.`, 1900));
      }
      const [progress, lastQuestionId, openDaily] = await Promise.all([
        studyProgress(ctx.db, guildId, userId),
        lastPracticeQuestionId(ctx.db, guildId, userId),
        openDailyQuestionIds(ctx.db, guildId, ctx.now()),
      ]);
      const practicable = bank.filter((question) => !openDaily.has(question.id));
      const questionId = choosePracticeQuestion({ questions: practicable, progress, lastQuestionId, topic, now: ctx.now() });
      const question = bank.find((row) => row.id === questionId);
      if (!question) {
        throw new UserError(
          openDaily.size > 0 && topic
            ? `The only question on "${topic.slice(0, 100)}" is today's daily question: answer it in the daily post.`
            : 'There are no questions to practise yet. Ask an instructor to import some.',
        );
      }
      const cohort = await callerCohort(ctx.db, guildId, { channelId: interaction.channelId, roleIds: [] });
      const prompt = await createPracticePrompt(ctx.db, { guildId, cohortId: cohort.id, userId, questionId: question.id, now: ctx.now() });
      await respond.send({
        embeds: [questionEmbed({ title: 'Practice question', question: question.text, topic: question.topic, footer: 'Only you can see this question.' })],
        components: [answerButtonRow(prompt.id)],
      });
    },
  },

  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const topics = await activeTopics(ctx.db, interaction.guildId!);
    const matching = topics.filter((topic) => topic.toLowerCase().includes(typed)).slice(0, MAX_CHOICES);
    await interaction.respond(matching.map((topic) => ({ name: topic.slice(0, 100), value: topic.slice(0, 100) })));
  },

  buttons: {
    // The modal must be the first response: it is built from the clicked message alone, without the database.
    answer: {
      mode: 'modal',
      async run(interaction, _ctx, respond, args) {
        const promptId = idArg(args, 0);
        if (promptId === null) throw new UserError('This Answer button is not valid. Run /quiz again.');
        await respond.showModal(answerModal(promptId, questionFromMessage(interaction.message)));
      },
    },
    // The button names no student: whoever clicks is the one whose reminders change.
    remind: {
      mode: 'ephemeral',
      async run(interaction, ctx, respond, args) {
        const promptId = idArg(args, 0);
        const found = promptId === null ? undefined : await findPromptById(ctx.db, promptId);
        const prompt = found?.prompt;
        if (!prompt || prompt.guildId !== interaction.guildId || prompt.kind !== 'daily' || !prompt.messageId) {
          throw new UserError('This Remind me button is not valid. Use the one on a daily question in this server, or /me.');
        }
        if (prompt.closedAt || (prompt.closesAt && prompt.closesAt <= ctx.now())) {
          throw new UserError('This daily question has closed. Click Remind me on the next one, or choose in /me.');
        }
        const preference = await toggleReminder(ctx.db, { cohortId: prompt.cohortId, guildId: prompt.guildId }, interaction.user.id, ctx.now());
        const remindHours = (await findCohort(ctx.db, prompt.guildId, prompt.cohortId))?.remindHours ?? 3;
        const again = preference.enabled ? 'Click **Remind me** again to turn them off.' : 'Click **Remind me** again to turn them back on.';
        await respond.send({ content: `Reminders ${preference.enabled ? 'on' : 'off'}. ${reminderSettingText(preference, remindHours)} ${again}` });
      },
    },
  },

  modals: {
    submit: { mode: 'ephemeral', run: submitAnswer },
  },
};
