/**
 * The corpus of bad inputs (test/fixtures/bad/, see its README.md): every case must end with exit 2,
 * exactly its expected line on stderr (naming the file and the field), nothing on stdout, no stack
 * trace, and not one file written or changed in the results folder or next to the experiment.
 * Every case runs in this process through main() (fast); a handful also through the real binary.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = 'test/fixtures/bad';
process.chdir(ROOT); // cases name their files relative to the project root, as a user would type them

interface Case {
  name: string;
  /** argv after `sweep`, with {results} standing for the case's results folder. */
  argv: string[];
  /** The exact stderr line, without its newline; {results} and {cwd} as in argv. */
  expected: string;
  /** Files copied into the results folder before the run (name.results/), if any. */
  seed?: string;
}

function loadCases(): Case[] {
  const files = readdirSync(join(ROOT, CORPUS));
  return files
    .filter((f) => f.endsWith('.stderr'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.stderr'.length);
      const at = (ext: string) => join(ROOT, CORPUS, `${name}${ext}`);
      const experiment = files.find((g) => g === `${name}.yaml` || g === `${name}.json`);
      const argv = existsSync(at('.args'))
        ? (JSON.parse(readFileSync(at('.args'), 'utf8')) as string[])
        : [`${CORPUS}/${experiment ?? assert.fail(`${name}: needs ${name}.yaml, ${name}.json or ${name}.args`)}`, '--results-dir', '{results}'];
      const expected = readFileSync(at('.stderr'), 'utf8').replace(/\n$/, '');
      return { name, argv, expected, seed: existsSync(at('.results')) ? at('.results') : undefined };
    });
}

/** Every file under `dir`: relative path → size, mtime and a hash of the content. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.set(relative(dir, p), `${s.size} ${s.mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
      }
    }
  };
  walk(dir);
  return out;
}

/** A results folder for one case: the case's seeded files plus a canary. */
function resultsFolder(c: Case): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bad-'));
  if (c.seed) cpSync(c.seed, dir, { recursive: true });
  cpSync(join(ROOT, CORPUS, 'README.md'), join(dir, 'canary.md'));
  return dir;
}

const fill = (s: string, results: string) => s.replaceAll('{results}', results).replaceAll('{cwd}', ROOT.replace(/\/$/, ''));

const cases = loadCases();

test('the corpus has at least 30 cases, each with its expected line', () => {
  assert.ok(cases.length >= 30, `only ${cases.length} cases`);
  for (const c of cases) assert.match(c.expected, /^scalebench: [^\n]+$/, c.name);
});

async function check(c: Case, run: (argv: string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>): Promise<void> {
  const results = resultsFolder(c);
  const before = { results: snapshot(results), corpus: snapshot(join(ROOT, CORPUS)) };
  const r = await run(['sweep', ...c.argv.map((a) => fill(a, results))]);
  assert.equal(r.stderr, `${fill(c.expected, results)}\n`, `${c.name}: stderr`);
  assert.equal(r.code, 2, `${c.name}: exit code`);
  assert.equal(r.stdout, '', `${c.name}: stdout`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.deepEqual(snapshot(results), before.results, `${c.name}: the results folder is unchanged`);
  assert.deepEqual(snapshot(join(ROOT, CORPUS)), before.corpus, `${c.name}: nothing written next to the experiment`);
}

const inProcess = async (argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  return { code, stdout, stderr };
};

for (const c of cases) {
  test(`bad input ${c.name}: exit 2, one line, nothing written`, () => check(c, inProcess));
}

/** The real binary: its own process, real stderr, so a stack trace or a second line would show. */
const binary = (argv: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/scalebench.js'), ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

const THROUGH_BINARY = ['yaml-unclosed-flow', 'unknown-section-key', 'over-max-trials', 'csv-non-numeric', 'mnist-too-many', 'name-escapes', 'cli-backend-unknown', 'backend-forced-unavailable', 'results-other-schema'];

for (const name of THROUGH_BINARY) {
  test(`bad input ${name}, through bin/scalebench.js`, async () => {
    const c = cases.find((k) => k.name === name) ?? assert.fail(`no case ${name}`);
    await check(c, binary);
  });
}
