/**
 * The script a trial process starts from. Every trial pays its process's start-up, so it is kept
 * short: worker.ts and the modules of ours it imports are bundled with esbuild into one CommonJS
 * file (packages stay external), and the process runs that with no loader. Measured (Node 20), from
 * fork to the answer of a backend probe on wasm:
 * - worker.ts through tsx: ≈ 0.55 s. Every start transpiles our ~30 modules again and passes every
 *   require, tfjs's included, through tsx's hooks.
 * - an ESM bundle: 0.28 s. Importing tfjs's CommonJS bundles from ESM makes Node scan their ~6 MB
 *   of source for named exports: tfjs took 238 ms to import, against 100 ms to require.
 * - this CommonJS bundle: 0.21 s.
 *
 * The bundle lives in node_modules/.cache/scalebench/ (a file there resolves packages exactly as
 * src/ does), is named by the hash of its contents so that concurrent sweeps and edited sources never
 * share a stale one, and is written to a temporary name and renamed, so no process sees half a file.
 * Where it can't be built or written (esbuild missing, a read-only install), workers run worker.ts
 * through tsx as before: slower to start, same results.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkerEntry {
  /** The script to fork. */
  file: string;
  /** Node options it needs. */
  execArgv: string[];
  bundled: boolean;
}

const SOURCE = fileURLToPath(new URL('./worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'scalebench');
/** Bundles of earlier sources are removed once this old. */
const STALE_MS = 24 * 3600 * 1000;

let entry: Promise<WorkerEntry> | undefined;

/** The worker script for this process's sweeps: built once, on first use. */
export function workerEntry(): Promise<WorkerEntry> {
  entry ??= bundle().catch((err: Error) => {
    process.stderr.write(`scalebench: trial processes start through tsx, about 0.3 s slower each: the worker bundle could not be written (${err.message.split('\n')[0]})\n`);
    return tsxEntry();
  });
  return entry;
}

/** worker.ts run through tsx: the fallback. */
export function tsxEntry(): WorkerEntry {
  return { file: SOURCE, execArgv: ['--import', import.meta.resolve('tsx')], bundled: false };
}

async function bundle(): Promise<WorkerEntry> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [SOURCE],
    absWorkingDir: ROOT, // the paths in the output, and so its hash, don't depend on where the sweep was started
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    // CommonJS has no import.meta: give our modules (which resolve package files from it) the bundle's URL.
    define: { 'import.meta.url': 'import_meta_url' },
    banner: { js: 'const import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].contents;
  const file = join(CACHE_DIR, `worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  prune(file);
  return { file, execArgv: [], bundled: true };
}

/** Remove other bundles not touched for a day (earlier versions of the sources); never fails. */
function prune(keep: string): void {
  try {
    const now = Date.now();
    for (const name of readdirSync(CACHE_DIR)) {
      const path = join(CACHE_DIR, name);
      if (path !== keep && /^worker-/.test(name) && now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    }
  } catch {
    // another sweep pruned it first, or the folder is read-only: nothing to do
  }
}
