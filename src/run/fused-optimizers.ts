/**
 * Adam, SGD and RMSprop with each variable's update done in one JavaScript pass over the
 * backend's memory (src/backend/memory.ts), instead of tfjs's 3–13 tensor ops per variable.
 *
 * Why: on small models a training step is dominated by per-op dispatch, and tfjs's Adam is ~13
 * kernels per variable (≈ 70 of a 64×2 step's ≈ 170). Here the update is one loop per variable
 * that reads the gradient and writes the optimizer state in place and the weights in place (cpu)
 * or to a fresh buffer the variable is assigned (wasm, whose XNNPACK caches packed weights per buffer).
 *
 * Numerics: every float32 operation of the stock optimizer (tfjs-core 4.22 adam_optimizer.js,
 * sgd_optimizer.js, rmsprop_optimizer.js, non-centered) is replayed in the same order with
 * Math.fround after each step. +, −, ×, ÷ and √ computed in float64 and rounded once to float32
 * give the correctly rounded float32 result, so the weights match the stock optimizer's bit for
 * bit on a backend whose elementwise kernels are IEEE float32 (wasm, cpu); test/optimizers.test.ts
 * checks this against tf.train.* to a tight tolerance.
 *
 * State (moments) stays in tfjs variables of the same shapes as the stock optimizer's, so tensor
 * memory figures count it as before. Only used where tunedStorage() says so (wasm or cpu, tuning on).
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../experiment/types.ts';
import { tunedStorage } from '../backend/memory.ts';

type Storage = NonNullable<ReturnType<typeof tunedStorage>>;

/**
 * Variables this large or larger are updated with tfjs ops instead of the loop. Measured on wasm
 * (Adam, epoch of 4096 examples, batch 128): the loop alone made 64×2 1.5× faster, but 256×2
 * 0.92× and 512×4, 1024×4 0.87× as fast, so the loop's break-even is below a 256×256 kernel.
 */
export const LOOP_MAX_SIZE = 16384;
const f = Math.fround;

/** Shared plumbing: per-variable state slots created as zeros on first use, in-place update per variable. */
abstract class FusedOptimizer extends tf.Optimizer {
  private readonly state = new Map<string, tf.Variable[]>();
  constructor(private readonly storage: Storage, private readonly slots: number) {
    super();
  }

  /**
   * Update one variable: read its weights from `w`, write the new ones to `out` (the same array
   * when updating in place); `g` and the state slots `s` (updated in place) are live views, all the same length.
   */
  protected abstract update(w: Float32Array, out: Float32Array, g: Float32Array, s: Float32Array[]): void;
  /**
   * The same update as `update` with tfjs ops (the stock optimizer's, in the same order), for
   * variables of LOOP_MAX_SIZE elements or more, where XNNPACK's vectorised elementwise kernels
   * beat the scalar JavaScript loop and the dispatch cost no longer matters.
   */
  protected abstract updateWithOps(value: tf.Variable, g: tf.Tensor, s: tf.Variable[]): void;
  /** Once per step, after all variables (e.g. Adam's β powers). */
  protected endStep(): void {}

  override applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const pairs: [string, tf.Tensor][] = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor])
      : Object.entries(variableGradients);
    for (const [name, gradient] of pairs) {
      const value = tf.engine().registeredVariables[name];
      if (gradient == null || value == null) continue;
      if (value.dtype !== 'float32' || gradient.dtype !== 'float32') throw new Error(`fused optimizer: ${name} is not float32`);
      let slots = this.state.get(name);
      if (slots === undefined) {
        slots = Array.from({ length: this.slots }, () => tf.tidy(() => tf.zerosLike(value).variable(false)));
        this.state.set(name, slots);
      }
      const st = this.storage;
      if (value.size >= LOOP_MAX_SIZE) {
        tf.tidy(() => this.updateWithOps(value, gradient, slots!));
      } else if (st.inPlace) {
        // Writing in place is safe only if no other tensor shares the weights' buffer: give it its own.
        if (st.refCount(value) !== 1) {
          const copy = tf.mul(value, 1);
          value.assign(copy);
          copy.dispose();
        }
        const w = st.view(value);
        this.update(w, w, st.view(gradient), slots.map((t) => st.view(t)));
      } else {
        const next = st.allocate(value.shape);
        try {
          // Views after the allocation: no allocation may come between taking them and using them (wasm heap growth).
          this.update(st.view(value), st.view(next), st.view(gradient), slots.map((t) => st.view(t)));
          value.assign(next);
        } finally {
          next.dispose();
        }
      }
    }
    this.endStep();
    this.incrementIterations();
  }

  override dispose(): void {
    for (const slots of this.state.values()) tf.dispose(slots);
    this.state.clear();
    super.dispose();
  }

  override async getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]> {
    throw new Error('fused optimizers do not export their weights');
  }
  override async setWeights(): Promise<void> {
    throw new Error('fused optimizers do not import weights');
  }
  override getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}

