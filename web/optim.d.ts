// SPDX-License-Identifier: MIT
// The boundary of the WebAssembly module optim.mjs (src/wasm/bindings.cpp).
// Every function takes plain JS objects in the vocabulary of
// shared/reference/conformance.md and returns JS-owned values: no handles,
// nothing to delete(). Invalid input throws an Error whose message names the
// field, the method, the parameter, the value and the valid range, e.g.
// "optimizer.hyperparameters.beta1: adam: beta1 = 1.5 is outside the valid
// range [0, 1)"; the module stays usable afterwards.

export interface OptimizerSpec {
  name: string;
  hyperparameters?: Record<string, number | boolean | string | OptimizerSpec>;
}

export interface ScheduleSpec {
  name: string;
  params?: Record<string, number | boolean | string | null | number[] | ScheduleSpec[]>;
}

export interface FunctionSpec {
  name: string;
  /** Numbers; the custom function takes { expression: string }. */
  params?: Record<string, number | string>;
}

export interface RunConfig {
  optimizer: OptimizerSpec;
  schedule?: ScheduleSpec | null;
  function: FunctionSpec;
  /** Default: the function's suggested start. */
  start?: [number, number];
  /** Number of updates, 0..100000; default 200. */
  steps?: number;
  /** Gaussian noise added to every gradient evaluation. */
  noise?: { level: number; seed?: number } | null;
  /** A run stops when a coordinate's magnitude exceeds this (default 1e12). */
  divergence_bound?: number;
  id?: string;
  description?: string;
}

export interface Series {
  /** 2 (per coordinate) or 1 (scalar). */
  width: number;
  /** values[(t - 1) * width + i]: coordinate i after update t. */
  values: Float64Array;
}

export interface RunResult {
  /** The config with every default filled in. */
  config: Required<RunConfig>;
  dim: number;
  /** Updates completed and recorded. */
  steps: number;
  /**
   * [x0, y0, x1, y1, ...]: (steps + 1) * dim values, row 0 = the start; empty
   * (like loss) when the start itself is unusable (divergedAt 0).
   */
  trajectory: Float64Array;
  /** f at each iterate: steps + 1 values. */
  loss: Float64Array;
  /** Learning rate of update t at index t - 1: steps values. */
  lr: Float64Array;
  /** Internal state per update, by name (see series()). */
  state: Record<string, Series>;
  /** Divergence is a result: the bad update is not recorded. */
  diverged: boolean;
  /** Number t of the update that diverged (0: the start itself), or null. */
  divergedAt: number | null;
  divergenceReason: string;
}

export interface GridConfig {
  function: FunctionSpec;
  /** Default: the function's domain. */
  box?: { xmin: number; xmax: number; ymin: number; ymax: number };
  /** 2..4096 each, width * height <= 4194304. */
  width: number;
  height: number;
}

export interface LandscapeConfig extends GridConfig {
  /** Number of contour levels, 0..64; default 20. */
  levels?: number;
  /** Spacing of the levels; default 'log'. */
  scale?: 'log' | 'linear';
}

export interface Landscape {
  /** As grid(): values[j * width + i], row 0 at the top. */
  values: Float32Array;
  width: number;
  height: number;
  box: Box;
  /** Over finite values only (0 when there are none). */
  min: number;
  max: number;
  /**
   * Ascending, strictly between min and max. log: min + expm1((i+1)/(N+1) *
   * log1p(max - min)), matching the colour scale t = log1p(f - min) /
   * log1p(max - min); linear: evenly spaced.
   */
  levels: Float64Array;
  /** Contour segments [x0, y0, x1, y1, ...] in world coordinates. */
  segments: Float32Array;
  /** levels.length + 1 entries: level k has segments offsets[k] .. offsets[k+1]-1. */
  offsets: Uint32Array;
  /** The heat map, with a colour table only: see HeatMap.rgba. */
  rgba?: Uint8ClampedArray;
}

