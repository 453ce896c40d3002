/**
 * SVG → PNG with resvg, on worker threads so rasterising overlaps with drawing the next chart's SVG
 * (resvg's own renderAsync still runs one image at a time). Workers are started on first use, hold the
 * process open only while they have work, and fall back to rendering in-thread if they cannot start.
 * The bytes do not depend on which thread drew them.
 */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FONT_FAMILY, FONT_FILES } from './font.ts';

/** PNG pixels per SVG pixel. */
export const PNG_SCALE = 2;

export const PNG_OPTIONS: ResvgRenderOptions = {
  fitTo: { mode: 'zoom', value: PNG_SCALE },
  font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  background: 'white',
  logLevel: 'off',
};

/** Rasterise in this thread. */
export function pngNow(svg: string): Buffer {
  return new Resvg(svg, PNG_OPTIONS).render().asPng();
}

// Plain CommonJS so the worker needs no TypeScript loader.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Resvg } = require(workerData.resvg);
parentPort.on('message', ({ id, svg }) => {
  try {
    const png = new Resvg(svg, workerData.options).render().asPng();
    parentPort.postMessage({ id, png });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

interface Slot {
  worker: Worker;
  pending: number;
}

let pool: Slot[] | undefined;
let broken = false;
let nextId = 0;
const waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void; slot: Slot }>();

function start(): Slot[] {
  const resvg = createRequire(import.meta.url).resolve('@resvg/resvg-js');
  const size = Math.max(1, Math.min(4, availableParallelism() - 1));
  return Array.from({ length: size }, () => {
    const slot: Slot = { worker: new Worker(WORKER, { eval: true, workerData: { resvg, options: PNG_OPTIONS } }), pending: 0 };
    slot.worker.unref();
    slot.worker.on('message', ({ id, png, error }: { id: number; png?: Uint8Array; error?: string }) => {
      const job = waiting.get(id)!;
      waiting.delete(id);
      if (--slot.pending === 0) slot.worker.unref();
      if (error !== undefined) job.reject(new Error(`resvg: ${error}`));
      else job.resolve(Buffer.from(png!.buffer, png!.byteOffset, png!.byteLength));
    });
    slot.worker.on('error', (error) => {
      broken = true;
      for (const [id, job] of waiting) if (job.slot === slot) {
        waiting.delete(id);
        job.reject(error);
      }
    });
    return slot;
  });
}

/** Rasterise an SVG with the bundled font, on the least busy worker thread. */
export async function toPng(svg: string): Promise<Buffer> {
  if (!broken) {
    try {
      pool ??= start();
    } catch {
      broken = true;
    }
  }
  if (broken || !pool) return pngNow(svg);
  const slot = pool.reduce((a, b) => (b.pending < a.pending ? b : a));
  const id = nextId++;
  if (slot.pending++ === 0) slot.worker.ref();
  return new Promise<Buffer>((resolve, reject) => {
    waiting.set(id, { resolve, reject, slot });
    slot.worker.postMessage({ id, svg });
  });
}
