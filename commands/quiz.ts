import type { AppContext } from '../src/context.ts';
import { databaseErrorSummary, databaseProblem } from '../src/db/errors.ts';
import { editAnswer, findEditableAnswer, findOwnAnswer, type EditRefusal } from '../src/db/repo/answerEdits.ts';
import { recordAnswer } from '../src/db/repo/answers.ts';
import { openDailyQuestionIds } from '../src/db/repo/daily.ts';
import { callerCohort, findCohort } from '../src/db/repo/cohorts.ts';
import { createPracticePrompt, findPromptById, lastPracticeQuestionId } from '../src/db/repo/prompts.ts';
import { activeTopics, listQuestions } from '../src/db/repo/questions.ts';
import { toggleReminder } from '../src/db/repo/reminders.ts';
import { studyProgress } from '../src/db/repo/studyCards.ts';
import { on, slashCommand, type Command, type ModalSubmit } from '../src/discord/command.ts';
import { callerOf } from '../src/discord/cohortOption.ts';
import { componentIds } from '../src/discord/componentIds.ts';
import { readTextField } from '../src/discord/modalFields.ts';
import {
  answerButtonRow,
  answerField,
  answerModal,
  editModal,
  questionEmbed,
  questionFromMessage,
} from '../src/discord/render/question.ts';
import { dailyReceipt, practiceReceipt } from '../src/discord/render/receipt.ts';
import { reminderSettingText } from '../src/discord/render/reminder.ts';
import { shorten } from '../src/discord/render/text.ts';
import type { Responder } from '../src/discord/responder.ts';
import { UserError } from '../src/errors.ts';
import { suggestGrade } from '../src/quiz/grading/suggest.ts';
import { choosePracticeQuestion } from '../src/quiz/selection.ts';

const MAX_CHOICES = 25;

const ANSWER_MESSAGES = {
  notYours: 'This practice question was given to someone else. Run /quiz for your own.',
  retired: 'This question has been retired from the bank, so answers are no longer taken. Run /quiz for another.',
  closed: 'This question is closed: its answer window has ended, so your answer was not saved.',
  duplicate: 'Your answer to this question was already received. It was not changed.',
  databaseDown: 'Your answer was NOT saved: the database is unavailable. Please submit it again in a minute.',
  storageFull:
    "Your answer was NOT saved: the bot's disk is full. The operator has been told; please submit it again later.",
  busy: 'Your answer was NOT saved: the database is busy. Please submit it again in a minute.',
  notSaved: 'Your answer was NOT saved because something went wrong on our side. Please submit it again.',
} as const;

const REFUSALS = {
  missing: componentIds.quizSubmit.refusal,
  'not-yours': ANSWER_MESSAGES.notYours,
  retired: ANSWER_MESSAGES.retired,
  closed: ANSWER_MESSAGES.closed,
} as const;

