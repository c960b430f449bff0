import { ActionRowBuilder, ButtonBuilder, ButtonStyle, Colors, EmbedBuilder, userMention } from 'discord.js';
import type { ReviewCount, ReviewFilters, ReviewItem } from '../../db/repo/reviewQueue.ts';
import type { RatedSuggestion } from '../../quiz/grading/suggest.ts';
import type { Grade } from '../../quiz/types.ts';
import { componentIds } from '../componentIds.ts';
import { databaseState, discordTime, fieldValue, plural, shorten, studentText } from './text.ts';
import type { DatabaseProblem } from '../../db/errors.ts';

export const GRADE_LABELS: Record<Grade, string> = { correct: 'Correct', partial: 'Partial', incorrect: 'Incorrect' };

/** Points as a change: "+2 points", "-1 point". */
export function signedPoints(points: number): string {
  return `${points >= 0 ? '+' : ''}${plural(points, 'point')}`;
}

function leftText({ left, more }: ReviewCount): string {
  return `${left}${more ? '+' : ''} left`;
}

/** The suggestion as recomputed for this card: from the rules and the grades already given to this question. */
export interface CardSuggestion {
  suggestion: RatedSuggestion | null;
  /** How many graded answers of this question (this guild) it learned from. */
  learnedFrom: number;
}

function suggestionText({ suggestion, learnedFrom }: CardSuggestion): string {
  if (!suggestion) return 'No suggestion: this question has no reference answer or rubric, and no graded answers yet.';
  const sure = suggestion.confident ? 'confident' : 'not sure';
  const basis = learnedFrom > 0 ? `, learned from ${plural(learnedFrom, 'graded answer')}` : '';
  const found = suggestion.matched.length > 0 ? suggestion.matched.map((p) => `✓ ${p}`).join('\n') : '✓ none';
  const missing = suggestion.missing.map((p) => `✗ ${p}`).join('\n');
  const wrong = suggestion.misconceptions.map((p) => `⚠ ${p}`).join('\n');
  return shorten(
    [`**${GRADE_LABELS[suggestion.grade]}** (${sure}${basis})`, found, missing, wrong].filter(Boolean).join('\n'),
    700,
  );
}

/** An edited answer says so: the card shows its latest version, the export keeps the earlier ones. */
function editedText(answer: { version: number; editedAt: Date | null }): string {
  return answer.editedAt ? `, edited ${discordTime(answer.editedAt, 'R')} (version ${answer.version})` : '';
}

/** The review card: one answer to grade, with everything needed to decide: question, student, answer, suggestion, and what is left. */
export function reviewCard(
  item: ReviewItem,
  suggested: CardSuggestion,
  left: ReviewCount,
  filters: ReviewFilters,
  note?: string,
) {
  const { answer, question, regrade } = item;
  const embed = new EmbedBuilder()
    .setTitle(regrade ? `Regrade request · ${leftText(left)}` : `Review · ${leftText(left)}`)
    .setColor(Colors.Fuchsia)
    .setDescription(studentText(answer.body, 3000))
    .addFields(
      { name: 'Question', value: fieldValue(shorten(question.text, 500)) },
      { name: 'Student', value: `${userMention(answer.userId)} (${studentText(answer.userName, 80)})`, inline: true },
      {
        name: 'Kind',
        value: `${answer.kind}, ${discordTime(answer.createdAt, 'R')}${editedText(answer)}`,
        inline: true,
      },
      {
        name: answer.starred ? 'Suggested grade · ⭐ starred' : 'Suggested grade',
        value: fieldValue(suggestionText(suggested)),
      },
    );
  if (regrade) {
    embed.addFields({
      name: `Regrade request · graded ${GRADE_LABELS[regrade.grade]}, asked ${discordTime(regrade.requestedAt, 'R')}`,
      value: fieldValue(
        `${studentText(regrade.reason, 900)}\n*Click the grade it keeps (Keep) or gets; Comment goes to the student with the decision.*`,
      ),
    });
  }
  if (answer.feedbackDraft) {
    const name = regrade ? 'Comment (sent with the decision)' : 'Feedback (sent with the grade)';
    embed.addFields({ name, value: fieldValue(studentText(answer.feedbackDraft, 600)) });
  }
  const gradeButton = (grade: Grade, style: ButtonStyle) =>
    new ButtonBuilder()
      .setCustomId(componentIds.reviewGrade.encode({ answerId: answer.id, grade, filters, version: answer.version }))
      .setLabel(regrade?.grade === grade ? `Keep ${GRADE_LABELS[grade]}` : GRADE_LABELS[grade])
      .setStyle(style);
  const rows = [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      gradeButton('correct', ButtonStyle.Success),
      gradeButton('partial', ButtonStyle.Primary),
      gradeButton('incorrect', ButtonStyle.Danger),
      new ButtonBuilder()
        .setCustomId(componentIds.reviewSkip.encode({ answerId: answer.id, filters }))
        .setLabel('Skip')
        .setStyle(ButtonStyle.Secondary),
      new ButtonBuilder()
        .setCustomId(componentIds.reviewFeedback.encode({ answerId: answer.id, filters }))
        .setLabel(regrade ? 'Comment' : 'Feedback')
        .setStyle(ButtonStyle.Secondary),
    ),
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(componentIds.reviewStar.encode({ answerId: answer.id, filters }))
        .setLabel(answer.starred ? 'Unstar' : 'Star: show publicly in the reveal')
        .setStyle(ButtonStyle.Secondary),
      new ButtonBuilder()
        .setCustomId(componentIds.reviewBulk.encode({ questionId: question.id, filters }))
        .setLabel('Accept confident suggestions…')
        .setStyle(ButtonStyle.Secondary),
    ),
  ];
  return { content: note ? shorten(note, 2000) : '', embeds: [embed], components: rows };
}

