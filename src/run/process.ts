/** Run one message in a fresh worker process and collect what it reports. A process that dies is a `failed` outcome, never a crash of the sweep. */
import { fork, type ChildProcess } from 'node:child_process';
import type { Trial } from '../experiment/types.ts';
import type { BackendInfo, FromWorker, ToWorker, WorkerOptions } from './protocol.ts';
import type { TrialOutcome } from './types.ts';
import { workerEntry, type WorkerEntry } from './worker-entry.ts';

/** Children alive right now, so an interrupt can end them all. */
export const liveChildren = new Set<ChildProcess>();

export interface WorkerReport {
  outcome: TrialOutcome;
  /** The worker reported its outcome itself (false: it died first, and `outcome` says how). */
  finished: boolean;
  backend?: BackendInfo;
  features?: number;
  classes?: number;
}

export interface WorkerExit {
  messages: FromWorker[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** It was killed for running past `timeoutS`. */
  timedOut: boolean;
}

export interface RunWorkerOptions {
  /** Told of each message as it arrives. */
  onMessage?: (m: FromWorker) => void;
  /** A worker still alive this many seconds after its start is killed (SIGKILL). */
  timeoutS?: number;
  /** The script to start; default: workerEntry(). */
  entry?: WorkerEntry;
}

/** Spawn a worker, send it `msg`, forward its messages to `onMessage`, and resolve when it exits. */
export async function runWorker(msg: ToWorker, { onMessage = () => {}, timeoutS, entry }: RunWorkerOptions = {}): Promise<WorkerExit> {
  const { file, execArgv } = entry ?? (await workerEntry());
  return new Promise((resolve) => {
    const child = fork(file, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    liveChildren.add(child);
    let timedOut = false;
    const timer = timeoutS === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    const messages: FromWorker[] = [];
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('message', (m: FromWorker) => {
      messages.push(m);
      onMessage(m);
    });
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      liveChildren.delete(child);
      resolve({ messages, code, signal, stderr, timedOut });
    });
    child.send(msg);
  });
}

/** The last meaningful line a dead process printed, e.g. V8's "JavaScript heap out of memory". */
function causeOf(stderr: string, code: number | null, signal: NodeJS.Signals | null, who = 'trial process'): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at ') && !/^=+$/.test(l));
  const oom = lines.find((l) => /out of memory|allocation failed/i.test(l));
  const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
  const last = oom ?? lines.filter((l) => !/^(Node\.js v|\(Use `node --trace)/.test(l)).pop();
  return `${who} ${how}${last ? `: ${last}` : ''}`;
}

/** Run one trial in its own process; with `timeoutS`, one still running after that many seconds is killed and `failed`. */
export async function runTrialProcess(trial: Trial, options: WorkerOptions, onMessage?: (m: FromWorker) => void, timeoutS?: number): Promise<WorkerReport> {
  const { messages, code, signal, stderr, timedOut } = await runWorker({ kind: 'trial', trial, options }, { onMessage, timeoutS });
  const started = messages.find((m) => m.kind === 'started');
  const done = messages.find((m) => m.kind === 'done');
  const backendError = messages.find((m) => m.kind === 'backend-error');
  const cause = timedOut ? `trial process timed out after ${timeoutS} s` : causeOf(stderr, code, signal);
  const outcome: TrialOutcome = done?.outcome ?? { status: 'failed', error: backendError?.message ?? cause };
  return { outcome, finished: done !== undefined, backend: started?.backend, features: started?.features, classes: started?.classes };
}

/** Load the backend in a throwaway process: resolves what `auto` picks, or rejects with why a forced one can't load. */
export async function probeBackend(options: WorkerOptions): Promise<BackendInfo> {
  const { messages, code, signal, stderr } = await runWorker({ kind: 'probe', options });
  for (const m of messages) {
    if (m.kind === 'backend') return m.backend;
    if (m.kind === 'backend-error') throw new BackendUnavailable(m.message);
  }
  throw new BackendUnavailable(`backend '${options.backend}' could not be loaded: ${causeOf(stderr, code, signal, 'its probe process')}`);
}

export class BackendUnavailable extends Error {
  override name = 'BackendUnavailable';
}