/** The Answer modal's submit, for practice and daily questions alike: validate, store, then say "saved". */
async function submitAnswer(
  interaction: ModalSubmit,
  ctx: AppContext,
  respond: Responder,
  { promptId }: { promptId: number },
): Promise<void> {
  const body = readTextField(interaction, answerField);
  const guildId = interaction.guildId;
  const result = await recordAnswer(ctx.db, {
    guildId,
    promptId,
    userId: interaction.user.id,
    userName:
      interaction.member && 'displayName' in interaction.member
        ? interaction.member.displayName
        : interaction.user.username,
    body,
    suggest: (question, answer) => suggestGrade(question, answer),
    now: ctx.now(),
  }).catch((error: unknown) => {
    const problem = databaseProblem(error);
    const where = { promptId, userId: interaction.user.id, guildId };
    // A full disk is logged once, when it fills; a timeout says which wait gave up; anything else in full.
    if (problem === 'busy')
      ctx.logger.warn({ ...where, ...databaseErrorSummary(error) }, 'answer not saved: the database was busy');
    else if (problem !== 'storageFull') ctx.logger.error({ ...where, err: error }, 'answer not saved');
    throw new UserError(
      problem === 'unavailable'
        ? ANSWER_MESSAGES.databaseDown
        : problem
          ? ANSWER_MESSAGES[problem]
          : ANSWER_MESSAGES.notSaved,
    );
  });
  if (result.status === 'duplicate') return offerEdit(interaction, ctx, respond, promptId);
  if (result.status !== 'saved') throw new UserError(REFUSALS[result.status]);
  const { prompt, question, suggestion } = result;
  ctx.logger.info({ guildId, promptId, userId: interaction.user.id, kind: prompt.kind }, 'answer saved');
  if (prompt.kind === 'daily') {
    ctx.dailyPostRefresh?.request(prompt.id);
    const { answer } = result;
    await respond.send(
      dailyReceipt({
        answerId: answer.id,
        version: answer.version,
        body: answer.body,
        closesAt: prompt.closesAt,
        pointsAdded: result.pointsAdded,
      }),
    );
    return;
  }
  // Read after the answer is stored, so a daily post claimed meanwhile holds the reference back too. The answer
  // is saved whatever happens here: if this read fails, the reference is held back rather than risked.
  const openDaily = await openDailyQuestionIds(ctx.db, guildId, ctx.now()).catch(() => new Map([[question.id, null]]));
  await respond.send({
    embeds: [
      practiceReceipt({
        referenceAnswer: question.referenceAnswer,
        suggestion,
        pointsAdded: result.pointsAdded,
        firstForQuestion: result.answer.firstForQuestion,
        ...(openDaily.has(question.id) ? { heldUntil: openDaily.get(question.id) ?? null } : {}),
      }),
    ],
  });
}

const EDIT_MESSAGES: Record<EditRefusal, string> = {
  missing: componentIds.quizEdit.refusal,
  'not-yours': 'This is not your answer: you can only edit your own.',
  practice:
    'Practice answers cannot be edited: each practice question takes one answer. Run /quiz for another question.',
  closed:
    'This question has closed, so your answer can no longer be edited. The version you saved last is the one that counts.',
  graded:
    'An instructor has already graded your answer, so it can no longer be edited. The version they graded is the one that counts.',
};

/** A second answer to the same daily question changes nothing; the student is shown the Edit button of the first. */
async function offerEdit(
  interaction: ModalSubmit,
  ctx: AppContext,
  respond: Responder,
  promptId: number,
): Promise<void> {
  const found = await findOwnAnswer(ctx.db, {
    guildId: interaction.guildId,
    promptId,
    userId: interaction.user.id,
    now: ctx.now(),
  });
  if (found.status !== 'editable') throw new UserError(ANSWER_MESSAGES.duplicate);
  const { answer, prompt } = found;
  const receipt = dailyReceipt({
    answerId: answer.id,
    version: answer.version,
    body: answer.body,
    closesAt: prompt.closesAt,
    pointsAdded: 0,
  });
  await respond.send({ content: `${ANSWER_MESSAGES.duplicate} To change it, click **Edit**.`, ...receipt });
}

/** The Edit form's submit: the new version replaces the one the form was filled with, then the receipt shows it. */
async function submitEdit(
  interaction: ModalSubmit,
  ctx: AppContext,
  respond: Responder,
  { answerId, version }: { answerId: number; version: number },
) {
  const body = readTextField(interaction, answerField);
  const { guildId } = interaction;
  const result = await editAnswer(ctx.db, {
    guildId,
    answerId,
    userId: interaction.user.id,
    fromVersion: version,
    body,
    suggest: (question, text) => suggestGrade(question, text),
    now: ctx.now(),
  });
  if (result.status === 'stale') {
    throw new UserError(
      'Your answer was changed in another window after you opened this form, so this edit was not saved. Click Edit again to start from the latest version.',
    );
  }
  if (result.status !== 'edited' && result.status !== 'duplicate') throw new UserError(EDIT_MESSAGES[result.status]);
  const { answer, prompt } = result;
  if (result.status === 'edited')
    ctx.logger.info({ guildId, answerId, userId: interaction.user.id, version: answer.version }, 'answer edited');
  await respond.send({
    content: '',
    ...dailyReceipt({
      answerId,
      version: answer.version,
      body: answer.body,
      closesAt: prompt.closesAt,
      pointsAdded: 0,
    }),
  });
}

