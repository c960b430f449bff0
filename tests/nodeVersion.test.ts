import { describe, expect, it } from 'vitest';
import { MINIMUM_NODE, nodeVersionProblem } from '../src/nodeVersion.ts';

describe('the Node.js version check', () => {
  it('refuses versions older than the minimum with what to install, naming the version found', () => {
    for (const version of ['v20.11.1', '20.18.9', '18.20.0']) {
      const problem = nodeVersionProblem(version);
      expect(problem?.refuse, version).toBe(true);
      expect(problem?.message).toMatch(
        new RegExp(
          `^Node\\.js ${version.replace(/^v/, '').replaceAll('.', '\\.')} is too old: this bot needs Node\\.js 20\\.19\\.0 or newer \\(tried on 20\\.20\\)`,
        ),
      );
    }
  });

  it('accepts the minimum and the version it was tried on', () => {
    expect(MINIMUM_NODE).toBe('20.19.0');
    expect(nodeVersionProblem('20.19.0')).toBeNull();
    expect(nodeVersionProblem('v20.20.2')).toBeNull();
  });

  it('warns, without refusing, on a newer major version nobody tried', () => {
    expect(nodeVersionProblem('22.12.0')).toEqual({
      refuse: false,
      message: expect.stringMatching(/^Note: Node\.js 22\.12\.0 has not been tried/),
    });
  });

  it('this machine runs a supported version', () => {
    expect(nodeVersionProblem(process.versions.node)?.refuse ?? false).toBe(false);
  });
});
