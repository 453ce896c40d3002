/**
 * index.html in a real browser: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * opened from file:// with every non-file request refused. Every chart must draw marks, with nothing on
 * the console. Skipped only when /usr/bin/chromium is absent (.ci/run installs it).
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHART_NAMES } from '../src/report/charts/index.ts';
import { renderReport } from '../src/report/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'report');
const scratch = mkdtempSync(join(tmpdir(), 'scalebench-report-browser-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function render(names: string[], name: string): Promise<string> {
  const results = join(scratch, 'results');
  mkdirSync(results, { recursive: true });
  for (const n of names) {
    copyFileSync(join(fixtures, `${n}.csv`), join(results, `${n}.csv`));
    if (existsSync(join(fixtures, `${n}.epochs.csv`))) copyFileSync(join(fixtures, `${n}.epochs.csv`), join(results, `${n}.epochs.csv`));
  }
  await renderReport({ inputs: names.map((n) => join(results, `${n}.csv`)), outDir: join(scratch, 'reports'), name, formats: ['html'] });
  return join(scratch, 'reports', name, 'index.html');
}

describe('index.html in headless Chromium', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install chromium; .ci/run does)` }, () => {
  for (const [label, inputs] of [['one CSV', ['small']], ['an overlay of two CSVs', ['small', 'cpu']]] as const) {
    it(`renders every chart with marks and a clean console: ${label}`, async () => {
      const page = await render([...inputs], inputs.join('-'));
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      });
      try {
        const context = await browser.newContext();
        const offline: string[] = [];
        await context.route(/^(?!file:)/, (route) => {
          offline.push(route.request().url());
          return route.abort();
        });
        const tab = await context.newPage();
        const console: string[] = [];
        tab.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
        tab.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
        await tab.goto(pathToFileURL(page).href);
        await tab.waitForFunction(() => document.body.dataset.rendered !== undefined, null, { timeout: 30_000 });
        assert.equal(await tab.evaluate(() => document.body.dataset.rendered), 'true');
        const marks = await tab.evaluate((names) => Object.fromEntries(names.map((n) => {
          const el = document.getElementById(`chart-${n}`);
          const drawn = el?.querySelectorAll('.role-mark path, .role-mark line, .role-mark text').length ?? 0;
          const canvas = el?.querySelector('canvas') ? 1 : 0;
          return [n, drawn + canvas];
        })), [...CHART_NAMES]);
        for (const n of CHART_NAMES) assert.ok(marks[n] > 0, `${n} drew no marks (${JSON.stringify(marks)})`);
        assert.deepEqual(console, [], 'the console is clean');
        assert.deepEqual(offline, [], 'the page asks for nothing beyond file://');
      } finally {
        await browser.close();
      }
    });
  }
});
