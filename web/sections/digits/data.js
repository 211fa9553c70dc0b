// SPDX-License-Identifier: MIT
// The handwritten digits' file (data/digits.csv.gz, decompressed) as the core's trainer takes
// it. Pure: the Workers that train on the digits read it with this, the tests too.

/** The digits' CSV (64 pixels 0..16, then the label, per line) as the trainer takes it. */
export function parseDigits(text) {
  const lines = text.trim().split('\n');
  const images = new Uint8Array(lines.length * 64);
  const labels = new Uint8Array(lines.length);
  lines.forEach((line, i) => {
    const row = line.split(',').map(Number);
    const ok =
      row.length === 65 &&
      row.every((v) => Number.isInteger(v) && v >= 0 && v <= 16) &&
      row[64] <= 9;
    if (!ok) {
      throw new Error(`the digits' line ${i + 1} is not 64 pixels and a label`);
    }
    images.set(row.slice(0, 64), 64 * i);
    labels[i] = row[64];
  });
  return { images, labels };
}
