import * as tf from '@tensorflow/tfjs';

/** Which TensorFlow.js backend the transformer runs on, for the run's outputs. */
export interface BackendInfo {
  name: 'tensorflow' | 'wasm' | 'cpu';
  detail: string;
}

// The tfjs backend registry is process-global by design of tfjs itself; caching the one
// initialisation promise keeps `initBackend` idempotent (every caller gets the same answer).
let pending: Promise<BackendInfo> | null = null;

/**
 * Picks the fastest TensorFlow.js backend that loads here, once per process:
 * 1. `@tensorflow/tfjs-node` (native libtensorflow; an optionalDependency that only installs with
 *    internet access),
 * 2. `@tensorflow/tfjs-backend-wasm` (the WASM binary ships inside the npm package; XNNPACK, SIMD
 *    and threads where available),
 * 3. the pure-JS `cpu` backend.
 */
export function initBackend(): Promise<BackendInfo> {
  pending ??= choose();
  return pending;
}

async function choose(): Promise<BackendInfo> {
  try {
    // a variable specifier: the package is optional and has no types when it is absent
    const nativeModule = '@tensorflow/tfjs-node';
    await import(nativeModule);
    if (await tf.setBackend('tensorflow')) {
      await tf.ready();
      return { name: 'tensorflow', detail: `tfjs-node ${tf.version_core} (native libtensorflow)` };
    }
  } catch {
    // not installed (offline install) or failed to load: fall through to wasm
  }
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = wasm.getThreadsCount();
      return {
        name: 'wasm',
        detail: `tfjs-backend-wasm ${wasm.version_wasm} (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`,
      };
    }
  } catch {
    // fall through to cpu
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { name: 'cpu', detail: `tfjs cpu backend ${tf.version_core} (pure JavaScript)` };
}
