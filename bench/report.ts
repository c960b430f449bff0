import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Table {
  caption?: string;
  header: string[];
  rows: string[][];
}

/** One benchmark's part of results.md: written between markers, so running one benchmark keeps the others. */
export interface Section {
  name: string;
  title: string;
  intro?: string;
  tables: Table[];
  notes: string[];
}

/** The committed results, quoted by the README: written only with --update-results. */
export const RESULTS_FILE = path.resolve(import.meta.dirname, 'results.md');
const RAW_DIR = path.resolve(import.meta.dirname, 'results');
/** Where a run writes by default: git-ignored, so trying the benchmarks never changes a tracked file. */
export const LATEST_FILE = path.join(RAW_DIR, 'latest.md');

export function targetCell(met: boolean | null): string {
  return met === null ? 'n/a' : met ? 'met' : '**missed**';
}

function pgliteVersion(): string {
  try {
    const file = path.resolve(import.meta.dirname, '../node_modules/@electric-sql/pglite/package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

export function machineLine(postgresVersion: string | null): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
  const engines = `PGlite ${pgliteVersion()}, PostgreSQL ${postgresVersion ?? 'not reachable'}`;
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus().length} cores (${cpu}) · ${memory} RAM · Node ${process.version} · ${engines}`;
}

function renderTable(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = [`| ${table.header.map(escape).join(' | ')} |`, `|${table.header.map(() => '---').join('|')}|`];
  for (const row of table.rows) lines.push(`| ${row.map(escape).join(' | ')} |`);
  return (table.caption ? `${table.caption}\n\n` : '') + lines.join('\n');
}

export function renderSection(section: Section, machine: string): string {
  const parts = [`## ${section.title}`, `_Measured ${machine}._`];
  if (section.intro) parts.push(section.intro);
  for (const table of section.tables) parts.push(renderTable(table));
  if (section.notes.length > 0) parts.push(section.notes.map((note) => `- ${note}`).join('\n'));
  return parts.join('\n\n');
}

const ORDER = ['burst', 'memory', 'scale', 'leaderboard', 'review', 'startup'];
const HEADER = `# Benchmarks

Produced by \`npm run bench\` (\`npm run bench -- <name>\` reruns one section and keeps the others).
Figures only, no assertions: each table says whether the target was met on the machine named in its section.
`;

/** Replaces the sections just measured in the results file, keeping the others, and returns the whole file. */
export function writeResults(rendered: Map<string, string>, raw: Record<string, unknown>, file: string): string {
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const sections = new Map<string, string>();
  for (const match of existing.matchAll(/<!-- bench:(\w+) -->\n([\s\S]*?)\n<!-- \/bench:\1 -->/g))
    sections.set(match[1]!, match[2]!);
  for (const [name, text] of rendered) sections.set(name, text);
  const names = [...sections.keys()].sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
  const body = names
    .map((name) => `<!-- bench:${name} -->\n${sections.get(name)!}\n<!-- /bench:${name} -->`)
    .join('\n\n');
  const text = `${HEADER}\n${body}\n`;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  mkdirSync(RAW_DIR, { recursive: true });
  for (const [name, value] of Object.entries(raw))
    writeFileSync(path.join(RAW_DIR, `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
  return text;
}
