/**
 * A trial's own process: select the backend, load the data, train, report, exit.
 * Running each trial in a fresh process keeps its memory figures and any crash its own.
 */
import type { FromWorker, ToWorker } from './protocol.ts';

// tsx turns on source maps, and Node then reads and parses the map of every module it loads, the
// 5.7 MB map of the tfjs bundle included: ≈ 80 ms of every trial's start-up (measured, Node 20).
// A worker reports errors by message, never by stack, so it loads its modules without them.
process.setSourceMapsEnabled(false);
const modules = Promise.all([import('../backend/select.ts'), import('../data/index.ts'), import('./train.ts')]);

// If the sweep dies (even by SIGKILL) the IPC channel closes: end with it, leaving no stray process.
process.on('disconnect', () => process.exit(1));
// Ctrl-C in a terminal signals the whole process group, this worker included. The sweep decides what
// an interrupt does to a running trial (it keeps a finished one and kills the rest), so ignore it here.
process.on('SIGINT', () => {});

const send = (msg: FromWorker) => new Promise<void>((resolve) => process.send!(msg, () => resolve()));

process.once('message', async (msg: ToWorker) => {
  const [{ selectBackend }, { loadDataset }, { trainTrial }] = await modules;
  let backend;
  try {
    backend = await selectBackend(msg.options.backend, { tune: msg.options.tune });
  } catch (err) {
    await send({ kind: 'backend-error', message: (err as Error).message });
    process.exit(0);
  }
  if (msg.kind === 'probe') {
    await send({ kind: 'backend', backend });
    process.exit(0);
  }
  const { trial, options } = msg;
  try {
    const dataset = await loadDataset(trial.settings.dataset, trial.seed, options.baseDir);
    await send({ kind: 'started', backend, features: dataset.features, classes: dataset.classes });
    const onEpoch = (e: { epoch: number; trainLoss: number }) => void send({ kind: 'epoch', epoch: e.epoch, trainLoss: e.trainLoss });
    const outcome = await trainTrial({ trial, dataset, latency: options.latency, repeats: options.repeats, onEpoch });
    await send({ kind: 'done', outcome });
  } catch (err) {
    await send({ kind: 'done', outcome: { status: 'failed', error: (err as Error).message } });
  }
  process.exit(0);
});
