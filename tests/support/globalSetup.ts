import { ensurePgliteTemplate } from './pgliteTemplate.ts';

export default async function globalSetup(): Promise<void> {
  await ensurePgliteTemplate();
}
