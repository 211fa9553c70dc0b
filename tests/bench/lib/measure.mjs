// SPDX-License-Identifier: MIT
// Timing and statistics of the benchmark harness.
import { performance } from 'node:perf_hooks';

/**
 * Harness-wide defaults (the smoke test lowers both to 0). The warm-up lasts at least
 * minWarmupMs: V8 first runs wasm and JavaScript with its baseline compilers and swaps in
 * optimized code only after a function has been hot for a while, so a warm-up of one call can
 * leave the first samples on the slow tier.
 */
export const defaults = { minSampleMs: 20, minWarmupMs: 200 };

/**
 * Runs `fn` untimed `warmup` times (at least once) and for at least `minWarmupMs`, then
 * `repetitions` timed samples; each sample is the mean over enough calls to last `minSampleMs`
 * (short tasks would otherwise be below the clock's resolution, coarse in browsers).
 * Milliseconds per call.
 */
export async function timeIt(
  fn,
  {
    warmup = 1,
    repetitions = 5,
    minSampleMs = defaults.minSampleMs,
    minWarmupMs = defaults.minWarmupMs,
  } = {},
) {
  let result;
  let last = 0;
  const start = performance.now();
  for (let i = 0; i < Math.max(1, warmup) || performance.now() - start < minWarmupMs; i++) {
    const t0 = performance.now();
    result = await fn();
    last = performance.now() - t0;
  }
  const inner =
    last >= minSampleMs ? 1 : Math.min(1000, Math.ceil(minSampleMs / Math.max(last, 0.01)));
  const samples = [];
  for (let i = 0; i < repetitions; i++) {
    const t0 = performance.now();
    for (let k = 0; k < inner; k++) result = await fn();
    samples.push((performance.now() - t0) / inner);
  }
  return { samples, result };
}

/** Median, minimum and maximum of samples. */
export function summary(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s.at(-1), n: s.length };
}

/** Milliseconds per repetition -> rate per second of `work` units per repetition. */
export function toRate(samplesMs, work) {
  return samplesMs.map((ms) => (1000 * work) / ms);
}

/** Relative difference |a - b| / max(|a|, |b|, floor). */
export function relDiff(a, b, floor = 1e-300) {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}
