/** `scalebench report` through main(): inputs by path or name, overlays, --rev, and input errors. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../src/cli.ts';

const FIX = new URL('./fixtures/report/', import.meta.url).pathname;

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

test('report by experiment name, and with no argument one report per results CSV', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-report-'));
  const results = join(dir, 'results');
  execFileSync('mkdir', ['-p', results]);
  for (const f of ['tiny.csv', 'tiny.epochs.csv', 'small.csv']) copyFileSync(join(FIX, f), join(results, f));
  const reports = join(dir, 'reports');
  const one = await run(['report', 'tiny', '--results-dir', results, '--reports-dir', reports]);
  assert.equal(one.code, 0, one.err);
  assert.ok(existsSync(join(reports, 'tiny', 'index.html')));
  assert.ok(existsSync(join(reports, 'tiny', 'learning-curves.svg')));
  const all = await run(['report', '--results-dir', results, '--reports-dir', reports]);
  assert.equal(all.code, 0, all.err);
  assert.ok(existsSync(join(reports, 'small', 'README.md')));
  assert.equal(existsSync(join(reports, 'tiny.epochs')), false, 'epoch files get no report of their own');
});

test('report --compare overlays two runs, each a source on the same charts', async () => {
  const reports = mkdtempSync(join(tmpdir(), 'sb-report-cmp-'));
  const r = await run(['report', '--compare', join(FIX, 'tiny.csv'), join(FIX, 'small.csv'), '--reports-dir', reports]);
  assert.equal(r.code, 0, r.err);
  const spec = JSON.parse(readFileSync(join(reports, 'tiny-vs-small', 'accuracy-vs-params.vl.json'), 'utf8'));
  const sources = new Set(Object.values(spec.datasets as Record<string, { source?: string }[]>).flat().map((d) => d.source).filter(Boolean));
  assert.deepEqual([...sources].sort(), ['small', 'tiny']);
  const bad = await run(['report', '--compare', join(FIX, 'tiny.csv'), '--reports-dir', reports]);
  assert.equal(bad.code, 2);
  assert.equal(bad.err, 'scalebench: report --compare needs two results files (A B); got 1\n');
});

test('report --rev overlays the working file on its committed version', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'sb-report-rev-'));
  const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, stdio: 'ignore' });
  git('init', '-q');
  copyFileSync(join(FIX, 'tiny.csv'), join(repo, 'x.csv'));
  git('add', 'x.csv');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x');
  const [header, ...rows] = readFileSync(join(FIX, 'tiny.csv'), 'utf8').split('\n');
  writeFileSync(join(repo, 'x.csv'), [header, ...rows.map((r) => r.replace(',cpu,', ',wasm,'))].join('\n'));
  const reports = join(repo, 'reports');
  const r = await run(['report', join(repo, 'x.csv'), '--rev', 'HEAD', '--reports-dir', reports]);
  assert.equal(r.code, 0, r.err);
  const readme = readFileSync(join(reports, 'x-vs-HEAD', 'README.md'), 'utf8');
  assert.match(readme, /HEAD/);
  assert.match(readme, /working tree/);
});

test('a missing results file is one line and exit 2', async () => {
  const r = await run(['report', 'no-such-experiment', '--results-dir', '/nonexistent', '--reports-dir', mkdtempSync(join(tmpdir(), 'sb-r-'))]);
  assert.equal(r.code, 2);
  assert.equal(r.err, 'scalebench: /nonexistent/no-such-experiment.csv: no such results file (run a sweep first, or check the path)\n');
});