export const quiz: Command = {
  data: slashCommand('quiz', 'A practice question, just for you', 'everyone').addStringOption((option) =>
    option.setName('topic').setDescription('Only questions on this topic').setAutocomplete(true).setMaxLength(100),
  ),
  instructorOnly: false,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      const guildId = interaction.guildId;
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
      const questionId = choosePracticeQuestion({
        questions: practicable,
        progress,
        lastQuestionId,
        topic,
        now: ctx.now(),
      });
      const question = bank.find((row) => row.id === questionId);
      if (!question) {
        throw new UserError(
          openDaily.size > 0 && topic
            ? `The only question on "${topic.slice(0, 100)}" is today's daily question: answer it in the daily post.`
            : 'There are no questions to practise yet. Ask an instructor to import some.',
        );
      }
      // Practice counts in the caller's cohort: this channel's, else their cohort role's, else the server's first.
      const cohort = await callerCohort(ctx.db, guildId, callerOf(interaction));
      const prompt = await createPracticePrompt(ctx.db, {
        guildId,
        cohortId: cohort.id,
        userId,
        questionId: question.id,
        now: ctx.now(),
      });
      await respond.send({
        embeds: [
          questionEmbed({
            title: 'Practice question',
            question: question.text,
            topic: question.topic,
            footer: 'Only you can see this question.',
          }),
        ],
        components: [answerButtonRow(prompt.id)],
      });
    },
  },

  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const topics = await activeTopics(ctx.db, interaction.guildId);
    const matching = topics.filter((topic) => topic.toLowerCase().includes(typed)).slice(0, MAX_CHOICES);
    await interaction.respond(matching.map((topic) => ({ name: topic.slice(0, 100), value: topic.slice(0, 100) })));
  },

  components: [
    // The modal must be the first response: it is built from the clicked message alone, without the database.
    on(componentIds.quizAnswer, {
      mode: 'modal',
      async run(interaction, _ctx, respond, { promptId }) {
        await respond.showModal(answerModal(promptId, questionFromMessage(interaction.message)));
      },
    }),
    // The button names no student: whoever clicks is the one whose reminders change.
    on(componentIds.quizRemind, {
      mode: 'ephemeral',
      async run(interaction, ctx, respond, { promptId }) {
        const prompt = (await findPromptById(ctx.db, promptId))?.prompt;
        if (!prompt || prompt.guildId !== interaction.guildId || prompt.kind !== 'daily' || !prompt.messageId) {
          throw new UserError(componentIds.quizRemind.refusal);
        }
        if (prompt.closedAt || (prompt.closesAt && prompt.closesAt <= ctx.now())) {
          throw new UserError('This daily question has closed. Click Remind me on the next one, or choose in /me.');
        }
        const preference = await toggleReminder(
          ctx.db,
          { guildId: prompt.guildId, cohortId: prompt.cohortId },
          interaction.user.id,
          ctx.now(),
        );
        const remindHours = (await findCohort(ctx.db, prompt.guildId, prompt.cohortId))?.remindHours ?? 3;
        const again = preference.enabled
          ? 'Click **Remind me** again to turn them off.'
          : 'Click **Remind me** again to turn them back on.';
        await respond.send({
          content: `Reminders ${preference.enabled ? 'on' : 'off'}. ${reminderSettingText(preference, remindHours)} ${again}`,
        });
      },
    }),
    on(componentIds.quizSubmit, { mode: 'ephemeral', run: submitAnswer }),
    // The one modal filled from the database: the Edit form holds the stored answer, and a refusal (someone else's
    // answer, closed, graded) comes before the student types. One indexed read; the answer's id is in the button.
    on(componentIds.quizEdit, {
      mode: 'modal',
      async run(interaction, ctx, respond, { answerId }) {
        const found = await findEditableAnswer(ctx.db, {
          guildId: interaction.guildId,
          answerId,
          userId: interaction.user.id,
          now: ctx.now(),
        });
        if (found.status !== 'editable') throw new UserError(EDIT_MESSAGES[found.status]);
        // The latest version, whatever the clicked receipt shows.
        await respond.showModal(editModal(answerId, found.answer.version, found.answer.body));
      },
    }),
    on(componentIds.quizRevise, { mode: 'update', run: submitEdit }),
  ],
};
