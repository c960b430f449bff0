import { eq, sql } from 'drizzle-orm';
import { pointsDelta, pointsTarget } from '../../quiz/points.ts';
import type { Gradable } from '../../quiz/grading/cold.ts';
import type { Suggestion } from '../../quiz/grading/suggest.ts';
import type { Grade } from '../../quiz/types.ts';
import { connectionCount, rawStatement, type Db } from '../client.ts';
import { isDeadlock, violatedUniqueConstraint } from '../errors.ts';
import { answers, prompts, questions } from '../schema.ts';
import type { PromptRow } from './prompts.ts';
import type { QuestionRow } from './questions.ts';
import { studyCardValues, type RatedAnswer } from './studyCards.ts';

export type AnswerRow = typeof answers.$inferSelect;

export type RecordAnswerResult =
  | {
      status: 'saved';
      answer: AnswerRow;
      prompt: PromptRow;
      question: QuestionRow;
      suggestion: Suggestion | null;
      pointsAdded: number;
    }
  | { status: 'duplicate' | 'closed' | 'missing' | 'not-yours' | 'retired' };

export interface NewAnswer {
  guildId: string;
  promptId: number;
  userId: string;
  userName: string;
  body: string;
  /** The suggested grade, computed from the question's rubric (only then: it counts for practice points). */
  suggest: (question: Gradable, body: string) => Suggestion | null;
  now: Date;
}

type Refusal = Exclude<RecordAnswerResult['status'], 'saved'>;

/** At most this many answers in one transaction. */
const GROUP_MAX = 64;
/**
 * A group starts at least this long after the one before it started, so that in a burst the answers of the
 * next milliseconds are written together; after a quiet spell an answer starts at once. Each statement costs
 * the same whatever its group's size (PGlite plans it; PostgreSQL is two round trips), so at 200 answers a second
 * groups of about 4 instead of 1.1 cost less than half the CPU per answer; bench/results.md and the README.
 */
const GROUP_INTERVAL_MS = 20;

interface Waiting {
  input: NewAnswer;
  resolve: (result: RecordAnswerResult) => void;
  reject: (error: unknown) => void;
}

/** Per database: the answers waiting for a group, the groups being written, and whether a start is scheduled. */
interface Writer {
  queue: Waiting[];
  groups: number;
  scheduled: boolean;
  /** When the last group started (performance.now()). */
  lastStart: number;
}

const writers = new WeakMap<Db, Writer>();

/**
 * Stores a student's answer with its suggestion, points and spaced-repetition card: one read, then one
 * statement that writes all of it or nothing. Exactly once: the unique (prompt, student) key makes a second
 * submit write nothing. The write re-checks that the prompt is still open while holding it FOR SHARE, so
 * closing a daily question waits for answers in flight and an answer arriving after the close is refused.
 *
 * Group commit: after a quiet spell an answer is written as soon as a connection is free, with the others that
 * arrived in the same turn of the event loop; in a burst, the answers of the next GROUP_INTERVAL_MS (or, while
 * every connection is busy, of however long that lasts) gather, are read in one statement and written in one
 * statement (one commit, one flush to disk). Each caller hears "saved" only once that statement has committed.
 * If a group fails, nothing of it was written, and each of its answers is tried again alone.
 */
export function recordAnswer(db: Db, input: NewAnswer): Promise<RecordAnswerResult> {
  return new Promise((resolve, reject) => {
    let writer = writers.get(db);
    if (!writer) writers.set(db, (writer = { queue: [], groups: 0, scheduled: false, lastStart: -Infinity }));
    writer.queue.push({ input, resolve, reject });
    startGroups(db, writer);
  });
}

/**
 * Starts groups at the end of this turn of the event loop, or once GROUP_INTERVAL_MS have passed since the last
 * group started, one per free connection of the database. PGlite has one, so its groups go one at a time (more
 * would only queue in its thread); on PostgreSQL an answer held up by a lock holds up one connection only.
 */
