import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { importQuestions } from '../../src/db/repo/importQuestions.ts';
import { listBankQuestions } from '../../src/db/repo/questions.ts';
import { questions } from '../../src/db/schema.ts';
import { prepareDatabase } from '../../src/startup.ts';
import { describeEachEngine } from '../support/database.ts';

const exercise = '### Week 9\n\n- What is a closure?\n- What does `git rebase` do?\n';

describeEachEngine('the shipped question bank', (database) => {
  it('syncs the 14 seed questions at start, idempotently', async () => {
    const first = await prepareDatabase(database());
    expect(first.added).toHaveLength(14);
    const second = await prepareDatabase(database());
    expect(second).toMatchObject({ added: [], updated: [], retired: [] });
    expect(second.unchanged).toHaveLength(14);
  });

  it('an edited question is updated and a removed one retired, its row kept', async () => {
    const [jwt] = await database().db.select().from(questions).where(eq(questions.slug, 'jwt-what'));
    await database().db.update(questions).set({ text: 'Edited by hand' }).where(eq(questions.id, jwt!.id));
    await database().db.insert(questions).values({ slug: 'gone-from-the-file', topic: 'Old', text: 'Old question?' });
    const report = await prepareDatabase(database());
    expect(report.updated).toEqual(['jwt-what']);
    expect(report.retired).toEqual(['gone-from-the-file']);
    const [gone] = await database().db.select().from(questions).where(eq(questions.slug, 'gone-from-the-file'));
    expect(gone?.active).toBe(false);
  });

  it('questions imported from the command line survive the next start', async () => {
    const imported = await importQuestions(database().db, null, exercise);
    expect(imported.added).toHaveLength(2);
    const again = await importQuestions(database().db, null, exercise);
    expect(again.added).toEqual([]);
    await prepareDatabase(database());
    const bank = await listBankQuestions(database().db);
    expect(bank.filter((q) => q.imported && q.active).map((q) => q.topic)).toEqual(['Week 9', 'Week 9']);
  });
});

describeEachEngine('importing a huge exercise file', (database) => {
  it('refuses more than 500 questions at once and imports nothing', async () => {
    const huge = Array.from({ length: 501 }, (_, i) => `- Why is thing number ${i} useful?`).join('\n');
    await expect(importQuestions(database().db, null, huge)).rejects.toThrow(/at most 500/);
    expect(await listBankQuestions(database().db)).toEqual([]);
  });
});
