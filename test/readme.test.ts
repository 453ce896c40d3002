/** The README is part of the interface: its column table and its examples are checked so they cannot drift. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { COLUMN_DOCS } from '../src/results/columns.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('the README opens with the two commands', () => {
  const firstBlock = readme.slice(readme.indexOf('```sh'), readme.indexOf('```', readme.indexOf('```sh') + 5));
  assert.match(firstBlock, /^npm install && npm run sweep\b/m);
  assert.match(firstBlock, /^npm test\b/m);
});

test('the README column table lists every results column, in order, with its doc', () => {
  const table = readme.slice(readme.indexOf('<!-- columns:start'), readme.indexOf('<!-- columns:end'));
  const rows = [...table.matchAll(/^\| `([a-z_0-9]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2].replace(/\\\|/g, '|')]);
  assert.deepEqual(rows, Object.entries(COLUMN_DOCS));
});

test('every experiment file the README names exists', () => {
  const named = new Set([...readme.matchAll(/experiments\/[a-z0-9-]{2,}\.yaml/g)].map((m) => m[0]));
  assert.ok(named.size >= 4);
  for (const f of named) assert.ok(existsSync(new URL(`../${f}`, import.meta.url)), f);
});