/**
 * The colours of a heat map: 256 RGB entries (768 bytes) for t = 0..1, optionally followed by
 * the colour of non-finite nodes (771 bytes; without it they are transparent).
 */
export type ColourTable = Uint8Array | Uint8ClampedArray;

export interface HeatMap {
  width: number;
  height: number;
  /** Over finite values only (0 when there are none). */
  min: number;
  max: number;
  /**
   * R, G, B, A per node in the order of Landscape.values: entry round(255 t) of the table,
   * t = log1p(f - min) / log1p(max - min) ('log') or (f - min) / (max - min) ('linear').
   * A view of wasm memory, not a copy: valid until the next landscape() or heatmap() call
   * with colours, or until the module's memory grows (then its length is 0). Copy it once,
   * e.g. `new ImageData(width, height).data.set(rgba)`, before calling into the module again.
   */
  rgba: Uint8ClampedArray;
}

export interface EnsembleConfig {
  function: FunctionSpec;
  /** 1..12 racers. */
  racers: { optimizer: OptimizerSpec; schedule?: ScheduleSpec | null }[];
  /** Updates per run, default 2000. */
  steps?: number;
  /** 1..1000 runs per racer, default 100; runs * racers * steps <= 2e8. */
  runs?: number;
  /** Run r draws its start and its noise from seed + r (the same for every racer). */
  seed?: number;
  /** Starts drawn uniformly over a box (default: the function's domain), or one fixed point. */
  start?: { box: Box } | { point: [number, number] };
  noise?: { level: number };
  /** A run ends in basin k when it stops within this distance of minimum k; default 0.5. */
  basin_radius?: number;
  /** The test surface is the train function evaluated at (x - dx, y - dy). */
  test_offset?: [number, number];
}

export interface EnsembleResult {
  runs: number;
  /** The function's known minima: the basins, in order. */
  minima: { x: number; y: number; f: number }[];
  racers: {
    /** basinCounts, other and diverged add up to runs. */
    basinCounts: number[];
    other: number;
    diverged: number;
    /** Per run r: endpoints[2r], endpoints[2r+1] (NaN when diverged). */
    endpoints: Float64Array;
    trainLoss: Float64Array;
    testLoss: Float64Array;
    /** testLoss - trainLoss per run. */
    gap: Float64Array;
    /** Per run: basin index, -1 in none, -2 diverged. */
    basin: Int32Array;
  }[];
}

export interface EndpointMetrics {
  train_loss: number;
  test_loss: number;
  gap: number;
  /** Exact eigenvalues of the train Hessian, [min, max]. */
  hessian_eigenvalues: [number, number];
  /**
   * Keskar et al. 2017: 100 * (max over the box |z_i| <= epsilon (|x_i| + 1)
   * of f(x + z) - f(x)) / (1 + f(x)); null where 1 + f(x) <= 0.
   */
  epsilon_sharpness: number | null;
}

export interface ParamMeta {
  name: string;
  type:
    | 'number'
    | 'integer'
    | 'boolean'
    | 'choice'
    | 'string'
    | 'integer list'
    | 'optimizer'
    | 'schedule list';
  default: unknown;
  required: boolean;
  nullable: boolean;
  description: string;
  /** number, integer, integer list: the valid range; null = unbounded. */
  min?: number | null;
  max?: number | null;
  minInclusive?: boolean;
  maxInclusive?: boolean;
  /** e.g. "[0, 1)". */
  range?: string;
  /** number, integer: slider scale and default slider range. */
  scale?: 'linear' | 'log';
  softMin?: number;
  softMax?: number;
  /** choice. */
  choices?: string[];
  /** string (the custom function's expression). */
  maxLength?: number;
}

export interface MethodMeta {
  name: string;
  label: string;
  /** The update rule in TeX. */
  formula: string;
  reference: string;
  description: string;
  params: ParamMeta[];
  /** Names of the state series a run reports with the default settings. */
  state: string[];
}

