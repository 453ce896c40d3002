/** The trial worker's start-up script: an esbuild bundle of our sources, cached by content hash. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { CACHE_DIR, tsxEntry, workerEntry } from '../src/run/worker-entry.ts';
import type { FromWorker, ToWorker } from '../src/run/protocol.ts';
import { runWorker } from '../src/run/process.ts';

test('workers start from one bundle of our sources, named by its hash; packages stay external; it runs without tsx', async () => {
  const entry = await workerEntry();
  assert.equal(entry.bundled, true);
  assert.deepEqual(entry.execArgv, []);
  assert.equal(dirname(entry.file), CACHE_DIR);
  assert.match(entry.file, /\/worker-[0-9a-f]{16}\.cjs$/);
  assert.equal(await workerEntry(), entry, 'built once per process');
  const code = readFileSync(entry.file, 'utf8');
  // No module of ours is left to load at run time, and tfjs is required, not inlined.
  assert.doesNotMatch(code, /(require|import)\(["']\.{1,2}\//);
  assert.match(code, /require\("@tensorflow\/tfjs"\)/);
  assert.doesNotMatch(code, /import\.meta/, 'CommonJS has none: the banner stands in for import.meta.url');
  // It answers a backend probe, the first thing every sweep asks of it.
  const { messages, code: exit } = await runWorker(PROBE);
  assert.equal(exit, 0);
  assert.deepEqual(backendNames(messages), ['cpu']);
});

test('the fallback, worker.ts through tsx, answers the same probe', async () => {
  const entry = tsxEntry();
  assert.equal(entry.bundled, false);
  assert.match(entry.file, /\/src\/run\/worker\.ts$/);
  assert.deepEqual(backendNames((await runWorker(PROBE, { entry })).messages), ['cpu']);
});

const PROBE: ToWorker = { kind: 'probe', options: { backend: 'cpu', tune: true, latency: { time: 1, iterations: 1, batch: 1 }, repeats: 1, baseDir: '.' } };

const backendNames = (messages: FromWorker[]) => messages.map((m) => m.kind === 'backend' && m.backend.name);
