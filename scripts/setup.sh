#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what the build and tests need (Debian packages, then npm packages).
# Idempotent: when everything is present it prints one line and does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts-wqy-microhei: Chinese glyphs for the browser tests' zh screenshots.
# clang-14 and libclang-rt-14-dev (only recommended by clang-14): libFuzzer
# and the sanitizer runtimes of npm run fuzz.
APT_PACKAGES=(cmake make g++ emscripten libeigen3-dev doctest-dev nlohmann-json3-dev chromium clang-format fonts-wqy-microhei
  clang-14 libclang-rt-14-dev)
NODE_MIN_MAJOR=20

say() { echo "setup: $*"; }
die() {
  echo "setup: error: $*" >&2
  exit 1
}

# Node and npm do not come from apt (Debian 12's nodejs is too old).
command -v node >/dev/null 2>&1 ||
  die "node not found; install Node.js >= ${NODE_MIN_MAJOR} (https://nodejs.org/) and put it on PATH"
node_version="$(node -p 'process.versions.node')"
if ((${node_version%%.*} < NODE_MIN_MAJOR)); then
  die "node ${node_version} is too old; Node.js >= ${NODE_MIN_MAJOR} is required"
fi
command -v npm >/dev/null 2>&1 || die "npm not found; it ships with Node.js, reinstall Node.js >= ${NODE_MIN_MAJOR}"

# dpkg-query, not dpkg -s: dpkg -s succeeds for removed-but-configured packages.
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

did_something=0
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    die "missing Debian packages (not root, so not installing them)"
  fi
  say "apt-get update"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  did_something=1
fi

# npm ci when node_modules is missing or older than the lockfile.
[[ -f package-lock.json ]] || die "package-lock.json not found in $(pwd); run npm install once and commit it"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "npm ci (node_modules missing or older than package-lock.json)"
  npm ci
  did_something=1
fi

if ((did_something)); then
  say "done"
else
  say "all dependencies present (${#APT_PACKAGES[@]} Debian packages, node ${node_version}, node_modules up to date)"
fi
