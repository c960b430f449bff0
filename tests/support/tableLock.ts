import postgres from 'postgres';

/**
 * Another connection holding `table` in ACCESS EXCLUSIVE mode (as a long migration or a stuck session would) until
 * `release`: resolves once the lock is held.
 */
export async function holdTableLock(url: string, table: string): Promise<{ release(): Promise<void> }> {
  const other = postgres(url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = other.begin(async (tx) => {
    await tx.unsafe(`lock table ${table} in access exclusive mode`);
    locked();
    await released;
  });
  await Promise.race([isLocked, holder]);
  return {
    async release() {
      release();
      await holder;
      await other.end();
    },
  };
}