function startGroups(db: Db, writer: Writer): void {
  if (writer.scheduled || writer.groups >= connectionCount(db)) return;
  writer.scheduled = true;
  const start = () => {
    writer.scheduled = false;
    writer.lastStart = performance.now();
    while (writer.queue.length > 0 && writer.groups < connectionCount(db)) {
      const group = writer.queue.splice(0, GROUP_MAX);
      writer.groups += 1;
      void writeGroup(db, group).finally(() => {
        writer.groups -= 1;
        if (writer.queue.length > 0) startGroups(db, writer);
      });
    }
  };
  const wait = GROUP_INTERVAL_MS - (performance.now() - writer.lastStart);
  if (wait > 0) setTimeout(start, wait);
  else setImmediate(start);
}

/** One answer on its own, read and written again if it raced another first answer or lost a deadlock. */
async function recordAlone(db: Db, input: NewAnswer): Promise<RecordAnswerResult> {
  const once = async () => (await recordGroup(db, [input]))[0]!;
  try {
    return await once();
  } catch (error) {
    // Two first answers to one question raced (two practice prompts at once): the loser is not the first.
    // Or a deadlock broken by PostgreSQL: the statement wrote nothing. Either way, once more from the read.
    if (violatedUniqueConstraint(error) !== 'answers_first_once' && !isDeadlock(error)) throw error;
    return once();
  }
}

/** Writes one group and settles each of its callers; resolves once all of them are settled. */
async function writeGroup(db: Db, group: Waiting[]): Promise<void> {
  if (group.length === 1) return recordAlone(db, group[0]!.input).then(group[0]!.resolve, group[0]!.reject);
  let outcomes: Promise<RecordAnswerResult>[];
  try {
    outcomes = await recordGroup(
      db,
      group.map((item) => item.input),
    );
  } catch {
    // The statement wrote nothing: each answer is tried alone and gets its own outcome (or its own error).
    await Promise.all(group.map((item) => recordAlone(db, item.input).then(item.resolve, item.reject)));
    return;
  }
  await Promise.all(outcomes.map((outcome, i) => outcome.then(group[i]!.resolve, group[i]!.reject)));
}

/**
 * Reads what the answers need in one round trip, then writes them all in one statement: one commit, however many
 * answers (PGlite plans a statement every time it runs it, so one statement for the group instead of one per answer
 * is most of its cost: bench/results.md). Throws, with nothing written, if the read or the statement fails; once
 * the statement has committed, each answer's outcome settles on its own (an answer written is saved, whatever
 * happens to the others).
 */
async function recordGroup(db: Db, inputs: NewAnswer[]): Promise<Promise<RecordAnswerResult>[]> {
  const found = await readPrompts(db, inputs);
  const refusals = new Map<number, Refusal>();
  const plans = new Map<number, Plan>();
  const keys = new Set<string>();
  inputs.forEach((input, index) => {
    const refusal = refusalFor(found[index], input);
    if (refusal) refusals.set(index, refusal);
    // The same student twice in one group: the first is written; the other finds it, as if it came next.
    else if (!keys.has(answerKey(input))) {
      keys.add(answerKey(input));
      plans.set(index, planAnswer(input, found[index]!));
    }
  });
  const written = plans.size > 0 ? await writeAnswers(db, [...plans.values()]) : new Map<string, number>();
  return inputs.map(async (input, index): Promise<RecordAnswerResult> => {
    const refusal = refusals.get(index);
    if (refusal) return { status: refusal };
    const id = written.get(answerKey(input));
    const plan = plans.get(index);
    if (plan && id !== undefined) return plan.saved(id);
    // Not written (the prompt closed or the same answer arrived in between): why not, read now.
    return { status: refusalFor((await readPrompts(db, [input]))[0], input) ?? 'duplicate' };
  });
}

const answerKey = (answer: { promptId: number; userId: string }): string => `${answer.promptId}:${answer.userId}`;

/** The values of an answer's write, as the statement reads them from JSON (timestamps as ISO strings). */
type WriteValues = {
  promptId: number;
  guildId: string;
  now: string;
  cohortId: number;
  questionId: number;
  kind: PromptRow['kind'];
  userId: string;
  userName: string;
  body: string;
  suggestedGrade: Grade | null;
  matched: Suggestion['matched'];
  missing: Suggestion['missing'];
  misconceptions: Suggestion['misconceptions'];
  firstForQuestion: boolean;
  ledger: { reason: string; points: number }[];
  card: unknown;
  due: string | null;
};

