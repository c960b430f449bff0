import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import { componentIds } from '../src/discord/componentIds.ts';
import { createRouter } from '../src/discord/router.ts';
import type { AppContext } from '../src/context.ts';

describe('the command list', () => {
  it('lists every file in commands/ exactly once, under the file name', () => {
    const files = readdirSync('commands')
      .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(commands.map((command) => command.data.name).sort()).toEqual(files);
  });

  it('has no two commands with one name', () => {
    const names = commands.map((command) => command.data.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('builds definitions within Discord limits: descriptions up to 100 characters and at most 25 options', () => {
    for (const command of commands) {
      const json = command.data.toJSON();
      expect(json.description.length, json.name).toBeLessThanOrEqual(100);
      expect((json.options ?? []).length, json.name).toBeLessThanOrEqual(25);
    }
  });

  it('hides instructor commands from students with Manage Server as the default permission', () => {
    const instructorOnly = ['review', 'setup', 'daily', 'questions', 'stats', 'export'];
    for (const command of commands.filter((c) => instructorOnly.includes(c.data.name))) {
      expect(command.data.toJSON().default_member_permissions, command.data.name).toBe('32');
    }
  });

  it('gates exactly the commands it hides: the router checks instructors where Discord hides the command', () => {
    const gated = commands
      .filter((command) => command.instructorOnly)
      .map((command) => command.data.name)
      .sort();
    expect(gated).toEqual(['daily', 'export', 'questions', 'review', 'setup', 'stats']);
    for (const command of commands) {
      const hidden = command.data.toJSON().default_member_permissions === '32';
      expect(hidden, command.data.name).toBe(command.instructorOnly);
    }
  });
});

describe('the custom ids', () => {
  const handlers = commands.flatMap((command) =>
    (command.components ?? []).map((handler) => ({ owner: command.data.name, handler })),
  );
  const declared = Object.entries(componentIds);

  it.each(declared)('gives %s exactly one handler, in the command its id names', (_name, id) => {
    const found = handlers.filter(({ handler }) => handler.id === id);
    expect(found).toHaveLength(1);
    expect(found[0]!.owner).toBe(id.command);
  });

  it('has no handler for an id the bot does not send, and no two ids with one kind, command and action', () => {
    const ids: unknown[] = declared.map(([, id]) => id);
    expect(handlers.filter(({ handler }) => !ids.includes(handler.id))).toEqual([]);
    const keys = declared.map(([, id]) => `${id.kind}:${id.command}:${id.action}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses to route two handlers for one id', () => {
    const [quiz] = commands;
    const twice = { ...quiz!, components: [...quiz!.components!, quiz!.components![0]!] };
    expect(() => createRouter([twice], {} as AppContext)).toThrow(/two handlers for button:quiz:answer/);
  });
});
