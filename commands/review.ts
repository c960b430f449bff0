import type { AppContext } from '../src/context.ts';
import type { AnswerRow } from '../src/db/repo/answers.ts';
import {
  confirmBulkAcceptance,
  gradeAnswer,
  proposeBulkAcceptance,
  saveFeedback,
  toggleStar,
  type GradeRow,
} from '../src/db/repo/grading.ts';
import { listQuestions } from '../src/db/repo/questions.ts';
import {
  countForReview,
  gradedAnswersOf,
  nextForReview,
  ungradedAnswersOf,
  type ReviewFilters,
  type ReviewItem,
} from '../src/db/repo/reviewQueue.ts';
import { on, slashCommand, type ButtonPress, type Command, type ModalSubmit } from '../src/discord/command.ts';
import { cohortChoices, cohortFromOption, cohortOption, COHORT_OPTION } from '../src/discord/cohortOption.ts';
import { componentIds } from '../src/discord/componentIds.ts';
import { notifyGrade, notifyRegradeDecision } from '../src/discord/gradeNotification.ts';
import { findPromptById } from '../src/db/repo/prompts.ts';
import { readTextField } from '../src/discord/modalFields.ts';
import { feedbackField, feedbackModal } from '../src/discord/render/feedbackModal.ts';
import {
  alreadyGraded,
  bulkConfirmation,
  emptyQueue,
  nextCardUnavailable,
  GRADE_LABELS,
  reviewCard,
  signedPoints,
  type BulkCandidate,
} from '../src/discord/render/review.ts';
import { plural } from '../src/discord/render/text.ts';
import type { Responder } from '../src/discord/responder.ts';
import { UserError } from '../src/errors.ts';
import { databaseErrorSummary, databaseProblem } from '../src/db/errors.ts';
import { fetchGuild } from '../src/discord/guilds.ts';
import { suggestGrade, type GradedExample } from '../src/quiz/grading/suggest.ts';
import type { Grade } from '../src/quiz/types.ts';

const INVALID = componentIds.reviewGrade.refusal;

/** Answers confirmed in one bulk acceptance at most: one transaction and one DM each, well within Discord's pace. */
const BULK_MAX = 50;
/** Ungraded answers looked at per offer, oldest first: enough to fill one, few enough to answer at once. */
const BULK_SCAN = 200;

/**
 * The suggestion for an answer, recomputed now from the rules and the grades instructors of this guild already
 * gave to other answers of the question, so the 30th answer benefits from the 29 graded before it.
 */
async function currentSuggestion(
  ctx: AppContext,
  guildId: string,
  question: ReviewItem['question'],
  body: string,
  graded?: GradedExample[],
) {
  const examples = graded ?? (await gradedAnswersOf(ctx.db, guildId, question.id));
  return { suggestion: suggestGrade(question, body, examples), learnedFrom: examples.length };
}

/** Shows the first ungraded answer from `fromId` on: the same answer again, or with `fromId + 1` the next one. */
async function showQueue(
  ctx: AppContext,
  respond: Responder,
  guildId: string,
  filters: ReviewFilters,
  fromId: number,
  note?: string,
) {
  let card: Parameters<Responder['send']>[0];
  try {
    const [item, left] = await Promise.all([
      nextForReview(ctx.db, guildId, filters, fromId),
      countForReview(ctx.db, guildId, filters),
    ]);
    card = item
      ? reviewCard(item, await currentSuggestion(ctx, guildId, item.question, item.answer.body), left, filters, note)
      : emptyQueue(note);
  } catch (error) {
    // The note tells what this click did (a grade saved, a star set): it stands, whatever happens to the next card.
    const problem = databaseProblem(error);
    if (!note || !problem) throw error;
    ctx.logger.warn({ guildId, ...databaseErrorSummary(error) }, 'the next review card could not be read');
    card = nextCardUnavailable(note, problem);
  }
  await respond.send(card);
}

/** The student hears of the grade after the instructor's screen has moved on; a failed DM never undoes it. */
function notifyStudent(
  interaction: ButtonPress | ModalSubmit,
  ctx: AppContext,
  answer: AnswerRow,
  grade: GradeRow,
): void {
  void fetchGuild(interaction).then((guild) =>
    notifyGrade(ctx, { answer, grade, guildName: guild?.name ?? 'your server' }),
  );
}

