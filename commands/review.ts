import { type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { AppContext } from '../src/context.ts';
import type { AnswerRow } from '../src/db/repo/answers.ts';
import { confirmBulkAcceptance, gradeAnswer, proposeBulkAcceptance, saveFeedback, toggleStar, type GradeRow } from '../src/db/repo/grading.ts';
import { listQuestions } from '../src/db/repo/questions.ts';
import { countForReview, gradedAnswersOf, nextForReview, ungradedAnswersOf, type ReviewFilters, type ReviewItem } from '../src/db/repo/reviewQueue.ts';
import { slashCommand, type Command, type Handler } from '../src/discord/command.ts';
import { idArg } from '../src/discord/customId.ts';
import { notifyGrade } from '../src/discord/gradeNotification.ts';
import { requireInstructor } from '../src/discord/permissions.ts';
import { alreadyGraded, bulkConfirmation, emptyQueue, GRADE_LABELS, reviewCard, type BulkCandidate } from '../src/discord/render/review.ts';
import { feedbackModal, FEEDBACK_INPUT_ID, FEEDBACK_MAX_LENGTH } from '../src/discord/render/feedbackModal.ts';
import type { Responder } from '../src/discord/responder.ts';
import { UserError } from '../src/errors.ts';
import { suggestGrade, type GradedExample } from '../src/quiz/grading/suggest.ts';
import { GRADES, type AnswerKind, type Grade } from '../src/quiz/types.ts';

const INVALID = 'This review button is not valid any more. Run /review again.';

function parseFilters(args: string[], from: number): ReviewFilters {
  const questionId = idArg(args, from);
  const userId = args[from + 1];
  const kind = args[from + 2];
  if (userId === undefined || !/^(0|\d{17,20})$/.test(userId) || !['all', 'daily', 'practice'].includes(kind ?? '')) throw new UserError(INVALID);
  return { cohortId: null, questionId, userId: userId === '0' ? null : userId, kind: kind === 'all' ? null : (kind as AnswerKind) };
}

function signedPoints(points: number): string {
  return `${points >= 0 ? '+' : ''}${points} point${Math.abs(points) === 1 ? '' : 's'}`;
}

function parseGrade(value: string | undefined): Grade {
  if (!GRADES.includes(value as Grade)) throw new UserError(INVALID);
  return value as Grade;
}

/** Answers confirmed in one bulk acceptance at most: one transaction and one DM each, well within Discord's pace. */
const BULK_MAX = 50;
/** Ungraded answers looked at per offer, oldest first: enough to fill one, few enough to answer at once. */
const BULK_SCAN = 200;

/**
 * The suggestion for an answer, recomputed now from the rules and the grades instructors of this guild already
 * gave to other answers of the question, so the 30th answer benefits from the 29 graded before it.
 */
async function currentSuggestion(ctx: AppContext, guildId: string, question: ReviewItem['question'], body: string, graded?: GradedExample[]) {
  const examples = graded ?? (await gradedAnswersOf(ctx.db, guildId, question.id));
  return { suggestion: suggestGrade(question, body, examples), learnedFrom: examples.length };
}

/** Shows the first ungraded answer from `fromId` on: the same answer again, or with `fromId + 1` the next one. */
async function showQueue(ctx: AppContext, respond: Responder, guildId: string, filters: ReviewFilters, fromId: number, note?: string) {
  const [item, left] = await Promise.all([nextForReview(ctx.db, guildId, filters, fromId), countForReview(ctx.db, guildId, filters)]);
  if (!item) return respond.send(emptyQueue(note));
  await respond.send(reviewCard(item, await currentSuggestion(ctx, guildId, item.question, item.answer.body), left, filters, note));
}

type ComponentInteraction = ButtonInteraction | ModalSubmitInteraction;

/** A review button or form: instructors only (checked here, since a custom id can be forged) and about one answer. */
function onAnswer<I extends ComponentInteraction>(
  mode: Handler<I>['mode'],
  run: (interaction: I, ctx: AppContext, respond: Responder, answerId: number, args: string[]) => Promise<void>,
): Handler<I> {
  return {
    mode,
    async run(interaction, ctx, respond, args) {
      await requireInstructor(interaction, ctx);
      const answerId = idArg(args, 0);
      if (answerId === null) throw new UserError(INVALID);
      await run(interaction, ctx, respond, answerId, args.slice(1));
    },
  };
}

/** The student hears of the grade after the instructor's screen has moved on; a failed DM never undoes it. */
function notifyStudent(interaction: ComponentInteraction, ctx: AppContext, answer: AnswerRow, grade: GradeRow): void {
  void notifyGrade(ctx, { answer, grade, guildName: interaction.guild?.name ?? 'your server' });
}

const grade = onAnswer<ButtonInteraction>('update', async (interaction, ctx, respond, answerId, args) => {
  const chosen = parseGrade(args[0]);
  const filters = parseFilters(args, 1);
  const guildId = interaction.guildId!;
  const result = await gradeAnswer(ctx.db, { guildId, answerId, grade: chosen, graderId: interaction.user.id, now: ctx.now(), regrade: false });
  if (result.status === 'missing') throw new UserError(INVALID);
  if (result.status === 'already') {
    await showQueue(ctx, respond, guildId, filters, answerId + 1);
    const { grade: existing } = result;
    await respond.sendEphemeral(alreadyGraded(answerId, existing.grade, existing.graderId, existing.gradedAt));
    return;
  }
  const note = `✓ Graded <@${result.answer.userId}>'s answer **${GRADE_LABELS[chosen]}** (${signedPoints(result.pointsAdded)}).`;
  await showQueue(ctx, respond, guildId, filters, answerId + 1, note);
  notifyStudent(interaction, ctx, result.answer, result.grade);
});

const regrade = onAnswer<ButtonInteraction>('update', async (interaction, ctx, respond, answerId, args) => {
  const chosen = parseGrade(args[0]);
  const result = await gradeAnswer(ctx.db, { guildId: interaction.guildId!, answerId, grade: chosen, graderId: interaction.user.id, now: ctx.now(), regrade: true });
  if (result.status === 'missing') throw new UserError(INVALID);
  if (result.status === 'already') return respond.send({ content: `It is already graded **${GRADE_LABELS[chosen]}**. Nothing changed.`, components: [] });
  await respond.send({
    content: `Changed from ${GRADE_LABELS[result.previous ?? chosen]} to **${GRADE_LABELS[chosen]}** (${signedPoints(result.pointsAdded)}).`,
    components: [],
  });
  notifyStudent(interaction, ctx, result.answer, result.grade);
});

const skip = onAnswer<ButtonInteraction>('update', (interaction, ctx, respond, answerId, args) =>
  showQueue(ctx, respond, interaction.guildId!, parseFilters(args, 0), answerId + 1),
);

const star = onAnswer<ButtonInteraction>('update', async (interaction, ctx, respond, answerId, args) => {
  const filters = parseFilters(args, 0);
  const starred = await toggleStar(ctx.db, interaction.guildId!, answerId);
  if (starred === null) throw new UserError(INVALID);
  await showQueue(ctx, respond, interaction.guildId!, filters, answerId, starred ? '⭐ Starred for the reveal.' : 'Star removed.');
});

const feedback = onAnswer<ButtonInteraction>('modal', async (_interaction, _ctx, respond, answerId, args) => {
  parseFilters(args, 0);
  await respond.showModal(feedbackModal(answerId, args));
});

const feedbackSubmit = onAnswer<ModalSubmitInteraction>('update', async (interaction, ctx, respond, answerId, args) => {
  const filters = parseFilters(args, 0);
  const field = interaction.fields.fields.get(FEEDBACK_INPUT_ID);
  const text = field && 'value' in field ? String(field.value) : null;
  if (text === null) throw new UserError(INVALID);
  if (text.trim() === '' || text.length > FEEDBACK_MAX_LENGTH) throw new UserError(`Feedback must be 1 to ${FEEDBACK_MAX_LENGTH} characters.`);
  if (text.includes('\u0000')) throw new UserError('Feedback cannot contain NUL characters.');
  const saved = await saveFeedback(ctx.db, { guildId: interaction.guildId!, answerId, feedback: text });
  if (saved.status === 'missing') throw new UserError(INVALID);
  if (saved.status === 'graded') {
    notifyStudent(interaction, ctx, saved.answer!, saved.grade!);
    return showQueue(ctx, respond, interaction.guildId!, filters, answerId + 1, 'Feedback sent with the grade already given.');
  }
  await showQueue(ctx, respond, interaction.guildId!, filters, answerId, 'Feedback saved: it goes to the student with the grade you choose now.');
});

/** Offers to accept the confident suggestions of one question: shows how many and a sample, and asks once. */
const bulk: Handler<ButtonInteraction> = {
  mode: 'update',
  async run(interaction, ctx, respond, args) {
    await requireInstructor(interaction, ctx);
    const questionId = idArg(args, 0);
    const filters = parseFilters(args, 1);
    if (questionId === null) throw new UserError(INVALID);
    const guildId = interaction.guildId!;
    const question = (await listQuestions(ctx.db, guildId, { activeOnly: false })).find((q) => q.id === questionId);
    if (!question) throw new UserError(INVALID);
    const graded = await gradedAnswersOf(ctx.db, guildId, questionId);
    const confident: (BulkCandidate & { answerId: number })[] = [];
    const candidates = await ungradedAnswersOf(ctx.db, guildId, questionId, BULK_SCAN);
    let more = candidates.length === BULK_SCAN;
    for (const answer of candidates) {
      const { suggestion } = await currentSuggestion(ctx, guildId, question, answer.body, graded);
      if (!suggestion?.confident) continue;
      if (confident.length === BULK_MAX) {
        more = true;
        break;
      }
      confident.push({ answerId: answer.id, userId: answer.userId, userName: answer.userName, body: answer.body, grade: suggestion.grade });
    }
    if (confident.length === 0) {
      return showQueue(ctx, respond, guildId, filters, 1, 'No answer to this question has a confident suggestion yet. Grade a few and try again.');
    }
    const items = confident.map(({ answerId, grade: chosen }) => ({ answerId, grade: chosen }));
    const proposalId = await proposeBulkAcceptance(ctx.db, { guildId, questionId, instructorId: interaction.user.id, items, now: ctx.now() });
    await respond.send(bulkConfirmation({ proposalId, question: question.text, candidates: confident, more, filters }));
  },
};

const bulkConfirm: Handler<ButtonInteraction> = {
  mode: 'update',
  async run(interaction, ctx, respond, args) {
    await requireInstructor(interaction, ctx);
    const proposalId = idArg(args, 0);
    const filters = parseFilters(args, 1);
    if (proposalId === null) throw new UserError(INVALID);
    const guildId = interaction.guildId!;
    const result = await confirmBulkAcceptance(ctx.db, { guildId, proposalId, graderId: interaction.user.id, now: ctx.now() });
    if (result.status === 'missing') throw new UserError(INVALID);
    if (result.status === 'confirmed-before') return showQueue(ctx, respond, guildId, filters, 1, 'These suggestions were already accepted. Nothing changed.');
    const others = result.alreadyGraded > 0 ? ` ${result.alreadyGraded} had been graded by someone else meanwhile and kept that grade.` : '';
    const n = result.graded.length;
    await showQueue(ctx, respond, guildId, filters, 1, `✓ Accepted ${n} suggested grade${n === 1 ? '' : 's'}.${others}`);
    for (const graded of result.graded) notifyStudent(interaction, ctx, graded.answer, graded.grade);
  },
};

const bulkCancel: Handler<ButtonInteraction> = {
  mode: 'update',
  async run(interaction, ctx, respond, args) {
    await requireInstructor(interaction, ctx);
    await showQueue(ctx, respond, interaction.guildId!, parseFilters(args, 1), 1, 'Nothing accepted.');
  },
};

export const review: Command = {
  data: slashCommand('review', 'Grade answers, one at a time', 'instructors')
    .addStringOption((o) => o.setName('question').setDescription('Only answers to this question').setAutocomplete(true))
    .addUserOption((o) => o.setName('student').setDescription('Only answers of this student'))
    .addStringOption((o) =>
      o.setName('kind').setDescription('Daily, practice or all (default)').addChoices(
        { name: 'all', value: 'all' },
        { name: 'daily', value: 'daily' },
        { name: 'practice', value: 'practice' },
      ),
    ),

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      await requireInstructor(interaction, ctx);
      const guildId = interaction.guildId!;
      const rawQuestion = interaction.options.getString('question');
      let questionId: number | null = null;
      if (rawQuestion !== null) {
        const bank = await listQuestions(ctx.db, guildId, { activeOnly: false });
        const match = bank.find((q) => String(q.id) === rawQuestion || q.slug === rawQuestion);
        if (!match) throw new UserError('Unknown question: pick one from the list.');
        questionId = match.id;
      }
      const kind = interaction.options.getString('kind');
      const filters: ReviewFilters = {
        cohortId: null,
        questionId,
        userId: interaction.options.getUser('student')?.id ?? null,
        kind: kind === 'daily' || kind === 'practice' ? kind : null,
      };
      await showQueue(ctx, respond, guildId, filters, 1);
    },
  },

  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const bank = await listQuestions(ctx.db, interaction.guildId!, { activeOnly: false });
    const matching = bank.filter((q) => `${q.slug} ${q.text}`.toLowerCase().includes(typed)).slice(0, 25);
    await interaction.respond(matching.map((q) => ({ name: `${q.slug}: ${q.text}`.slice(0, 100), value: String(q.id) })));
  },

  buttons: { grade, regrade, skip, star, feedback, bulk, bulkok: bulkConfirm, bulkno: bulkCancel },
  modals: { feedback: feedbackSubmit },
};
