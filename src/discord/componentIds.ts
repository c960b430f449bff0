import type { ReviewFilters } from '../db/repo/reviewQueue.ts';
import { GRADES } from '../quiz/types.ts';
import { button, idArg, modal, parseDatabaseId, type IdArg } from './customId.ts';

/**
 * The /review queue's filters, carried by every review button so the next card keeps the instructor's options:
 * question id (0: any), student id (0: any), kind (all, daily, practice or regrade), cohort id (0: every cohort).
 */
const reviewFilters: IdArg<ReviewFilters> = {
  width: 4,
  encode: (filters) => [
    String(filters.questionId ?? 0),
    filters.userId ?? '0',
    filters.kind ?? 'all',
    String(filters.cohortId ?? 0),
  ],
  parse([questionId, userId, kind, cohortId]) {
    const question = questionId === '0' ? null : parseDatabaseId(questionId);
    if (question === null && questionId !== '0') return null;
    if (userId === undefined || !/^(0|\d{17,20})$/.test(userId)) return null;
    if (kind !== 'all' && kind !== 'daily' && kind !== 'practice' && kind !== 'regrade') return null;
    const cohort = cohortId === '0' ? null : parseDatabaseId(cohortId);
    if (cohort === null && cohortId !== '0') return null;
    return {
      cohortId: cohort,
      questionId: question,
      userId: userId === '0' ? null : userId,
      kind: kind === 'all' ? null : kind,
    };
  },
};

const REVIEW_INVALID = 'This review button is not valid any more. Run /review again.';
const REMINDER_CHOICES = ['channel', 'dm', 'off'] as const;

/** Every custom id the bot sends, with its arguments; a test checks that each has exactly one handler. */
export const componentIds = {
  quizAnswer: button('quiz', 'answer', { promptId: idArg.id }, 'This Answer button is not valid. Run /quiz again.'),
  quizRemind: button(
    'quiz',
    'remind',
    { promptId: idArg.id },
    'This Remind me button is not valid. Use the one on a daily question in this server, or /me.',
  ),
  quizSubmit: modal(
    'quiz',
    'submit',
    { promptId: idArg.id },
    'This answer form is not valid. Run /quiz again, or use the Answer button of the daily question.',
  ),
  quizEdit: button(
    'quiz',
    'edit',
    { answerId: idArg.id },
    'This Edit button is not valid. Use the one on the receipt of your daily answer.',
  ),
  /** `version`: the one the form was filled with, so the edit replaces exactly it. */
  quizRevise: modal(
    'quiz',
    'revise',
    { answerId: idArg.id, version: idArg.id },
    'This edit form is not valid. Click Edit on the receipt of your daily answer again.',
  ),
  /** On a grade's direct message and in /me: the answer graded. Works in direct messages too. */
  meRegrade: button(
    'me',
    'regrade',
    { answerId: idArg.id },
    'This Ask for a regrade button is not valid. Run /me in the server to see the grades you can ask about.',
  ),
  meRegradeForm: modal(
    'me',
    'regradewhy',
    { answerId: idArg.id },
    'This regrade form is not valid. Click Ask for a regrade again.',
  ),
  meReminders: button(
    'me',
    'reminders',
    { cohortId: idArg.id, choice: idArg.oneOf(REMINDER_CHOICES) },
    'This button is not valid any more. Run /me again.',
  ),
  /** `version`: the answer's version on the card, so a grade never lands on an edit the instructor has not seen. */
  reviewGrade: button(
    'review',
    'grade',
    { answerId: idArg.id, grade: idArg.oneOf(GRADES), filters: reviewFilters, version: idArg.id },
    REVIEW_INVALID,
  ),
  reviewRegrade: button('review', 'regrade', { answerId: idArg.id, grade: idArg.oneOf(GRADES) }, REVIEW_INVALID),
  reviewSkip: button('review', 'skip', { answerId: idArg.id, filters: reviewFilters }, REVIEW_INVALID),
  reviewStar: button('review', 'star', { answerId: idArg.id, filters: reviewFilters }, REVIEW_INVALID),
  reviewFeedback: button('review', 'feedback', { answerId: idArg.id, filters: reviewFilters }, REVIEW_INVALID),
  reviewFeedbackForm: modal('review', 'feedback', { answerId: idArg.id, filters: reviewFilters }, REVIEW_INVALID),
  reviewBulk: button('review', 'bulk', { questionId: idArg.id, filters: reviewFilters }, REVIEW_INVALID),
  reviewBulkConfirm: button('review', 'bulkok', { proposalId: idArg.id, filters: reviewFilters }, REVIEW_INVALID),
  reviewBulkCancel: button('review', 'bulkno', { proposalId: idArg.id, filters: reviewFilters }, REVIEW_INVALID),
} as const;