/**
 * The answers' one write, built once: each answer with its points and study card, for the answers whose prompt is
 * still open, held FOR SHARE so that closing a daily question waits for it.
 */
const writeAnswersStatement = rawStatement<{ id: number; prompt_id: number; user_id: string }>(
  'write_answers',
  sql`
    with input as (
      select * from jsonb_to_recordset(${sql.placeholder('answers')}::jsonb) as i(
        "promptId" int, "guildId" text, now timestamptz, "cohortId" int, "questionId" int, kind text, "userId" text,
        "userName" text, body text, "suggestedGrade" text, matched jsonb, missing jsonb, misconceptions jsonb,
        "firstForQuestion" boolean, ledger jsonb, card jsonb, due timestamptz)
    ), open_prompt as (
      select p.id, i."userId" from input i
        join prompts p on p.id = i."promptId" and p.guild_id = i."guildId"
        join questions q on q.id = p.question_id
      where q.active
        and (p.kind <> 'daily' or (p.closed_at is null and (p.closes_at is null or p.closes_at > i.now)))
      for share of p
    ), answer as (
      insert into answers (prompt_id, guild_id, cohort_id, question_id, kind, user_id, user_name, body, suggested_grade,
                           matched_points, missing_points, misconceptions, first_for_question, created_at)
      select i."promptId", i."guildId", i."cohortId", i."questionId", i.kind, i."userId", i."userName", i.body,
             i."suggestedGrade", i.matched, i.missing, i.misconceptions, i."firstForQuestion", i.now
      from input i join open_prompt o on o.id = i."promptId" and o."userId" = i."userId"
      on conflict (prompt_id, user_id) do nothing
      returning id, prompt_id, guild_id, cohort_id, user_id, question_id, created_at
    ), points as (
      insert into points_ledger (guild_id, cohort_id, user_id, answer_id, reason, points, created_at)
      select a.guild_id, a.cohort_id, a.user_id, a.id, d.reason, d.points, a.created_at
      from answer a join input i on i."promptId" = a.prompt_id and i."userId" = a.user_id
        cross join jsonb_to_recordset(i.ledger) as d(reason text, points int)
    ), card as (
      insert into study_cards (guild_id, user_id, question_id, card, due, last_answered_at)
      select a.guild_id, a.user_id, a.question_id, i.card, i.due, a.created_at
      from answer a join input i on i."promptId" = a.prompt_id and i."userId" = a.user_id
      on conflict (guild_id, user_id, question_id)
        do update set card = excluded.card, due = excluded.due, last_answered_at = excluded.last_answered_at
    )
    select id, prompt_id, user_id from answer`,
);

/** Writes the planned answers in one statement; the ids of those written, by answerKey. */
async function writeAnswers(db: Db, plans: Plan[]): Promise<Map<string, number>> {
  const rows = await writeAnswersStatement(db, { answers: JSON.stringify(plans.map((plan) => plan.values)) });
  return new Map(rows.map((row) => [answerKey({ promptId: row.prompt_id, userId: row.user_id }), row.id]));
}

interface Plan {
  values: WriteValues;
  saved: (id: number) => RecordAnswerResult;
}