/**
 * What happened (the note: a grade saved, a star set) when the next card could not be read: the note stands, and
 * the instructor is told to open the queue again, not that nothing was saved.
 */
export function nextCardUnavailable(note: string, problem: DatabaseProblem) {
  const text = `The next answer could not be loaded (${databaseState(problem)} right now). Run /review again in a minute.`;
  return { content: shorten(`${note}\n${text}`, 2000), embeds: [], components: [] };
}

export function emptyQueue(note?: string) {
  const text = 'Nothing left to review with these filters. 🎉';
  return { content: note ? shorten(`${note}\n${text}`, 2000) : text, embeds: [], components: [] };
}

/** Told to the second instructor (or a double click): who graded it, with buttons to change the grade. */
export function alreadyGraded(answerId: number, grade: Grade, graderId: string, gradedAt: Date) {
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    (['correct', 'partial', 'incorrect'] as const)
      .filter((other) => other !== grade)
      .map((other) =>
        new ButtonBuilder()
          .setCustomId(componentIds.reviewRegrade.encode({ answerId, grade: other }))
          .setLabel(`Change to ${GRADE_LABELS[other]}`)
          .setStyle(ButtonStyle.Secondary),
      ),
  );
  return {
    content: `This answer was already graded **${GRADE_LABELS[grade]}** by ${userMention(graderId)} ${discordTime(gradedAt, 'R')}. Nothing changed.`,
    embeds: [],
    components: [row],
  };
}

export function gradeNotice(input: {
  grade: Grade;
  question: string;
  feedback: string | null;
  points: number;
  guildName: string;
}) {
  const embed = new EmbedBuilder()
    .setTitle(`Your answer was graded: ${GRADE_LABELS[input.grade]}`)
    .setColor(input.grade === 'correct' ? Colors.Green : input.grade === 'partial' ? Colors.Yellow : Colors.Red)
    .addFields(
      { name: 'Question', value: fieldValue(shorten(input.question, 1000)) },
      { name: 'Points for this answer', value: String(input.points), inline: true },
      { name: 'Server', value: fieldValue(shorten(input.guildName, 100)), inline: true },
    );
  if (input.feedback) embed.addFields({ name: 'Feedback', value: fieldValue(input.feedback) });
  return { embeds: [embed] };
}

export interface BulkCandidate {
  userId: string;
  userName: string;
  body: string;
  grade: Grade;
}

/** Shown once before a bulk acceptance: how many answers, their grades, a sample, and one confirm button. */
export function bulkConfirmation(input: {
  proposalId: number;
  question: string;
  candidates: BulkCandidate[];
  more: boolean;
  filters: ReviewFilters;
}) {
  const { candidates } = input;
  const counts = (['correct', 'partial', 'incorrect'] as const)
    .map((grade) => [grade, candidates.filter((candidate) => candidate.grade === grade).length] as const)
    .filter(([, n]) => n > 0)
    .map(([grade, n]) => `${n} ${GRADE_LABELS[grade]}`)
    .join(', ');
  const n = candidates.length;
  const embed = new EmbedBuilder()
    .setTitle(`Accept ${plural(n, 'confident suggestion')}?`)
    .setColor(Colors.Fuchsia)
    .setDescription(
      shorten(
        `${counts}. Each becomes your grade: points, a DM to the student, the study card; you can change any later.` +
          (input.more ? ' More confident answers remain: accept again after these.' : ''),
        1000,
      ),
    )
    .addFields(
      { name: 'Question', value: fieldValue(shorten(input.question, 500)) },
      ...candidates.slice(0, 3).map((candidate) => ({
        name: `Sample: ${GRADE_LABELS[candidate.grade]}`,
        value: fieldValue(
          `${userMention(candidate.userId)} (${studentText(candidate.userName, 80)}): ${studentText(candidate.body, 300)}`,
        ),
      })),
    );
  const { proposalId, filters } = input;
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(componentIds.reviewBulkConfirm.encode({ proposalId, filters }))
      .setLabel(`Grade these ${n}`)
      .setStyle(ButtonStyle.Success),
    new ButtonBuilder()
      .setCustomId(componentIds.reviewBulkCancel.encode({ proposalId, filters }))
      .setLabel('Cancel')
      .setStyle(ButtonStyle.Secondary),
  );
  return { content: '', embeds: [embed], components: [row] };
}
