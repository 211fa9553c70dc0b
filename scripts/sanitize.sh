#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The native tests under AddressSanitizer (with its leak checker) and
# UndefinedBehaviorSanitizer: builds build/sanitize (-O1 -g, Eigen's own
# assertions on) and runs ctest there. Any report fails its test.
#   scripts/sanitize.sh [--build-only] [ctest arguments ...]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

build_only=0
if [[ ${1:-} == --build-only ]]; then
  build_only=1
  shift
fi

cmake -S . -B build/sanitize -DOPTIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" >/dev/null || exit 1
cmake --build build/sanitize -j2 --target optim_tests >/dev/null || {
  echo "sanitize: the build failed; run cmake --build build/sanitize to see why" >&2
  exit 1
}
((build_only)) && exit 0

export ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:${ASAN_OPTIONS:-}
export UBSAN_OPTIONS=print_stacktrace=1:${UBSAN_OPTIONS:-}
cd build/sanitize && ctest --output-on-failure -j2 "$@"
