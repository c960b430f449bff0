import { loadShippedBank } from '../bank/bank.ts';
import { GRADES } from '../types.ts';
import { clearAnalysisCache, suggestGrade, type Gradable } from './suggest.ts';
import { loadSynonyms } from './words.ts';

/**
 * The warm-up's answers: as long as the longest the bot accepts, and enough of them for V8 to optimise the hot loops
 * (tokenizing, phrase matching); fewer left the first card after a restart at 150 ms of CPU instead of 20.
 */
const WARM_UP_LENGTH = 4000;
const WARM_UP_ANSWERS = 250;
let warmedUp = false;

/** `length` characters of the course's own words, starting `offset` characters in (wrapping around). */
function courseText(vocabulary: string, offset: number, length: number): string {
  const start = offset % vocabulary.length;
  return vocabulary.repeat(Math.ceil((start + length) / vocabulary.length)).slice(start, start + length);
}

/**
 * Readies the suggester at start-up (main.ts calls it before the bot connects to Discord, so no interaction waits):
 * loads the synonyms (2 MB), compiles every question's rubric, and runs one worst-case suggestion (a 4000-character
 * answer learning from 249 graded ones, made of the course's words) so that the code is optimised before the first
 * review card. Without it the first card after a restart was the slowest of all (`npm run bench -- suggest`).
 * The speed measurement calls it too, as the bot does.
 */
export function preloadLexicon(questions?: readonly Gradable[]): void {
  loadSynonyms();
  // Once per process is enough: the code stays optimised (tests and tools may call it again).
  if (warmedUp) return;
  const bank = questions ?? loadShippedBank();
  const vocabulary = bank
    .flatMap((question) => [
      question.referenceAnswer ?? '',
      ...(question.rubric?.keyPoints.flatMap((point) => point.phrases) ?? []),
    ])
    .join('. ');
  if (vocabulary.trim() === '') return;
  // Every question compiled once; the code made hot on the question with the most phrases (it is shared by all).
  for (const question of bank) suggestGrade(question, question.referenceAnswer ?? question.text);
  const heaviest = [...bank].sort((a, b) => phraseCount(b) - phraseCount(a))[0]!;
  const texts = Array.from({ length: WARM_UP_ANSWERS }, (_, text) =>
    courseText(vocabulary, text * 997, WARM_UP_LENGTH),
  );
  const graded = texts.slice(1).map((answer, text) => ({ answer, grade: GRADES[text % GRADES.length]! }));
  suggestGrade(heaviest, texts[0]!, graded);
  warmedUp = true;
  // The warm-up's own answers would only take room in the cache of real ones.
  clearAnalysisCache();
}

const phraseCount = (question: Gradable) =>
  (question.rubric?.keyPoints ?? []).reduce((sum, point) => sum + point.phrases.length, 0);