/** tf.train.adam(learningRate) with its defaults (β₁ 0.9, β₂ 0.999, ε = backend epsilon). */
export class FusedAdam extends FusedOptimizer {
  static className = 'FusedAdam';
  private accBeta1: number;
  private accBeta2: number;
  constructor(storage: Storage, private readonly learningRate: number, private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly epsilon = tf.backend().epsilon()) {
    super(storage, 2);
    this.accBeta1 = f(beta1);
    this.accBeta2 = f(beta2);
  }
  protected update(w: Float32Array, out: Float32Array, g: Float32Array, [m, v]: Float32Array[]): void {
    const b1 = f(this.beta1), b2 = f(this.beta2), c1 = f(1 - this.beta1), c2 = f(1 - this.beta2);
    const d1 = f(1 - this.accBeta1), d2 = f(1 - this.accBeta2), eps = f(this.epsilon), nlr = f(-this.learningRate);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      const mi = f(f(m[i] * b1) + f(gi * c1));
      const vi = f(f(v[i] * b2) + f(f(gi * gi) * c2));
      m[i] = mi;
      v[i] = vi;
      const mh = f(mi / d1), vh = f(vi / d2);
      out[i] = f(f(f(mh / f(f(Math.sqrt(vh)) + eps)) * nlr) + w[i]);
    }
  }
  protected updateWithOps(value: tf.Variable, g: tf.Tensor, [m, v]: tf.Variable[]): void {
    const newM = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
    const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
    const mh = tf.div(newM, f(1 - this.accBeta1));
    const vh = tf.div(newV, f(1 - this.accBeta2));
    m.assign(newM);
    v.assign(newV);
    value.assign(tf.add(tf.mul(tf.div(mh, tf.add(tf.sqrt(vh), this.epsilon)), -this.learningRate), value));
  }
  protected override endStep(): void {
    this.accBeta1 = f(this.accBeta1 * f(this.beta1));
    this.accBeta2 = f(this.accBeta2 * f(this.beta2));
  }
}

/** tf.train.sgd(learningRate). */
export class FusedSgd extends FusedOptimizer {
  static className = 'FusedSgd';
  constructor(storage: Storage, private readonly learningRate: number) {
    super(storage, 0);
  }
  protected update(w: Float32Array, out: Float32Array, g: Float32Array): void {
    const c = f(-this.learningRate);
    for (let i = 0; i < w.length; i++) out[i] = f(f(c * g[i]) + w[i]);
  }
  protected updateWithOps(value: tf.Variable, g: tf.Tensor): void {
    value.assign(tf.add(tf.mul(-this.learningRate, g), value));
  }
}

/** tf.train.rmsprop(learningRate) with its defaults (decay 0.9, momentum 0, ε = backend epsilon, not centered). */
export class FusedRmsprop extends FusedOptimizer {
  static className = 'FusedRmsprop';
  constructor(storage: Storage, private readonly learningRate: number, private readonly decay = 0.9, private readonly momentum = 0, private readonly epsilon = tf.backend().epsilon()) {
    super(storage, 2);
  }
  protected update(w: Float32Array, out: Float32Array, g: Float32Array, [ms, mom]: Float32Array[]): void {
    const d = f(this.decay), cd = f(1 - this.decay), mu = f(this.momentum), lr = f(this.learningRate), eps = f(this.epsilon);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      const si = f(f(ms[i] * d) + f(f(gi * gi) * cd));
      const ui = f(f(mom[i] * mu) + f(f(gi * lr) / f(Math.sqrt(f(si + eps)))));
      ms[i] = si;
      mom[i] = ui;
      out[i] = f(w[i] - ui);
    }
  }
  protected updateWithOps(value: tf.Variable, g: tf.Tensor, [ms, mom]: tf.Variable[]): void {
    const newMs = tf.add(tf.mul(ms, this.decay), tf.mul(tf.square(g), 1 - this.decay));
    const newMom = tf.add(tf.mul(mom, this.momentum), tf.div(tf.mul(g, this.learningRate), tf.sqrt(tf.add(newMs, this.epsilon))));
    ms.assign(newMs);
    mom.assign(newMom);
    value.assign(tf.sub(value, newMom));
  }
}

/** The fused optimizer `name` when the active backend allows it (tunedStorage), else undefined. */
export function fusedOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer | undefined {
  const storage = tunedStorage();
  if (storage === undefined) return undefined;
  switch (name) {
    case 'adam': return new FusedAdam(storage, learningRate);
    case 'sgd': return new FusedSgd(storage, learningRate);
    case 'rmsprop': return new FusedRmsprop(storage, learningRate);
  }
}