export interface ScheduleMeta {
  name: string;
  label: string;
  formula: string;
  description: string;
  /** true: ignores the optimizer's lr (cyclic, one_cycle). */
  absolute: boolean;
  params: ParamMeta[];
}

export interface Box {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}

export interface FunctionMeta {
  name: string;
  label: string;
  formula: string;
  description: string;
  params: ParamMeta[];
  domain: Box;
  start: [number, number];
  minima: { x: number; y: number; f: number }[];
}

export interface TrainerConfig {
  /**
   * two_moons | two_spirals | circles | xor | blobs: n 10..2000 points, a random split, label
   * noise 0..0.5; a 2-h1-..-1 network with a sigmoid output. Or digits (DigitsData, passed to the
   * Trainer): a split stratified by class, training set of train_size images (0: the whole
   * training split), label noise 0..1 (training labels replaced by another class); a
   * 64-h1-..-10 network with a softmax output. One seed fixes the points, the split and the noise.
   */
  dataset?:
    | {
        name?: 'two_moons' | 'two_spirals' | 'circles' | 'xor' | 'blobs';
        n?: number;
        noise?: number;
        label_noise?: number;
        test_fraction?: number;
        seed?: number;
      }
    | {
        name: 'digits';
        train_size?: number;
        label_noise?: number;
        test_fraction?: number;
        seed?: number;
      };
  /**
   * Up to 4 hidden layers of width 1..128. loss: cross-entropy (default), or the squared error
   * between the predicted probabilities and the one-hot label.
   */
  network?: {
    hidden?: number[];
    activation?: 'tanh' | 'relu';
    loss?: 'cross_entropy' | 'mse';
    seed?: number;
  };
  optimizer: OptimizerSpec;
  schedule?: ScheduleSpec | null;
  /** 0 = full batch; a size beyond the training set is the full batch. */
  batch_size?: number;
  /** Shuffling of the mini-batches. */
  seed?: number;
  /** Full train/test evaluation every this many steps (default 10). */
  eval_every?: number;
}

/** An MLP in training; the one bound class: call delete() when done. */
export interface Trainer {
  /** k more steps (0..1000000). */
  run(k: number): void;
  history(): {
    steps: number;
    batchLoss: Float64Array;
    evalSteps: Float64Array;
    trainLoss: Float64Array;
    testLoss: Float64Array;
    trainAccuracy: Float64Array;
    testAccuracy: Float64Array;
  };
  params(): Float64Array;
  /**
   * The points row by row, dim values each ([x0, y0, x1, y1, ...], or a digit's 64 pixels / 16),
   * and their labels (the training labels after label noise).
   */
  data(): {
    train: { dim: number; points: Float64Array; labels: Float64Array };
    test: { dim: number; points: Float64Array; labels: Float64Array };
  };
  /** The network's class for every point of data() (for one output: 1 where the logit is > 0). */
  predictions(): { train: Int32Array; test: Int32Array };
  /** Largest-magnitude Hessian eigenvalue by power iteration on exact HVPs. */
  topEigenvalue(iterations: number, seed: number): number;
  /** sigmoid(logit) on a width x height grid, row 0 at the top (2-D datasets only). */
  boundary(box: Box, width: number, height: number): Float32Array;
  /**
   * Replaces the parameters (params().length finite numbers), e.g. with another trainer's
   * solution to measure it on this trainer's data. The optimizer's state is kept.
   */
  setParams(values: Float64Array | number[]): void;
  /**
   * Keskar et al.'s epsilon-sharpness on the training set, in percent:
   * 100 (max over |d_i| <= epsilon (|x_i| + 1) of f(x + d) - f(x)) / (1 + f(x)),
   * by projected sign-gradient ascent (a lower bound of the maximum). epsilon in (0, 1].
   */
  sharpness(epsilon: number, seed: number): number;
  /**
   * Train and test loss along params + alpha d, alpha evenly in [-radius, radius], d a seeded
   * random direction filter-normalized as in Li et al. 2018 (each neuron's incoming weights
   * scaled to that neuron's norm in params; biases 0). test is NaN without a test set.
   */
  randomSlice(options: { seed?: number; points?: number; radius?: number }): LossSlice;
  /**
   * Train and test loss at (1 - alpha) params + alpha other, alpha evenly in [from, to]
   * (Goodfellow et al. 2015); alpha = 0 is exactly params(), 1 exactly `other`.
   */
  lineSlice(
    other: Float64Array | number[],
    options: { points?: number; from?: number; to?: number },
  ): LossSlice;
  delete(): void;
}

