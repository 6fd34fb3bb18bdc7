import * as tf from '@tensorflow/tfjs';

/**
 * tfjs on its pure-JavaScript CPU backend, so results are identical on every machine. The
 * backend's one-time "install tfjs-node" hint is switched off: tfjs-node downloads native
 * binaries at install time, which this project avoids, and the model is tiny.
 */
export async function loadTf(): Promise<typeof tf> {
  await tf.setBackend('cpu');
  await tf.ready();
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  return tf;
}
