import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
const ok = await tf.setBackend('wasm');
await tf.ready();
console.log('ok', ok, tf.getBackend(), await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
console.log(tf.version.tfjs);
const a = tf.randomNormal([512,512]); const b = tf.randomNormal([512,512]);
for (const [ta,tb] of [[false,false],[true,false],[false,true],[true,true]]) {
  for (let i=0;i<2;i++) tf.matMul(a,b,ta,tb).dataSync();
  const n=10; const t0=performance.now();
  for (let i=0;i<n;i++) { const c = tf.matMul(a,b,ta,tb); c.dataSync(); c.dispose(); }
  const dt=(performance.now()-t0)/n/1000;
  console.log(ta,tb,(2*512**3/dt/1e9).toFixed(2),'GFLOP/s');
}