/**
 * The handwritten digits (data/digits/digits.csv.gz: a line per image, 64 pixels then the label):
 * 64 integer pixel values 0..16 per image, row by row, and one label 0..9 per image.
 */
export interface DigitsData {
  images: Uint8Array | Float64Array | number[];
  labels: Uint8Array | Float64Array | number[];
}

/** 1-D loss slice: points 2..1001 (41), every array of that length. */
export interface LossSlice {
  alphas: Float64Array;
  train: Float64Array;
  test: Float64Array;
}

export interface OptimModule {
  methods(): MethodMeta[];
  schedules(): ScheduleMeta[];
  functions(): FunctionMeta[];
  /** Label, description and perCoordinate of every state series name. */
  series(): Record<string, { label: string; description: string; perCoordinate: boolean }>;
  normalizeOptimizer(spec: OptimizerSpec): Required<OptimizerSpec>;
  normalizeSchedule(spec: ScheduleSpec | null): Required<ScheduleSpec>;
  normalizeConfig(config: RunConfig): Required<RunConfig>;
  /** Domain, start and minima for these parameters. */
  functionInfo(spec: FunctionSpec): {
    function: Required<FunctionSpec>;
    domain: Box;
    start: [number, number];
    minima: { x: number; y: number; f: number }[];
  };
  evaluate(
    spec: FunctionSpec,
    x: number,
    y: number,
  ): { value: number; gradient: [number, number]; hessian: [[number, number], [number, number]] };
  /** One whole run in one call. */
  run(config: RunConfig): RunResult;
  /**
   * f on a width x height grid of nodes: values[j * width + i] =
   * f(xmin + i (xmax - xmin)/(width - 1), ymax - j (ymax - ymin)/(height - 1)),
   * row 0 at the top (image order).
   */
  grid(config: GridConfig): Float32Array;
  /** digits: the images of the digits dataset, which it needs and the 2-D datasets refuse. */
  Trainer: new (config: TrainerConfig, digits?: DigitsData) => Trainer;
  /** The trainer config with every default filled in; throws an Error naming the field. */
  normalizeTrainerConfig(config: TrainerConfig): Required<TrainerConfig>;
  /** The heat map values and their contour lines (marching squares) in one call. */
  landscape(config: LandscapeConfig): Landscape;
  /** The same, and the heat map's pixels through `colours` as `rgba` (see HeatMap.rgba). */
  landscape(config: LandscapeConfig, colours: ColourTable): Landscape & { rgba: Uint8ClampedArray };
  /** The heat map alone (config without levels); see HeatMap.rgba for the view's lifetime. */
  heatmap(config: Omit<LandscapeConfig, 'levels'>, colours: ColourTable): HeatMap;
  /** Many runs of several racers from random starts and/or noise: where they end. */
  ensemble(config: EnsembleConfig): EnsembleResult;
  /** Train and test loss, gap, Hessian eigenvalues and epsilon-sharpness at a point. */
  endpointMetrics(config: {
    function: FunctionSpec;
    point: [number, number];
    test_offset?: [number, number];
    /** In (0, 1], default 1e-3. */
    epsilon?: number;
  }): EndpointMetrics;
}

export default function createOptim(options?: {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}): Promise<OptimModule>;
