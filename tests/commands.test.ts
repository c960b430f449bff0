import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';

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
});
