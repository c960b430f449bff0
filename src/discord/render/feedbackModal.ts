import { ActionRowBuilder, ModalBuilder, type TextInputBuilder } from 'discord.js';
import type { ReviewFilters } from '../../db/repo/reviewQueue.ts';
import { componentIds } from '../componentIds.ts';
import { textInput, type TextField } from '../modalFields.ts';

const FEEDBACK_MAX_LENGTH = 1000;
const length = `Feedback must be 1 to ${FEEDBACK_MAX_LENGTH} characters.`;
export const feedbackField: TextField = {
  inputId: 'feedback',
  label: 'Sent with the grade by direct message',
  maxLength: FEEDBACK_MAX_LENGTH,
  refusals: {
    missing: componentIds.reviewFeedbackForm.refusal,
    blank: length,
    nul: 'Feedback cannot contain NUL characters.',
    tooLong: length,
  },
};

export function feedbackModal(answerId: number, filters: ReviewFilters): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(componentIds.reviewFeedbackForm.encode({ answerId, filters }))
    .setTitle('Feedback for the student')
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(textInput(feedbackField)));
}
