/**
 * Every output format of `compare`, against golden files in test/fixtures/compare/golden/ (UPDATE_GOLDEN=1 rewrites
 * them). The comparison is old.csv → new.csv: another machine and backend, a 20% slowdown at width=32, a diverged
 * row, and a configuration on each side only — every warning the formats must carry.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { compareRuns } from '../src/compare/build.ts';
import { FORMATS } from '../src/compare/format/index.ts';
import { CSV_COLUMNS } from '../src/compare/format/csv.ts';
import { COLUMNS } from '../src/results/columns.ts';
import { parseCsv } from '../src/results/read.ts';

const dir = new URL('./fixtures/compare/', import.meta.url).pathname;
const side = (name: string) => ({ name, rows: parseCsv(readFileSync(join(dir, name), 'utf8'), COLUMNS, name) });
const EXTENSIONS = { text: 'txt', markdown: 'md', csv: 'csv', json: 'json' } as const;

function golden(name: string, actual: string): void {
  const file = join(dir, 'golden', name);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(join(dir, 'golden'), { recursive: true });
    writeFileSync(file, actual);
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} (UPDATE_GOLDEN=1 to accept a deliberate change)`);
}

const cmp = compareRuns(side('old.csv'), side('new.csv'));

for (const [format, ext] of Object.entries(EXTENSIONS) as [keyof typeof FORMATS, string][]) {
  test(`${format} output matches golden/old-new.${ext}`, () => golden(`old-new.${ext}`, FORMATS[format](cmp)));
}

test('text output of the planted slowdown matches golden/base-slow.txt', () => {
  golden('base-slow.txt', FORMATS.text(compareRuns(side('base.csv'), side('slow.csv'))));
});

test('csv output parses back with full precision, one row per configuration and metric', () => {
  const records: string[][] = parse(FORMATS.csv(cmp));
  assert.deepEqual(records[0], [...CSV_COLUMNS]);
  const time32 = records.find((r) => r[0] === 'train_time_s' && r[1] === 'width=32')!;
  const cell = cmp.tables.find((t) => t.metric === 'train_time_s')!.cells[0];
  assert.equal(Number(time32[4]), cell.a.median);
  assert.equal(Number(time32[11]), cell.delta);
  assert.equal(Number(time32[13]), cell.p);
  assert.equal(records.filter((r) => r[0] === '').length, 2, 'one row per one-sided configuration');
});

test('json output round-trips: unbounded intervals are null, numbers keep full precision', () => {
  const doc = JSON.parse(FORMATS.json(cmp));
  assert.equal(doc.metrics[0].configs[0].old.lo, null);
  assert.equal(doc.metrics[2].configs[0].p, cmp.tables[2].cells[0].p);
  assert.deepEqual(doc.only_old, [{ trial_id: '742eb630725e', config: 'width=128', rows: 4 }]);
  assert.equal(doc.environment.cross_machine, true);
});

test('markdown escapes ~ so GitHub does not strike text through', () => {
  const md = FORMATS.markdown(cmp);
  assert.doesNotMatch(md.replace(/\\~/g, ''), /~/);
  assert.match(md, /^> \[!WARNING\]$/m);
});
