/**
 * The committed reports/ match the committed results/: rendering every results/*.csv afresh gives exactly
 * the files under reports/<name>/ (and reports/lib/). Fix a failure with `npm run report` and commit reports/.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderReport, resultFiles } from '../src/report/index.ts';
import { epochsPath } from '../src/report/load.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = resultFiles(join(root, 'results'));
const scratch = mkdtempSync(join(tmpdir(), 'scalebench-report-committed-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('committed reports', { skip: results.length ? false : 'no results/*.csv committed yet' }, () => {
  for (const csv of results) {
    const name = basename(csv).replace(/\.csv$/, '');
    it(`reports/${name}/ is what results/${name}.csv renders to`, async () => {
      const committed = join(root, 'reports', name);
      assert.ok(existsSync(committed), `reports/${name}/ is missing: run \`npm run report\` and commit reports/`);
      // Render from a copy in the same layout (results/ beside reports/) so relative links come out the same.
      mkdirSync(join(scratch, 'results'), { recursive: true });
      const copy = join(scratch, 'results', basename(csv));
      copyFileSync(csv, copy);
      if (existsSync(epochsPath(csv))) copyFileSync(epochsPath(csv), epochsPath(copy));
      const out = join(scratch, 'reports');
      const { files } = await renderReport({ inputs: [copy], outDir: out, name });
      const fresh = files.filter((f) => f.startsWith(join(out, name))).map((f) => basename(f)).sort();
      assert.deepEqual(readdirSync(committed).sort(), fresh, `reports/${name}/ holds other files than a fresh render: run \`npm run report\``);
      for (const f of files) {
        const rel = f.slice(out.length + 1);
        assert.ok(readFileSync(f).equals(readFileSync(join(root, 'reports', rel))), `reports/${rel} is stale: run \`npm run report\` and commit reports/`);
      }
    });
  }
});
