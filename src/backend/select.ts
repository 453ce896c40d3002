/**
 * Choose the tfjs backend a process trains on: native TensorFlow, wasm or plain JavaScript.
 *
 * 'auto' takes the first that loads of tensorflow (@tensorflow/tfjs-node, an optional
 * dependency that downloads libtensorflow when installed), wasm and cpu. A forced backend that
 * cannot load is a BackendError whose message says what to do.
 *
 * wasm in Node: the package finds its .wasm files next to its own script in node_modules, so no
 * setWasmPaths is needed. Of its three binaries Node gets the SIMD one (the fastest that loads):
 * the threaded-SIMD binary needs a Worker built from a blob: URL, which Node's worker_threads
 * refuses (ERR_WORKER_PATH), and tfjs turns it off in Node; its matrix product would not use
 * the threads anyway (XNNPACK runs there without a thread pool). Plain wasm is ~2.5× slower.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice, BackendName } from '../experiment/types.ts';
import { setCpuTuning } from './tune-cpu.ts';
import { setWasmTuning } from './tune-wasm.ts';

export interface SelectedBackend {
  name: BackendName;
  /** tfjs version (tf.version.tfjs). */
  version: string;
  /** Whether tuned matrix-product kernels are active (wasm or cpu with tuning on; see tune-*.ts). */
  tuned: boolean;
}

export interface SelectOptions {
  /** Tuned kernels where a backend has them (wasm, cpu). Default true; false gives stock tfjs for comparison. */
  tune?: boolean;
}

/** A forced backend that cannot be loaded; the message is one line and says what to do. */
export class BackendError extends Error {
  override name = 'BackendError';
}

const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let current: { key: string; selected: Promise<SelectedBackend> } | undefined;

/** Make `choice` the active backend. Idempotent: the same call again returns the same answer without reloading. */
export function selectBackend(choice: BackendChoice, opts: SelectOptions = {}): Promise<SelectedBackend> {
  const tune = opts.tune ?? true;
  const key = `${choice}/${tune}`;
  if (current?.key === key) return current.selected;
  const selected = select(choice, tune);
  current = { key, selected };
  selected.catch(() => {
    if (current?.selected === selected) current = undefined;
  });
  return selected;
}

async function select(choice: BackendChoice, tune: boolean): Promise<SelectedBackend> {
  for (const name of choice === 'auto' ? AUTO_ORDER : [choice]) {
    const problem = await load(name);
    if (problem === undefined) return { name, version: tf.version.tfjs, tuned: applyTuning(name, tune) };
    if (choice !== 'auto') throw new BackendError(`backend '${name}' is not available: ${problem}`);
  }
  throw new BackendError('no tfjs backend could be loaded: reinstall the dependencies (npm ci)');
}

/** Load and activate one backend; undefined on success, otherwise why it failed and what to do. */
async function load(name: BackendName): Promise<string | undefined> {
  if (name === 'tensorflow') {
    const problem = await importOptional('@tensorflow/tfjs-node');
    if (problem !== undefined) return problem;
  }
  if (name === 'wasm') {
    const problem = await importOptional('@tensorflow/tfjs-backend-wasm');
    if (problem !== undefined) return problem;
  }
  if (tf.getBackend() === name) return undefined;
  if (tf.findBackendFactory(name) == null) return `tfjs has no '${name}' backend registered (is the package installed for this tfjs ${tf.version.tfjs}?)`;
  if (name === 'cpu') quietCpuGreeting();
  if (!(await tf.setBackend(name))) return `it failed to initialise (see the warning above); choose another backend with --backend`;
  await tf.ready();
  return undefined;
}

async function importOptional(pkg: string): Promise<string | undefined> {
  try {
    await import(pkg);
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const missing = (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && e.message.includes(`'${pkg}'`);
    if (missing && pkg === '@tensorflow/tfjs-node') return `${pkg} is not installed (it downloads libtensorflow at install time; see README)`;
    if (missing) return `${pkg} is not installed (run npm ci)`;
    return `${pkg} failed to load (${firstLine(e.message)}); reinstall it or choose another backend with --backend`;
  }
}

function applyTuning(name: BackendName, tune: boolean): boolean {
  if (tf.findBackendFactory('wasm') != null) setWasmTuning(tune && name === 'wasm');
  setCpuTuning(tune && name === 'cpu');
  return tune && (name === 'wasm' || name === 'cpu');
}

/**
 * The cpu backend greets its first tensor in Node with a banner recommending tfjs-node. The
 * choice of backend is already reported, so mark the greeting as given (a field of
 * MathBackendCPU; harmless if a later tfjs renames it).
 */
function quietCpuGreeting(): void {
  const cpu = tf.engine().findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu != null) cpu.firstUse = false;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}
