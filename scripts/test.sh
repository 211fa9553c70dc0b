#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every check in order and keeps going after a failure, so one broken
# step does not hide the others. node's test runner runs last, so its TAP
# summary closes the output. Exits 1 if any step failed.
# Expects a finished build (npm test runs setup and build first).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

GOLDEN=../shared/conformance/public.json
failed=()

step() {
  local name=$1
  shift
  echo "test: == ${name} ==" >&2
  "$@"
  local rc=$?
  if ((rc != 0)); then
    failed+=("${name} (exit ${rc})")
  fi
}

ctest_native() {
  if [[ ! -d build/native ]]; then
    echo "test: build/native not found; run npm run build:native first" >&2
    return 1
  fi
  (cd build/native && ctest --output-on-failure)
}

conformance() {
  if [[ ! -f $GOLDEN ]]; then
    echo "test: golden file ${GOLDEN} not found (expected at $(cd .. && pwd)/shared/conformance/public.json)" >&2
    return 1
  fi
  if [[ ! -f scripts/conformance.mjs ]]; then
    echo "test: scripts/conformance.mjs not found" >&2
    return 1
  fi
  node scripts/conformance.mjs "$GOLDEN"
}

step "format check" npm run -s format:check
step "C++ tests (ctest)" ctest_native
step "C++ tests under ASan+UBSan (build/sanitize)" bash scripts/sanitize.sh
step "fuzz smoke (${FUZZ_SMOKE_SECONDS:-5} s a target)" bash scripts/fuzz.sh --smoke --seconds "${FUZZ_SMOKE_SECONDS:-5}"
step "conformance (${GOLDEN})" conformance
step "JS and browser tests (node --test)" node --test tests/js/ tests/e2e/

if ((${#failed[@]} > 0)); then
  {
    echo "test: ${#failed[@]} step(s) failed:"
    printf 'test:   %s\n' "${failed[@]}"
  } >&2
  exit 1
fi
