import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FEATURE_BITS, type LinearModel, type ModelPair, pairModels } from './features.js';

/** The learned models the server ships (see `pnpm train:screening` and models/screening/NOTICE). */
export type ModelName = 'abuse' | 'spam' | 'phishing';

export interface ModelInfo {
  file: string;
  sha256: string;
  scale: number;
  bias: number;
  /** What the training script calibrated on the validation split (the policy sets its own). */
  thresholds: { flag: number; block: number };
}

export interface Manifest {
  version: string;
  featureBits: number;
  models: Record<ModelName, ModelInfo>;
}

/** The `models/screening` directory: next to the sources in the repository, next to `dist` when built. */
export function modelsDirectory(from = import.meta.dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'models/screening');
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`the screening models were not found above ${from} (models/screening/manifest.json)`);
}

export interface LoadedModels {
  manifest: Manifest;
  /** Abuse and spam read the same text features: scored together, from their int8 weights. */
  text: ModelPair;
  /** Links have features of their own. */
  phishing: LinearModel;
}

/** Reads and checks the weights: int8 buckets times the model's scale. */
export function loadModels(directory = modelsDirectory()): LoadedModels {
  const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')) as Manifest;
  if (manifest.featureBits !== FEATURE_BITS) {
    throw new Error(`the screening models use ${manifest.featureBits} feature bits; this build hashes ${FEATURE_BITS}`);
  }
  const quantised = {} as Record<ModelName, { quantised: Int8Array; scale: number; bias: number }>;
  for (const name of ['abuse', 'spam', 'phishing'] as const) {
    const info = manifest.models[name];
    const bytes = readFileSync(join(directory, info.file));
    if (bytes.length !== 1 << FEATURE_BITS) throw new Error(`${info.file}: expected ${1 << FEATURE_BITS} bytes`);
    quantised[name] = {
      quantised: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      scale: info.scale,
      bias: info.bias,
    };
  }
  const { quantised: q, scale, bias } = quantised.phishing;
  const phishing = { weights: Float32Array.from(q, (w) => w * scale), bias };
  return { manifest, text: pairModels(quantised.abuse, quantised.spam), phishing };
}

let loaded: LoadedModels | undefined;

/** The shipped models, loaded once on first use (about 1.5 MB of memory). */
export function shippedModels(): LoadedModels {
  loaded ??= loadModels();
  return loaded;
}
