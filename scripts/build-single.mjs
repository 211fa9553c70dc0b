// SPDX-License-Identifier: MIT
// Writes dist/optimizer-playground.html: the whole playground in one self-contained file that
// works from file:// (a course system that accepts only an uploaded file can host it). esbuild
// bundles the page's modules (the core's module included) and, separately, the pool's Worker;
// the HTML holds the styles, the wasm as base64, the Worker's code (started from a blob: URL)
// and the page's module, all inline, and a Content Security Policy that allows exactly these
// inline parts by their hashes. Run after scripts/build-wasm.sh (it bundles dist/).
// Usage: node scripts/build-single.mjs [--out FILE]

import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIST = join(ROOT, 'dist');

/** Inline <script> content must not close its element. */
const scriptText = (code) => code.replaceAll('</script', '<\\/script').replaceAll('<!--', '<\\!--');
const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

async function bundle(entry, format = 'esm') {
  const out = await build({
    entryPoints: [join(DIST, entry)],
    bundle: true,
    format,
    minify: true,
    write: false,
    target: 'es2022',
    // The browser bundle of the core (optim.mjs) is written for web and worker only.
    platform: 'browser',
    // A classic Worker has no import.meta; the core's module only bases a file name on it,
    // which it never loads here (the wasm comes inline).
    ...(format === 'iife'
      ? { define: { 'import.meta.url': '"file:///optimizer-playground/"' } }
      : {}),
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

/** The single file's HTML from dist/index.html, with every part inline. */
export async function buildSingle({ out = join(DIST, 'optimizer-playground.html') } = {}) {
  const [page, worker, wasm, html, style, uplotStyle] = await Promise.all([
    bundle('main.js'),
    // A classic script: Chromium starts no module Worker from a blob: URL of a file:// page.
    bundle('worker.js', 'iife'),
    readFile(join(DIST, 'optim.wasm')),
    readFile(join(DIST, 'index.html'), 'utf8'),
    readFile(join(DIST, 'style.css'), 'utf8'),
    readFile(join(DIST, 'vendor', 'uPlot.min.css'), 'utf8'),
  ]);
  // What engine.js and worker.js read instead of fetching files (engine.js embeddedCore).
  const core = scriptText(
    `globalThis.__optimEmbedded = ${JSON.stringify({
      wasm: wasm.toString('base64'),
      worker,
      styles: ['vendor/uPlot.min.css'],
    })};`,
  );
  const module = scriptText(page);
  const styles = `${uplotStyle}\n${style}`;
  const policy = [
    "default-src 'none'",
    `script-src ${sha256(core)} ${sha256(module)} 'wasm-unsafe-eval'`,
    // The pool's Workers run the inline Worker code from blob: URLs.
    'worker-src blob:',
    `style-src ${sha256(styles)}`,
    'img-src data: blob:',
    'media-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  let doc = html
    // The files of the served page: styles, preloads and the module, replaced below.
    .replace(/\s*<link rel="stylesheet" href="style\.css" \/>/, '')
    .replace(/\s*<!-- The core downloads[^>]*-->/, '')
    .replace(/\s*<link rel="modulepreload" href="optim\.mjs" \/>/, '')
    .replace(/\s*<link rel="preload" href="optim\.wasm"[^>]*\/>/, '')
    .replace(/\s*<script type="module" src="main\.js"><\/script>/, '');
  // The served page's own policy (for static hosts) is replaced by the single file's.
  doc = doc.replace(/\s*<meta\s+http-equiv="Content-Security-Policy"[^>]*\/>/, '');
  for (const part of ['style.css', 'optim.mjs', 'optim.wasm', 'main.js']) {
    if (doc.includes(`"${part}"`))
      throw new Error(`build-single: index.html still refers to ${part}`);
  }
  const head =
    `\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />` +
    `\n    <style>${styles}</style>` +
    `\n    <script>${core}</script>` +
    `\n    <script type="module">${module}</script>`;
  // A function, not a string: the bundle's text holds '$&' and the like, which a replacement
  // string would expand.
  doc = doc.replace('</head>', () => `${head}\n  </head>`);
  await writeFile(out, doc);
  const bytes = Buffer.byteLength(doc);
  return { out, bytes, gzip: gzipSync(doc, { level: 9 }).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const { out, bytes, gzip } = await buildSingle(
    at > 0 ? { out: resolve(process.argv[at + 1]) } : {},
  );
  const kb = (n) => (n / 1024).toFixed(1);
  console.log(`build-single: ${out}: ${kb(bytes)} KB, ${kb(gzip)} KB gzipped`);
}
