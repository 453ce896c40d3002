/**
 * Test helpers for whole-process tests: run the real CLI, wait for a condition, find the processes a run left.
 * Sweeps in these tests pass --no-report: their results folders are temporary, and the report would go
 * to a shared reports/ beside them.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/scalebench.js', import.meta.url));

export interface Run {
  pid: number;
  /** Resolves when the process has exited. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** What it has printed on stderr so far. */
  stderr: () => string;
}

/**
 * Start `scalebench <args>` with `env` added. `tag` is put in the environment as SCALEBENCH_TEST_TAG;
 * every process the run starts inherits it, which is how `tagged` finds them (scalebench never reads it).
 * `detached` puts the run in its own process group, so a test can signal the group as a terminal's Ctrl-C does.
 */
export function startCli(args: string[], opts: { env?: Record<string, string>; tag?: string; detached?: boolean } = {}): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
    env: { ...process.env, ...opts.env, ...(opts.tag ? { SCALEBENCH_TEST_TAG: opts.tag } : {}) },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid!, done, stderr: () => stderr };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `pred` every `every` ms until it holds; throws after `ms`. */
export async function waitFor(pred: () => boolean, what: string, ms = 60_000, every = 10): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

/** Live processes whose environment carries SCALEBENCH_TEST_TAG=`tag`, with their command lines (Linux /proc). */
export function tagged(tag: string): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  const needle = `SCALEBENCH_TEST_TAG=${tag}\0`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (/^\d+ \(.*\) Z/.test(stat)) continue; // a zombie has exited; only its parent's wait is missing
      out.push({ pid: Number(entry), cmd: readFileSync(`/proc/${entry}/cmdline`, 'latin1').replaceAll('\0', ' ').trim() });
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return out;
}

/** Whether a command line is a trial worker's: the cached bundle (src/run/worker-entry.ts) or worker.ts run through tsx. */
export const isWorker = (cmd: string): boolean => /\/worker(\.ts|-[0-9a-f]{16}\.cjs)\b/.test(cmd);

/** Wait until no process carries `tag` (a worker notices its sweep died at its next idle moment); returns the stragglers if any remain. */
export async function strays(tag: string, graceMs = 5000): Promise<{ pid: number; cmd: string }[]> {
  const end = Date.now() + graceMs;
  let left = tagged(tag);
  while (left.length > 0 && Date.now() < end) {
    await sleep(50);
    left = tagged(tag);
  }
  return left;
}