// Every review button and form is for instructors only: the router checks it (`instructorOnly`) before these run.
const grade = on(componentIds.reviewGrade, {
  mode: 'update',
  async run(interaction, ctx, respond, { answerId, grade: chosen, filters, version }) {
    const { guildId } = interaction;
    const graderId = interaction.user.id;
    const input = {
      guildId,
      answerId,
      grade: chosen,
      graderId,
      now: ctx.now(),
      regrade: false,
      decidesRegrade: true,
      seenVersion: version,
    };
    const result = await gradeAnswer(ctx.db, input);
    if (result.status === 'missing') throw new UserError(INVALID);
    if (result.status === 'edited') {
      return showQueue(
        ctx,
        respond,
        guildId,
        filters,
        answerId,
        'The student edited this answer while you had it open: here is the new version. Nothing was graded.',
      );
    }
    if (result.status === 'regrade-decided') {
      await showQueue(ctx, respond, guildId, filters, answerId + 1, regradeDecidedNote(result, chosen));
      tellRegradeDecision(interaction, ctx, result, chosen);
      return;
    }
    if (result.status === 'already') {
      await showQueue(ctx, respond, guildId, filters, answerId + 1);
      const { grade: existing } = result;
      await respond.sendEphemeral(alreadyGraded(answerId, existing.grade, existing.graderId, existing.gradedAt));
      return;
    }
    const note = `✓ Graded <@${result.answer.userId}>'s answer **${GRADE_LABELS[chosen]}** (${signedPoints(result.pointsAdded)}).`;
    await showQueue(ctx, respond, guildId, filters, answerId + 1, note);
    notifyStudent(interaction, ctx, result.answer, result.grade);
  },
});

const regrade = on(componentIds.reviewRegrade, {
  mode: 'update',
  async run(interaction, ctx, respond, { answerId, grade: chosen }) {
    const result = await gradeAnswer(ctx.db, {
      guildId: interaction.guildId,
      answerId,
      grade: chosen,
      graderId: interaction.user.id,
      now: ctx.now(),
      regrade: true,
      // A student's open regrade request on this answer is answered by the change, not left in the queue.
      decidesRegrade: true,
    });
    if (result.status === 'missing') throw new UserError(INVALID);
    if (result.status === 'regrade-decided') {
      await respond.send({ content: regradeDecidedNote(result, chosen), components: [] });
      tellRegradeDecision(interaction, ctx, result, chosen);
      return;
    }
    if (result.status !== 'graded')
      return respond.send({
        content: `It is already graded **${GRADE_LABELS[chosen]}**. Nothing changed.`,
        components: [],
      });
    await respond.send({
      content: `Changed from ${GRADE_LABELS[result.previous ?? chosen]} to **${GRADE_LABELS[chosen]}** (${signedPoints(result.pointsAdded)}).`,
      components: [],
    });
    notifyStudent(interaction, ctx, result.answer, result.grade);
  },
});

type RegradeDecided = Extract<Awaited<ReturnType<typeof gradeAnswer>>, { status: 'regrade-decided' }>;

/** What the instructor is told once a grade button answered a regrade request. */
function regradeDecidedNote(result: RegradeDecided, chosen: Grade): string {
  const what =
    result.request.outcome === 'kept'
      ? `kept **${GRADE_LABELS[chosen]}**`
      : `changed from ${GRADE_LABELS[result.previous]} to **${GRADE_LABELS[chosen]}** (${signedPoints(result.pointsAdded)})`;
  return `✓ Regrade request of <@${result.answer.userId}>: ${what}. The student is told.`;
}