/** The answer's write, from what was read for it (its prompt is open and it is not a duplicate). */
function planAnswer(input: NewAnswer, found: FoundPrompt): Plan {
  const { prompt, question, history } = found;
  const suggestion = question.rubric ? input.suggest(question, input.body) : null;
  const firstForQuestion = history.length === 0;
  const suggestedGrade = suggestion?.grade ?? null;
  const ledger = pointsDelta(
    pointsTarget({ kind: prompt.kind, firstForQuestion, instructorGrade: null, suggestedGrade }),
    {},
  );
  const card = studyCardValues([...history, { at: input.now, grade: suggestedGrade }])!;
  const values: WriteValues = {
    promptId: prompt.id,
    guildId: input.guildId,
    now: input.now.toISOString(),
    cohortId: prompt.cohortId,
    questionId: prompt.questionId,
    kind: prompt.kind,
    userId: input.userId,
    userName: input.userName,
    body: input.body,
    suggestedGrade,
    matched: suggestion?.matched ?? [],
    missing: suggestion?.missing ?? [],
    misconceptions: suggestion?.misconceptions ?? [],
    firstForQuestion,
    ledger,
    card: card.card ?? null,
    due: card.due?.toISOString() ?? null,
  };
  const pointsAdded = ledger.reduce((sum, row) => sum + row.points, 0);
  const saved = (id: number): RecordAnswerResult => {
    const answer: AnswerRow = {
      id,
      promptId: prompt.id,
      guildId: input.guildId,
      cohortId: prompt.cohortId,
      questionId: prompt.questionId,
      kind: prompt.kind,
      userId: input.userId,
      userName: input.userName,
      body: input.body,
      suggestedGrade,
      matchedPoints: values.matched,
      missingPoints: values.missing,
      misconceptions: values.misconceptions,
      firstForQuestion,
      starred: false,
      graded: false,
      feedbackDraft: null,
      createdAt: input.now,
      version: 1,
      editedAt: null,
      regradeOpen: false,
    };
    return { status: 'saved', answer, prompt, question, suggestion, pointsAdded };
  };
  return { values, saved };
}

interface FoundPrompt {
  prompt: PromptRow;
  question: QuestionRow;
  alreadyAnswered: boolean;
  /** The student's earlier answers to this question, oldest first. */
  history: RatedAnswer[];
}

/**
 * Each answer's prompt (in the answer's guild) and question, and what its student already answered: to this prompt
 * (a duplicate?) and to its question before (the study card). One statement for a whole group, prepared once per
 * database; an answer whose prompt is not found has no row.
 */
function prepareAnswersRead(db: Db) {
  return db
    .select({
      n: sql<number>`i.n`,
      prompt: prompts,
      question: questions,
      alreadyAnswered: sql<boolean>`exists(select 1 from answers a where a.prompt_id = ${prompts.id} and a.user_id = i."userId")`,
      history: sql<{ at: string; grade: Grade | null }[]>`(
        select coalesce(json_agg(json_build_object('at', a.created_at, 'grade', coalesce(g.grade, a.suggested_grade)) order by a.created_at, a.id), '[]')
        from answers a left join grades g on g.answer_id = a.id
        where a.guild_id = i."guildId" and a.user_id = i."userId" and a.question_id = ${prompts.questionId})`,
    })
    .from(
      sql`jsonb_to_recordset(${sql.placeholder('answers')}::jsonb) as i(n int, "promptId" int, "guildId" text, "userId" text)`,
    )
    .innerJoin(prompts, sql`${prompts.id} = i."promptId" and ${prompts.guildId} = i."guildId"`)
    .innerJoin(questions, eq(questions.id, prompts.questionId))
    .prepare('read_answers');
}

const answersReads = new WeakMap<Db, ReturnType<typeof prepareAnswersRead>>();

/** For each answer, what its write needs (undefined: no such prompt in its guild). */
async function readPrompts(db: Db, inputs: NewAnswer[]): Promise<(FoundPrompt | undefined)[]> {
  let read = answersReads.get(db);
  if (!read) answersReads.set(db, (read = prepareAnswersRead(db)));
  const keys = inputs.map(({ promptId, guildId, userId }, n) => ({ n, promptId, guildId, userId }));
  const rows = await read.execute({ answers: JSON.stringify(keys) });
  const found: (FoundPrompt | undefined)[] = inputs.map(() => undefined);
  for (const { n, history, ...row } of rows)
    found[n] = { ...row, history: history.map((entry) => ({ at: new Date(entry.at), grade: entry.grade })) };
  return found;
}

function refusalFor(found: FoundPrompt | undefined, input: NewAnswer): Refusal | null {
  if (!found) return 'missing';
  const { prompt, question } = found;
  if (prompt.kind === 'practice' && prompt.userId !== input.userId) return 'not-yours';
  if (!question.active) return 'retired';
  if (prompt.kind === 'daily' && (prompt.closedAt || (prompt.closesAt && input.now >= prompt.closesAt)))
    return 'closed';
  if (found.alreadyAnswered) return 'duplicate';
  return null;
}
