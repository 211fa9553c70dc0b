// SPDX-License-Identifier: MIT
// The page's exports without a browser (web/sections/export/model.js): the PNG text chunk that
// carries the link, each racer's run in optim-run's JSON (which optim-run runs again to the
// same numbers) and as CSV, and the lab's and the network's CSV.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import {
  LINK_KEYWORD,
  crc32,
  csv,
  labCsv,
  raceCsv,
  raceJson,
  readTextChunks,
  runJson,
  withTextChunk,
} from '../../web/sections/export/model.js';
import { loadOptim, runNative } from './lib/optim.mjs';

const m = await loadOptim();

/** A valid w x h grey PNG built here, independently of the code under test. */
function tinyPng(w, h) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc(h * (w + 1), 0x80);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0; // filter: none
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

const relClose = (a, b, tol = 1e-9) =>
  a === b || Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));

describe('the exports', () => {
  test('CRC-32 is the one of PNG (check values of ISO 3309)', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    assert.equal(crc32(new TextEncoder().encode('IEND')), 0xae426082);
  });

  test('the PNG carries the link in a tEXt chunk with a valid CRC, the image unchanged', () => {
    const png = tinyPng(3, 2);
    const link = 'https://x.test/#v=1&fn=rosenbrock&r=adam(lr=0.02)';
    const out = withTextChunk(png, LINK_KEYWORD, link);
    assert.deepEqual(readTextChunks(out), { [LINK_KEYWORD]: link });
    // The image's own chunks are there, byte for byte, around the new one.
    assert.deepEqual(out.subarray(0, 33), png.subarray(0, 33));
    assert.deepEqual(out.subarray(out.length - (png.length - 33)), png.subarray(33));
    const bad = out.slice();
    bad[45] ^= 1; // a byte of the text
    assert.throws(() => readTextChunks(bad), /bad CRC/);
    assert.throws(() => withTextChunk(new Uint8Array(40), LINK_KEYWORD, link), /not a PNG/);
    assert.throws(() => withTextChunk(png, LINK_KEYWORD, 'é'), /ASCII/);
  });

  test('a run in JSON is optim-run’s, and optim-run runs it again to the same numbers', () => {
    const configs = [
      {
        optimizer: { name: 'swats', hyperparameters: { lr: 0.01 } },
        schedule: { name: 'cosine', params: { t_max: 100 } },
        function: { name: 'rosenbrock', params: {} },
        start: [-1.2, 1],
        steps: 120,
        noise: { level: 0.05, seed: 3 },
      },
      {
        optimizer: { name: 'sgd', hyperparameters: { lr: 10 } },
        function: { name: 'rosenbrock', params: {} },
        steps: 50,
      },
    ];
    const results = configs.map((c) => m.run(c));
    const race = JSON.parse(JSON.stringify(raceJson('#v=1', results)));
    assert.equal(race.runs.length, 2);
    for (const [k, run] of race.runs.entries()) {
      const native = runNative(race, ['--run', String(k)]);
      assert.deepEqual(Object.keys(run).sort(), Object.keys(native).sort());
      assert.deepEqual(run.config, native.config);
      assert.equal(run.steps, native.steps);
      assert.equal(run.diverged, native.diverged);
      assert.equal(run.diverged_at, native.diverged_at);
      assert.equal(run.divergence_reason, native.divergence_reason);
      assert.equal(run.f.length, native.f.length);
      run.f.forEach((v, i) => assert.ok(relClose(v, native.f[i]), `f[${i}]: ${v} ${native.f[i]}`));
      assert.deepEqual(Object.keys(run.state).sort(), Object.keys(native.state).sort());
      for (const [name, rows] of Object.entries(run.state)) {
        assert.equal(JSON.stringify(rows).length > 2, true, name);
        assert.equal(rows.length, native.state[name].length, name);
      }
      // One run alone (optim-run's own output shape) runs again too.
      assert.deepEqual(runNative(run).config, native.config);
    }
    assert.equal(race.runs[1].diverged, true);
    assert.throws(() => runNative(race, ['--run', '2']), /--run 2: the race has 2 runs/);
    assert.equal(runJson(results[0]).trajectory.length, 121);
  });

  test('the race CSV is optim-run’s CSV with the racer in front', () => {
    const config = {
      optimizer: { name: 'adam', hyperparameters: { lr: 0.1 } },
      function: { name: 'booth', params: {} },
      steps: 3,
    };
    const text = raceCsv([m.run(config), m.run({ ...config, optimizer: { name: 'sgd' } })]);
    const rows = text.trimEnd().split('\n');
    const native = runNativeCsv(config).trimEnd().split('\n');
    assert.equal(rows.length, 1 + 4 + 4);
    assert.equal(rows[0], `racer,method,${native[0]}`);
    for (let i = 1; i < native.length; i++) {
      const mine = rows[i].split(',').slice(2).map(Number);
      const theirs = native[i].split(',').map(Number);
      assert.equal(mine.length, theirs.length);
      mine.forEach((v, k) => assert.ok(relClose(v, theirs[k]) || (isNaN(v) && isNaN(theirs[k]))));
    }
    // SGD has no moments: their columns are blank; its effective step size is there.
    assert.match(rows[6], /^1,sgd,1,(?:[^,]+,){4},,,,[^,]+,[^,]+$/);
  });

  test('CSV quotes text that needs it', () => {
    assert.equal(
      csv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          [1.5, null],
        ],
      ),
      'a,b\n"x,y","say ""hi"""\n1.5,\n',
    );
  });

  test('the lab CSV has one row per racer and run, basins named', () => {
    const info = m.functionInfo({ name: 'twin_basin' });
    const result = m.ensemble({
      function: info.function,
      racers: [{ optimizer: { name: 'adam' } }, { optimizer: { name: 'sgd_momentum' } }],
      steps: 300,
      seed: 5,
      runs: 20,
      start: { box: info.domain },
      test_offset: [0.3, 0],
    });
    const rows = labCsv(result, ['adam', 'sgd_momentum'], ['sharp', 'flat']).trimEnd().split('\n');
    assert.equal(rows[0], 'racer,method,run,x,y,basin,train_loss,test_loss,gap');
    assert.equal(rows.length, 1 + 40);
    const basins = rows.slice(1).map((r) => r.split(',')[5]);
    for (const b of basins) assert.ok(['sharp', 'flat', 'elsewhere', 'diverged'].includes(b), b);
    const counted = (i, name) =>
      rows.slice(1).filter((r) => r.startsWith(`${i},`) && r.split(',')[5] === name).length;
    assert.equal(counted(0, 'sharp'), result.racers[0].basinCounts[0]);
    assert.equal(counted(1, 'flat'), result.racers[1].basinCounts[1]);
  });
});

/** optim-run's CSV of a config. */
function runNativeCsv(config) {
  return runNativeText(config, ['--format', 'csv']);
}

function runNativeText(config, args) {
  const bin = fileURLToPath(new URL('../../build/native/optim-run', import.meta.url));
  const out = spawnSync(bin, ['-', ...args], { input: JSON.stringify(config), encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return out.stdout;
}
