/** The three grades an instructor (or the suggestion) can give an answer. */
export const GRADES = ['correct', 'partial', 'incorrect'] as const;
export type Grade = (typeof GRADES)[number];

/** Where an answer came from: a daily post in the cohort channel or a /quiz practice question. */
export const ANSWER_KINDS = ['daily', 'practice'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** How a student who asked is reminded: a mention in the daily channel, or a direct message. */
export const REMINDER_DELIVERIES = ['channel', 'dm'] as const;
export type ReminderDelivery = (typeof REMINDER_DELIVERIES)[number];

/** What an instructor decided on a regrade request: the grade kept, or changed. */
export const REGRADE_OUTCOMES = ['kept', 'changed'] as const;
export type RegradeOutcome = (typeof REGRADE_OUTCOMES)[number];
