/**
 * The Node.js versions the bot and its tools were tried on. Older versions fail in confusing ways (the test
 * runner, vitest 4, stops with "node:util does not provide an export named styleText" on 20.11), so every entry
 * point checks first and says what to install.
 */
export const MINIMUM_NODE = '20.19.0';
const TRIED_NODE = '20.20';

function parts(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
}

function older(version: string, than: string): boolean {
  const [a, b] = [parts(version), parts(than)];
  for (let index = 0; index < 3; index += 1) {
    if ((a[index] ?? 0) !== (b[index] ?? 0)) return (a[index] ?? 0) < (b[index] ?? 0);
  }
  return false;
}

/** What is wrong with this Node.js version: `refuse` below the minimum, `warn` on a major version nobody tried. */
export function nodeVersionProblem(version: string): { refuse: boolean; message: string } | null {
  if (older(version, MINIMUM_NODE)) {
    return {
      refuse: true,
      message: `Node.js ${version.replace(/^v/, '')} is too old: this bot needs Node.js ${MINIMUM_NODE} or newer (tried on ${TRIED_NODE}). Install a newer Node.js 20, for example with nvm: nvm install 20.`,
    };
  }
  if (parts(version)[0] !== parts(MINIMUM_NODE)[0]) {
    return {
      refuse: false,
      message: `Note: Node.js ${version.replace(/^v/, '')} has not been tried with this bot (it was tried on Node.js ${TRIED_NODE}).`,
    };
  }
  return null;
}

/** Stops the process with one clear line on a Node.js that is too old; warns on one that was never tried. */
export function checkNodeVersion(version = process.versions.node): void {
  const problem = nodeVersionProblem(version);
  if (!problem) return;
  process.stderr.write(`${problem.message}\n`);
  if (problem.refuse) process.exit(1);
}
