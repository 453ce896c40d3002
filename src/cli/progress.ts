/** Sweep progress on the terminal: a bar with n/N, configuration, last loss and ETA on a TTY; one plain line per trial otherwise. */
import cliProgress from 'cli-progress';
import type { Trial } from '../experiment/types.ts';
import type { SweepEvent } from '../run/sweep.ts';

/** `width=64 depth=2 lr=0.01 seed=1`: the trial's axis values, short. */
export function label(trial: Trial, axes: string[]): string {
  const flat: Record<string, unknown> = {};
  for (const [section, values] of Object.entries(trial.settings)) for (const [k, v] of Object.entries(values)) flat[`${section}.${k}`] = v;
  const parts = axes.map((a) => `${a.split('.').pop()}=${flat[a]}`);
  return [...parts, `seed=${trial.seed}`].join(' ');
}

const fmt = (x: number | undefined, digits = 4) => (x === undefined || !Number.isFinite(x) ? '-' : x.toPrecision(digits));

export function progressReporter(axes: string[], stream: NodeJS.WriteStream = process.stderr): { onEvent: (e: SweepEvent) => void; stop: () => void } {
  const tty = stream.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  const onEvent = (e: SweepEvent) => {
    switch (e.kind) {
      case 'plan':
        stream.write(`${e.todo} of ${e.total} trials to run on ${e.backend.name}${e.backend.tuned ? ' (tuned)' : ''} → ${e.csv}\n`);
        if (tty && e.todo > 0) {
          bar = new cliProgress.SingleBar(
            { format: 'trial {value}/{total} [{bar}] {config} loss {loss} | ETA {eta_formatted}', hideCursor: true, etaBuffer: 20, stream, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(e.todo, 0, { config: '', loss: '-' });
        }
        break;
      case 'start':
        bar?.update({ config: label(e.trial, axes), loss: '-' });
        break;
      case 'epoch':
        bar?.update({ loss: fmt(e.trainLoss) });
        break;
      case 'finish': {
        const r = e.row;
        if (bar) bar.increment(1, { loss: fmt(Number(r.train_loss)) });
        else {
          const detail = e.outcome.status === 'ok'
            ? `test_acc ${fmt(Number(r.test_accuracy))} train ${fmt(Number(r.train_time_s), 3)}s`
            : `${e.outcome.status}: ${r.error}`;
          stream.write(`[${e.n}/${e.todo}] ${label(e.trial, axes)} params=${e.trial.params} ${detail}\n`);
        }
        break;
      }
    }
  };
  return { onEvent, stop: () => bar?.stop() };
}