/** The decision to the student, by direct message (or in /me): after the instructor's response. */
function tellRegradeDecision(
  interaction: Parameters<typeof fetchGuild>[0],
  ctx: AppContext,
  result: RegradeDecided,
  chosen: Grade,
): void {
  void (async () => {
    const question = (await findPromptById(ctx.db, result.answer.promptId))?.question.text ?? '';
    await notifyRegradeDecision(ctx, {
      request: result.request,
      previous: result.previous,
      grade: chosen,
      question,
      pointsAdded: result.pointsAdded,
      guildName: (await fetchGuild(interaction))?.name ?? 'your server',
    });
  })().catch((error: unknown) =>
    ctx.logger.warn({ err: error, answerId: result.answer.id }, 'regrade decision not sent'),
  );
}

const skip = on(componentIds.reviewSkip, {
  mode: 'update',
  run: (interaction, ctx, respond, { answerId, filters }) =>
    showQueue(ctx, respond, interaction.guildId, filters, answerId + 1),
});

const star = on(componentIds.reviewStar, {
  mode: 'update',
  async run(interaction, ctx, respond, { answerId, filters }) {
    const starred = await toggleStar(ctx.db, interaction.guildId, answerId);
    if (starred === null) throw new UserError(INVALID);
    await showQueue(
      ctx,
      respond,
      interaction.guildId,
      filters,
      answerId,
      starred ? '⭐ Starred for the reveal.' : 'Star removed.',
    );
  },
});

const feedback = on(componentIds.reviewFeedback, {
  mode: 'modal',
  async run(_interaction, _ctx, respond, { answerId, filters }) {
    await respond.showModal(feedbackModal(answerId, filters));
  },
});

const feedbackSubmit = on(componentIds.reviewFeedbackForm, {
  mode: 'update',
  async run(interaction, ctx, respond, { answerId, filters }) {
    const text = readTextField(interaction, feedbackField);
    const { guildId } = interaction;
    const saved = await saveFeedback(ctx.db, { guildId, answerId, feedback: text });
    if (saved.status === 'missing') throw new UserError(INVALID);
    if (saved.answer?.regradeOpen) {
      return showQueue(
        ctx,
        respond,
        guildId,
        filters,
        answerId,
        'Comment saved: it goes to the student with your decision (Keep, or another grade).',
      );
    }
    if (saved.status === 'unchanged')
      return showQueue(ctx, respond, guildId, filters, answerId + 1, 'That feedback was already sent with the grade.');
    if (saved.status === 'graded') {
      notifyStudent(interaction, ctx, saved.answer!, saved.grade!);
      return showQueue(ctx, respond, guildId, filters, answerId + 1, 'Feedback sent with the grade already given.');
    }
    await showQueue(
      ctx,
      respond,
      guildId,
      filters,
      answerId,
      'Feedback saved: it goes to the student with the grade you choose now.',
    );
  },
});

/** Offers to accept the confident suggestions of one question: shows how many and a sample, and asks once. */
const bulk = on(componentIds.reviewBulk, {
  mode: 'update',
  async run(interaction, ctx, respond, { questionId, filters }) {
    const { guildId } = interaction;
    const question = (await listQuestions(ctx.db, guildId, { activeOnly: false })).find((q) => q.id === questionId);
    if (!question) throw new UserError(INVALID);
    const graded = await gradedAnswersOf(ctx.db, guildId, questionId);
    const confident: (BulkCandidate & { answerId: number; version: number })[] = [];
    const candidates = await ungradedAnswersOf(ctx.db, guildId, questionId, BULK_SCAN, filters.cohortId);
    let more = candidates.length === BULK_SCAN;
    for (const answer of candidates) {
      const { suggestion } = await currentSuggestion(ctx, guildId, question, answer.body, graded);
      if (!suggestion?.confident) continue;
      if (confident.length === BULK_MAX) {
        more = true;
        break;
      }
      confident.push({
        answerId: answer.id,
        userId: answer.userId,
        userName: answer.userName,
        body: answer.body,
        grade: suggestion.grade,
        version: answer.version,
      });
    }
    if (confident.length === 0) {
      return showQueue(
        ctx,
        respond,
        guildId,
        filters,
        1,
        'No answer to this question has a confident suggestion yet. Grade a few and try again.',
      );
    }
    const items = confident.map(({ answerId, grade: chosen, version }) => ({ answerId, grade: chosen, version }));
    const proposalId = await proposeBulkAcceptance(ctx.db, {
      guildId,
      questionId,
      instructorId: interaction.user.id,
      items,
      now: ctx.now(),
    });
    await respond.send(bulkConfirmation({ proposalId, question: question.text, candidates: confident, more, filters }));
  },
});

