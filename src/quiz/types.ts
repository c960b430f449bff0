/** The three grades an instructor (or the suggestion) can give an answer. */
export const GRADES = ['correct', 'partial', 'incorrect'] as const;
export type Grade = (typeof GRADES)[number];

/** Where an answer came from: a daily post in the cohort channel or a /quiz practice question. */
export type AnswerKind = 'daily' | 'practice';
