// SPDX-License-Identifier: MIT
// Minifies the page's own modules and styles in dist/ in place, one file at a time (no
// bundling: every module keeps its file and its imports, so each section still loads only when
// it is needed). The vendored libraries and the core's Emscripten glue come minified already.
// Run by scripts/build-wasm.sh after it has copied web/ into dist/.
// Usage: node scripts/minify-web.mjs [DIST]

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'esbuild';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Files of dist/ that are not the page's own source. */
const SKIP = [/^vendor\//, /^data\//, /^optim(-tools)?\.mjs$/, /\.d\.ts$/];

/**
 * The licence line a minified file starts with: its source's SPDX identifier, as a block
 * comment (valid in scripts and styles). esbuild keeps only /*! and @license comments, and the
 * served files should still say under which licence they are.
 */
function licenceLine(source) {
  const id = /SPDX-License-Identifier:\s*([\w.+() -]+?)\s*(?:\*\/)?$/m.exec(source);
  return id ? `/* SPDX-License-Identifier: ${id[1]} */\n` : '';
}

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

export async function minifyWeb(dist = join(ROOT, 'dist')) {
  let before = 0;
  let after = 0;
  for await (const path of files(dist)) {
    const name = relative(dist, path).split('\\').join('/');
    const loader = name.endsWith('.js') ? 'js' : name.endsWith('.css') ? 'css' : null;
    if (!loader || SKIP.some((re) => re.test(name))) continue;
    const source = await readFile(path, 'utf8');
    const { code } = await transform(source, {
      loader,
      minify: true,
      // The same language level as the single file's bundle (scripts/build-single.mjs).
      ...(loader === 'js' ? { format: 'esm', target: 'es2022' } : {}),
      legalComments: 'none',
      logLevel: 'error',
    });
    await writeFile(path, licenceLine(source) + code);
    before += source.length;
    after += code.length;
  }
  return { before, after };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = process.argv[2] ? resolve(process.argv[2]) : undefined;
  const { before, after } = await minifyWeb(dist);
  console.log(
    `minify-web: the page's modules and styles, ${(before / 1024).toFixed(1)} KB -> ${(after / 1024).toFixed(1)} KB`,
  );
}
