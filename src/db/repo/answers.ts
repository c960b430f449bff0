import { and, eq, sql } from 'drizzle-orm';
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
}

const writers = new WeakMap<Db, Writer>();

/**
 * Stores a student's answer with its suggestion, points and spaced-repetition card: one read, then one
 * statement that writes all of it or nothing. Exactly once: the unique (prompt, student) key makes a second
 * submit write nothing. The write re-checks that the prompt is still open while holding it FOR SHARE, so
 * closing a daily question waits for answers in flight and an answer arriving after the close is refused.
 *
 * Group commit without a wait: an answer is written as soon as a connection is free, with the others that arrived
 * in the same turn of the event loop; while every connection is busy, the answers arriving meanwhile gather, are
 * read together and written in one transaction (one commit, one flush to disk). Each caller hears "saved" only
 * once its transaction has committed. If a group fails, nothing of it was written, and each of its answers is
 * tried again alone.
 */
export function recordAnswer(db: Db, input: NewAnswer): Promise<RecordAnswerResult> {
  return new Promise((resolve, reject) => {
    let writer = writers.get(db);
    if (!writer) writers.set(db, (writer = { queue: [], groups: 0, scheduled: false }));
    writer.queue.push({ input, resolve, reject });
    startGroups(db, writer);
  });
}

/**
 * Starts groups at the end of this turn of the event loop, one per free connection of the database. PGlite has
 * one, so its groups go one at a time (more would only queue in its thread); on PostgreSQL an answer held up by
 * a lock holds up one connection only.
 */
function startGroups(db: Db, writer: Writer): void {
  if (writer.scheduled || writer.groups >= connectionCount(db)) return;
  writer.scheduled = true;
  setImmediate(() => {
    writer.scheduled = false;
    while (writer.queue.length > 0 && writer.groups < connectionCount(db)) {
      const group = writer.queue.splice(0, GROUP_MAX);
      writer.groups += 1;
      void writeGroup(db, group).finally(() => {
        writer.groups -= 1;
        if (writer.queue.length > 0) startGroups(db, writer);
      });
    }
  });
}

/** One answer on its own, read and written again if it raced another first answer or lost a deadlock. */
async function recordAlone(db: Db, input: NewAnswer): Promise<RecordAnswerResult> {
  try {
    return await readThenWrite(db, input);
  } catch (error) {
    // Two first answers to one question raced (two practice prompts at once): the loser is not the first.
    // Or a deadlock broken by PostgreSQL: the statement wrote nothing. Either way, once more from the read.
    if (violatedUniqueConstraint(error) !== 'answers_first_once' && !isDeadlock(error)) throw error;
    return readThenWrite(db, input);
  }
}

async function readThenWrite(db: Db, input: NewAnswer): Promise<RecordAnswerResult> {
  const plan = await planAnswer(db, input);
  if ('status' in plan) return plan;
  const [written] = await writeAnswer(db, plan.values);
  return outcome(db, input, plan, written);
}

/** Writes one group and settles each of its callers; resolves once all of them are settled. */
async function writeGroup(db: Db, group: Waiting[]): Promise<void> {
  if (group.length === 1) return recordAlone(db, group[0]!.input).then(group[0]!.resolve, group[0]!.reject);
  // The reads go out together (pipelined on PostgreSQL, one message to PGlite's thread); a failed read fails its answer only.
  const planned = await Promise.all(
    group.map((item) =>
      planAnswer(db, item.input).then(
        (plan) => ({ item, plan }),
        (error: unknown) => (item.reject(error), null),
      ),
    ),
  );
  const writes: { item: Waiting; plan: Plan }[] = [];
  for (const entry of planned) {
    if (!entry) continue;
    if ('status' in entry.plan) entry.item.resolve(entry.plan);
    else writes.push({ item: entry.item, plan: entry.plan });
  }
  if (writes.length === 0) return;
  let rows: ({ id: number } | undefined)[];
  try {
    rows = await db.transaction(async (tx) => {
      const settled = await Promise.allSettled(writes.map(({ plan }) => writeAnswer(tx, plan.values)));
      const failed = settled.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      return settled.map((result) => (result as PromiseFulfilledResult<{ id: number }[]>).value[0]);
    });
  } catch {
    // Rolled back, so none of these answers is stored: each is tried alone and gets its own outcome.
    await Promise.all(writes.map(({ item }) => recordAlone(db, item.input).then(item.resolve, item.reject)));
    return;
  }
  await Promise.all(
    writes.map(({ item, plan }, i) => outcome(db, item.input, plan, rows[i]).then(item.resolve, item.reject)),
  );
}

/** The values of an answer's write: strings where the statement casts them (JSON, timestamps). */
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
  matched: string;
  missing: string;
  misconceptions: string;
  firstForQuestion: boolean;
  ledger: string;
  card: string | null;
  due: string | null;
};
const value = (name: keyof WriteValues) => sql.placeholder(name);

