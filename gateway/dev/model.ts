import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { loadTf } from './tf';

/** The weights file: a small dense classifier (4 features → 3 classes), trained by generate-model.ts. */
export interface ModelFile {
  name: string;
  description: string;
  inputName: string;
  outputName: string;
  featureCount: number;
  classes: string[];
  layers: Array<{ units: number; activation: 'relu' | 'softmax'; kernel: number[][]; bias: number[] }>;
}

export const MODEL_PATH = join(__dirname, 'model', 'iris.json');

export interface LoadedModel {
  file: ModelFile;
  predict(rows: number[][]): number[][];
}

export async function loadModel(path = MODEL_PATH): Promise<LoadedModel> {
  const tf = await loadTf();
  const file = JSON.parse(readFileSync(path, 'utf8')) as ModelFile;
  const model = buildNetwork(tf, file.featureCount, file.layers);
  model.setWeights(file.layers.flatMap((layer) => [tf.tensor2d(layer.kernel), tf.tensor1d(layer.bias)]));
  return {
    file,
    predict(rows) {
      return tf.tidy(() => {
        const output = model.predict(tf.tensor2d(rows, [rows.length, file.featureCount])) as tfTypes.Tensor;
        return output.arraySync() as number[][];
      });
    },
  };
}

export function buildNetwork(
  tf: typeof tfTypes,
  featureCount: number,
  layers: ReadonlyArray<{ units: number; activation: 'relu' | 'softmax' }>,
  seed?: number,
): tfTypes.Sequential {
  const model = tf.sequential();
  layers.forEach((layer, index) => {
    model.add(
      tf.layers.dense({
        units: layer.units,
        activation: layer.activation,
        inputShape: index === 0 ? [featureCount] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({
          seed: seed === undefined ? undefined : seed + index,
        }),
        biasInitializer: 'zeros',
      }),
    );
  });
  return model;
}
