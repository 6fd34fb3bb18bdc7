/**
 * Trains the stand-ins' model and writes gateway/dev/model/iris.json. Deterministic: the data,
 * the initial weights and the training order all come from fixed seeds, and the CPU backend is
 * pure JavaScript. Run with `npx tsx gateway/dev/generate-model.ts`.
 *
 * The data are synthetic iris-like measurements: three classes of flowers, each a Gaussian
 * cloud around a class centre in (sepal length, sepal width, petal length, petal width).
 */
import { writeFileSync } from 'node:fs';
import { buildNetwork, MODEL_PATH, type ModelFile } from './model';
import { loadTf } from './tf';

const CLASSES = ['setosa', 'versicolor', 'virginica'];
const CENTRES = [
  [5.0, 3.4, 1.5, 0.25],
  [5.9, 2.8, 4.3, 1.3],
  [6.6, 3.0, 5.5, 2.0],
];
const SPREAD = [0.35, 0.35, 0.45, 0.25];
const SAMPLES_PER_CLASS = 200;
const LAYERS = [
  { units: 16, activation: 'relu' as const },
  { units: 3, activation: 'softmax' as const },
];

/** mulberry32: a small, well-known seeded PRNG. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

async function main(): Promise<void> {
  const tf = await loadTf();
  const random = seededRandom(20240611);
  const features: number[][] = [];
  const labels: number[][] = [];
  for (let sample = 0; sample < SAMPLES_PER_CLASS; sample++) {
    CENTRES.forEach((centre, classIndex) => {
      features.push(centre.map((mean, feature) => +(mean + SPREAD[feature] * gaussian(random)).toFixed(2)));
      labels.push(CLASSES.map((_, index) => (index === classIndex ? 1 : 0)));
    });
  }

  const model = buildNetwork(tf, 4, LAYERS, 7);
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(tf.tensor2d(features), tf.tensor2d(labels), {
    epochs: 60,
    batchSize: 32,
    shuffle: false,
    verbose: 0,
  });
  const accuracy = history.history.acc.at(-1);

  const weights = model.getWeights().map((tensor) => tensor.arraySync());
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  const file: ModelFile = {
    name: 'iris',
    description: `Dense 4-16-3 classifier on synthetic iris-like data; training accuracy ${Number(accuracy).toFixed(3)}`,
    inputName: 'features',
    outputName: 'probabilities',
    featureCount: 4,
    classes: CLASSES,
    layers: LAYERS.map((layer, index) => ({
      ...layer,
      kernel: (weights[index * 2] as number[][]).map((row) => row.map(round)),
      bias: (weights[index * 2 + 1] as number[]).map(round),
    })),
  };
  writeFileSync(MODEL_PATH, `${JSON.stringify(file)}\n`);
  process.stdout.write(`wrote ${MODEL_PATH}: ${file.description}\n`);
}

void main();