/** An answer's one write, built once (its text is the same for every answer). */
const writeAnswer = rawStatement<{ id: number }>(sql`
    with open_prompt as (
      select p.id from prompts p join questions q on q.id = p.question_id
      where p.id = ${value('promptId')} and p.guild_id = ${value('guildId')} and q.active
        and (p.kind <> 'daily' or (p.closed_at is null and (p.closes_at is null or p.closes_at > ${value('now')}::timestamptz)))
      for share of p
    ), answer as (
      insert into answers (prompt_id, guild_id, cohort_id, question_id, kind, user_id, user_name, body, suggested_grade,
                           matched_points, missing_points, misconceptions, first_for_question, created_at)
      select id, ${value('guildId')}, ${value('cohortId')}, ${value('questionId')}, ${value('kind')}, ${value('userId')}, ${value('userName')}, ${value('body')},
             ${value('suggestedGrade')}, ${value('matched')}::jsonb, ${value('missing')}::jsonb,
             ${value('misconceptions')}::jsonb, ${value('firstForQuestion')}, ${value('now')}::timestamptz
      from open_prompt
      on conflict (prompt_id, user_id) do nothing
      returning id, guild_id, cohort_id, user_id, question_id, created_at
    ), points as (
      insert into points_ledger (guild_id, cohort_id, user_id, answer_id, reason, points, created_at)
      select a.guild_id, a.cohort_id, a.user_id, a.id, d.reason, d.points, a.created_at
      from answer a cross join jsonb_to_recordset(${value('ledger')}::jsonb) as d(reason text, points int)
    ), card as (
      insert into study_cards (guild_id, user_id, question_id, card, due, last_answered_at)
      select guild_id, user_id, question_id, ${value('card')}::jsonb, ${value('due')}::timestamptz, created_at
      from answer
      on conflict (guild_id, user_id, question_id)
        do update set card = excluded.card, due = excluded.due, last_answered_at = excluded.last_answered_at
    )
    select id from answer`);

interface Plan {
  values: WriteValues;
  saved: (id: number) => RecordAnswerResult;
}

/** Reads what the answer needs and builds its one write statement, or says why it is refused. */
async function planAnswer(db: Db, input: NewAnswer): Promise<Plan | { status: Refusal }> {
  const found = await readPrompt(db, input);
  const refusal = refusalFor(found, input);
  if (refusal) return { status: refusal };
  const { prompt, question, history } = found!;
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
    matched: JSON.stringify(suggestion?.matched ?? []),
    missing: JSON.stringify(suggestion?.missing ?? []),
    misconceptions: JSON.stringify(suggestion?.misconceptions ?? []),
    firstForQuestion,
    ledger: JSON.stringify(ledger),
    card: card.card ? JSON.stringify(card.card) : null,
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
      matchedPoints: suggestion?.matched ?? [],
      missingPoints: suggestion?.missing ?? [],
      misconceptions: suggestion?.misconceptions ?? [],
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

/** Saved, or, when the statement wrote nothing (the prompt closed or the same answer arrived in between), why not. */
async function outcome(
  db: Db,
  input: NewAnswer,
  plan: Plan,
  written: { id: number } | undefined,
): Promise<RecordAnswerResult> {
  if (written) return plan.saved(written.id);
  return { status: refusalFor(await readPrompt(db, input), input) ?? 'duplicate' };
}

interface FoundPrompt {
  prompt: PromptRow;
  question: QuestionRow;
  alreadyAnswered: boolean;
  /** The student's earlier answers to this question, oldest first. */
  history: RatedAnswer[];
}

/** The prompt, its question, and what this student already answered: one query, prepared once per database. */
function prepareReadPrompt(db: Db) {
  const userId = sql.placeholder('userId');
  const guildId = sql.placeholder('guildId');
  return db
    .select({
      prompt: prompts,
      question: questions,
      alreadyAnswered: sql<boolean>`exists(
        select 1 from answers a where a.prompt_id = ${prompts.id} and a.user_id = ${userId})`,
      history: sql<{ at: string; grade: Grade | null }[]>`(
        select coalesce(json_agg(json_build_object('at', a.created_at, 'grade', coalesce(g.grade, a.suggested_grade)) order by a.created_at, a.id), '[]')
        from answers a left join grades g on g.answer_id = a.id
        where a.guild_id = ${guildId} and a.user_id = ${userId} and a.question_id = ${prompts.questionId})`,
    })
    .from(prompts)
    .innerJoin(questions, eq(questions.id, prompts.questionId))
    .where(and(eq(prompts.id, sql.placeholder('promptId')), eq(prompts.guildId, guildId)))
    .prepare('read_answer_prompt');
}

const readPromptQueries = new WeakMap<Db, ReturnType<typeof prepareReadPrompt>>();

async function readPrompt(db: Db, input: NewAnswer): Promise<FoundPrompt | undefined> {
  let query = readPromptQueries.get(db);
  if (!query) readPromptQueries.set(db, (query = prepareReadPrompt(db)));
  const [found] = await query.execute({ promptId: input.promptId, guildId: input.guildId, userId: input.userId });
  if (!found) return undefined;
  return { ...found, history: found.history.map((row) => ({ at: new Date(row.at), grade: row.grade })) };
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
