import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** Resident memory now (VmRSS), MiB. */
  rssMiB: number;
  /** Peak resident memory so far (VmHWM), MiB. */
  peakMiB: number;
}

/** Reads /proc/<pid>/status (Linux); null elsewhere or when the process is gone. */
export function processMemory(pid: number | undefined): ProcessMemory | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export function mib(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : `${Math.round(value)} MiB`;
}

/** The fields of /proc/<pid>/stat after the command name (field 3 onwards); null when the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

// Clock ticks to ms: Linux's USER_HZ is 100.
const TICK_MS = 10;

/** CPU time (user + system) the process has used so far, in ms; null when unavailable. Assumes 100 ticks/s (Linux default). */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) * TICK_MS : null;
}

/**
 * CPU time of a process and all its children, in ms: its own, what its exited children used (the kernel adds it
 * to the parent when the parent reaps them) and its live children's. For a server that forks a process per
 * connection (PostgreSQL), so connections that end between two readings are still counted. Null when unavailable.
 */
export function processTreeCpuMs(pid: number): number | null {
  const root = statFields(pid);
  if (!root) return null;
  let total = (Number(root[11]) + Number(root[12]) + Number(root[13]) + Number(root[14])) * TICK_MS;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === pid) total += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  }
  return total;
}

function cpuTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Share of the machine's CPU (all cores) busy between `start()` and `stop()`: other users' work included, which
 * is the point when the machine is shared. Null where /proc/stat is missing.
 */
export function machineCpu(): { stop(): number | null } {
  let before: { busy: number; total: number } | null = null;
  try {
    before = cpuTicks();
  } catch {
    before = null;
  }
  return {
    stop() {
      if (!before) return null;
      const after = cpuTicks();
      const total = after.total - before.total;
      return total > 0 ? (after.busy - before.busy) / total : null;
    },
  };
}
