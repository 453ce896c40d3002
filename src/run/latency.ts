/** Inference latency of a model on one batch, measured with tinybench. */
import type * as tf from '@tensorflow/tfjs';
import { Bench } from 'tinybench';
import type { LatencySpec } from '../experiment/types.ts';
import type { LatencyStats } from './types.ts';

/**
 * Time `model.predict(x)` as one batch (predict's own batching disabled), awaiting the result's
 * data in every call so that each sample is finished work on an asynchronous backend.
 * Runs until both `spec.time` ms have passed and `spec.iterations` calls were made, after a short
 * tinybench warm-up (a few calls, ≤ a quarter of the budget) that is not sampled.
 */
export async function measureLatency(model: tf.LayersModel, x: tf.Tensor, spec: LatencySpec): Promise<LatencyStats> {
  const batchSize = x.shape[0];
  const bench = new Bench({
    time: spec.time,
    iterations: spec.iterations,
    warmupIterations: Math.min(4, spec.iterations),
    warmupTime: spec.time / 4,
    throws: true,
  });
  bench.add(
    'predict',
    async () => {
      const y = model.predict(x, { batchSize }) as tf.Tensor;
      try {
        await y.data();
      } finally {
        y.dispose();
      }
    },
    { async: true },
  );
  const [task] = await bench.run();
  const result = task.result;
  if (result.state !== 'completed') {
    throw new Error(`latency benchmark ended ${result.state === 'errored' ? `with an error: ${result.error.message}` : `in state ${result.state}`}`);
  }
  const { mean, p50, p99, samplesCount, rme } = result.latency;
  return { meanMs: mean, p50Ms: p50, p99Ms: p99, samples: samplesCount, rme };
}
