// SPDX-License-Identifier: MIT
// The build's minification of the page (scripts/minify-web.mjs): every module keeps its
// exports and behaves the same, the core's glue and the vendored files are left alone.

import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { minifyWeb } from '../../scripts/minify-web.mjs';
import { ROOT } from './lib/optim.mjs';

describe('minify-web', () => {
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minify-'));
    await cp(join(ROOT, 'web'), dir, { recursive: true });
    await mkdir(join(dir, 'vendor'));
    await writeFile(join(dir, 'vendor', 'lib.js'), '// kept as it is\nexport const x = 1;\n');
    await writeFile(join(dir, 'optim.mjs'), '// the core glue\nexport default 1;\n');
    await minifyWeb(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('the page modules shrink and keep their exports', async () => {
    for (const file of ['app/store.js', 'app/schema.js', 'app/url.js', 'render/paths.js']) {
      const [source, small] = await Promise.all([
        readFile(join(ROOT, 'web', file), 'utf8'),
        readFile(join(dir, file), 'utf8'),
      ]);
      assert.ok(small.length < 0.8 * source.length, `${file}: ${small.length} of ${source.length}`);
      const a = await import(pathToFileURL(join(ROOT, 'web', file)).href);
      const b = await import(pathToFileURL(join(dir, file)).href);
      assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort(), file);
    }
  });

  test('every minified module and style keeps its licence identifier', async () => {
    for (const file of ['app/store.js', 'render/paths.js', 'worker.js', 'style.css']) {
      const [source, small] = await Promise.all([
        readFile(join(ROOT, 'web', file), 'utf8'),
        readFile(join(dir, file), 'utf8'),
      ]);
      assert.match(source, /SPDX-License-Identifier: MIT/, file);
      assert.ok(
        small.startsWith('/* SPDX-License-Identifier: MIT */\n'),
        `${file} starts: ${small.slice(0, 60)}`,
      );
      assert.equal(small.match(/SPDX-License-Identifier/g).length, 1, file);
    }
  });

  test('a minified module computes what its source does', async () => {
    const a = await import(pathToFileURL(join(ROOT, 'web', 'render', 'paths.js')).href);
    const b = await import(pathToFileURL(join(dir, 'render', 'paths.js')).href);
    const points = new Float32Array(2000);
    for (let k = 0; k < 1000; k++) {
      points[2 * k] = 100 + 80 * Math.cos(k / 37) + (k % 7);
      points[2 * k + 1] = 100 + 60 * Math.sin(k / 23);
    }
    const x = a.decimate(points);
    const y = b.decimate(points);
    assert.deepEqual([...y.poly], [...x.poly]);
    assert.deepEqual([...y.at], [...x.at]);
  });

  test('vendored files and the core glue are left as they are', async () => {
    assert.equal(
      await readFile(join(dir, 'vendor', 'lib.js'), 'utf8'),
      '// kept as it is\nexport const x = 1;\n',
    );
    assert.equal(
      await readFile(join(dir, 'optim.mjs'), 'utf8'),
      '// the core glue\nexport default 1;\n',
    );
  });
});