const bulkConfirm = on(componentIds.reviewBulkConfirm, {
  mode: 'update',
  async run(interaction, ctx, respond, { proposalId, filters }) {
    const { guildId } = interaction;
    const result = await confirmBulkAcceptance(ctx.db, {
      guildId,
      proposalId,
      graderId: interaction.user.id,
      now: ctx.now(),
    });
    if (result.status === 'missing') throw new UserError(INVALID);
    if (result.status === 'confirmed-before')
      return showQueue(ctx, respond, guildId, filters, 1, 'These suggestions were already accepted. Nothing changed.');
    const others =
      (result.alreadyGraded > 0
        ? ` ${result.alreadyGraded} had been graded by someone else meanwhile and kept that grade.`
        : '') +
      (result.editedMeanwhile > 0
        ? ` ${plural(result.editedMeanwhile, 'answer')} had been edited by the student since: still in the queue.`
        : '');
    await showQueue(
      ctx,
      respond,
      guildId,
      filters,
      1,
      `✓ Accepted ${plural(result.graded.length, 'suggested grade')}.${others}`,
    );
    for (const graded of result.graded) notifyStudent(interaction, ctx, graded.answer, graded.grade);
  },
});

const bulkCancel = on(componentIds.reviewBulkCancel, {
  mode: 'update',
  run: (interaction, ctx, respond, { filters }) =>
    showQueue(ctx, respond, interaction.guildId, filters, 1, 'Nothing accepted.'),
});

export const review: Command = {
  data: slashCommand('review', 'Grade answers, one at a time', 'instructors')
    .addStringOption((o) => o.setName('question').setDescription('Only answers to this question').setAutocomplete(true))
    .addUserOption((o) => o.setName('student').setDescription('Only answers of this student'))
    .addStringOption((o) =>
      o
        .setName('kind')
        .setDescription('Daily, practice, regrade requests, or all (default)')
        .addChoices(
          { name: 'all', value: 'all' },
          { name: 'daily', value: 'daily' },
          { name: 'practice', value: 'practice' },
          { name: 'regrade requests', value: 'regrade' },
        ),
    )
    .addStringOption((o) => cohortOption(o, 'Only answers given in this cohort')),
  instructorOnly: true,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      const { guildId } = interaction;
      const rawQuestion = interaction.options.getString('question');
      let questionId: number | null = null;
      if (rawQuestion !== null) {
        const bank = await listQuestions(ctx.db, guildId, { activeOnly: false });
        const match = bank.find((q) => String(q.id) === rawQuestion || q.slug === rawQuestion);
        if (!match) throw new UserError('Unknown question: pick one from the list.');
        questionId = match.id;
      }
      const kind = interaction.options.getString('kind');
      const cohort = await cohortFromOption(ctx, guildId, interaction.options.getString(COHORT_OPTION), {
        includeRemoved: true,
      });
      const filters: ReviewFilters = {
        cohortId: cohort?.id ?? null,
        questionId,
        userId: interaction.options.getUser('student')?.id ?? null,
        kind: kind === 'daily' || kind === 'practice' || kind === 'regrade' ? kind : null,
      };
      await showQueue(ctx, respond, guildId, filters, 1);
    },
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === COHORT_OPTION)
      return interaction.respond(
        await cohortChoices(ctx, interaction.guildId, focused.value, { includeRemoved: true }),
      );
    const typed = focused.value.toLowerCase();
    const bank = await listQuestions(ctx.db, interaction.guildId, { activeOnly: false });
    const matching = bank.filter((q) => `${q.slug} ${q.text}`.toLowerCase().includes(typed)).slice(0, 25);
    await interaction.respond(
      matching.map((q) => ({ name: `${q.slug}: ${q.text}`.slice(0, 100), value: String(q.id) })),
    );
  },

  components: [grade, regrade, skip, star, feedback, feedbackSubmit, bulk, bulkConfirm, bulkCancel],
};
