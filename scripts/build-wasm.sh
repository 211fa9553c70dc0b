#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the WebAssembly module (build/wasm) and assembles the site in dist/:
# exactly the files of web/ plus optim.mjs, optim.wasm, the tools module
# (optim-tools.mjs and .wasm, loaded when a tool opens) and the vendored uPlot,
# qrcode and KaTeX (dist/vendor/, from node_modules: the page works offline, no
# CDN), and the single-file page dist/optimizer-playground.html (scripts/build-single.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "build-wasm: $*"; }

# emcc's JS optimizer needs acorn from Debian's node path; emcmake does not set it.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

command -v emcmake >/dev/null 2>&1 || {
  echo "build-wasm: error: emcmake not found; run npm run setup (Debian package emscripten)" >&2
  exit 1
}

say "configure build/wasm (emcmake cmake, Release)"
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
say "build build/wasm"
cmake --build build/wasm -j2

for f in build/wasm/optim.mjs build/wasm/optim.wasm build/wasm/optim-tools.mjs \
  build/wasm/optim-tools.wasm; do
  [[ -f $f ]] || {
    echo "build-wasm: error: $f was not produced" >&2
    exit 1
  }
done
[[ -d web ]] || {
  echo "build-wasm: error: web/ not found" >&2
  exit 1
}

UPLOT=node_modules/uplot/dist
for f in "$UPLOT/uPlot.iife.min.js" "$UPLOT/uPlot.min.css"; do
  [[ -f $f ]] || {
    echo "build-wasm: error: $f not found; run npm ci (dependency uplot)" >&2
    exit 1
  }
done

say "assemble dist/ (web/ + optim.mjs + optim.wasm + vendor/uPlot, qrcode and KaTeX)"
rm -rf dist
mkdir -p dist/vendor
cp -R web/. dist/
cp build/wasm/optim.mjs build/wasm/optim.wasm dist/
cp build/wasm/optim-tools.mjs build/wasm/optim-tools.wasm dist/
# The handwritten digits (fetched by a Worker when the digits section trains), with their
# licence and citation.
mkdir -p dist/data
cp data/digits/digits.csv.gz dist/data/
cp data/digits/README.md dist/data/digits.README.md
# uPlot ships its minified build only as a script that defines `var uPlot`
# (22 KB gzipped against 42 KB for its unminified ES module); one export line
# makes it the ES module the page imports, with the same default export.
{
  cat "$UPLOT/uPlot.iife.min.js"
  printf '\nexport default uPlot;\n'
} >dist/vendor/uPlot.esm.js
cp "$UPLOT/uPlot.min.css" dist/vendor/
cp node_modules/uplot/LICENSE dist/vendor/uPlot.LICENSE
# The QR code of the share dialog (an ES module, loaded only when asked for; MIT, its
# licence in its header).
QRCODE=node_modules/qrcode-generator/dist/qrcode.mjs
[[ -f $QRCODE ]] || {
  echo "build-wasm: error: $QRCODE not found; run npm ci (dependency qrcode-generator)" >&2
  exit 1
}
cp "$QRCODE" dist/vendor/qrcode.mjs
# KaTeX typesets the lecture tour's update rules: loaded only when a chapter shows, minified
# here (its package ships the module unminified), with its styles, its woff2 fonts (every
# browser that runs the page reads woff2, so the older formats are never asked for) and its
# licence.
KATEX=node_modules/katex
[[ -f $KATEX/dist/katex.mjs ]] || {
  echo "build-wasm: error: $KATEX/dist/katex.mjs not found; run npm ci (dependency katex)" >&2
  exit 1
}
mkdir -p dist/vendor/katex/fonts
node_modules/.bin/esbuild "$KATEX/dist/katex.mjs" --minify --format=esm --log-level=warning \
  --outfile=dist/vendor/katex/katex.mjs
cp "$KATEX/dist/katex.min.css" dist/vendor/katex/
cp "$KATEX"/dist/fonts/*.woff2 dist/vendor/katex/fonts/
cp "$KATEX/LICENSE" dist/vendor/katex/LICENSE
[[ -d node_modules/esbuild ]] || {
  echo "build-wasm: error: node_modules/esbuild not found; run npm ci (devDependency esbuild)" >&2
  exit 1
}
# The page's own modules and styles, minified file by file: a visitor downloads about half.
node scripts/minify-web.mjs
# The same page as one self-contained file for file:// and course systems.
node scripts/build-single.mjs
say "done: $(find dist -type f | wc -l) files in dist/"
