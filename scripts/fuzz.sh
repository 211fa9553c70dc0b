#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets of tests/fuzz in build/fuzz (clang, with
# AddressSanitizer and UndefinedBehaviorSanitizer) and runs each in turn.
#   scripts/fuzz.sh [--seconds N] [--smoke] [--build-only] [target ...]
# Each target first runs its committed corpus (tests/fuzz/corpus/<target>,
# including every input that once found a bug), then fuzzes for N seconds
# (default 60). New inputs go to build/fuzz/corpus/<target>, crashes to
# build/fuzz/findings/. --smoke (npm test): 5 s unless --seconds is given,
# from the committed corpus alone; the new inputs it finds are not kept.
# Exits 1 if any target found something.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

seconds=
smoke=0
build_only=0
targets=()
while (($# > 0)); do
  case $1 in
    --seconds)
      seconds=${2:-}
      shift 2
      ;;
    --seconds=*)
      seconds=${1#--seconds=}
      shift
      ;;
    --build-only)
      build_only=1
      shift
      ;;
    --smoke)
      smoke=1
      shift
      ;;
    -h | --help)
      sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      targets+=("$1")
      shift
      ;;
  esac
done
if [[ -z $seconds ]]; then
  seconds=60
  ((smoke)) && seconds=5
fi
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "fuzz: --seconds needs a whole number of seconds >= 1, got '${seconds}'" >&2
  exit 2
fi

CXX_FUZZ=${CXX_FUZZ:-clang++-14}
if ! command -v "$CXX_FUZZ" >/dev/null 2>&1; then
  echo "fuzz: ${CXX_FUZZ} not found (npm run setup installs clang-14)" >&2
  exit 1
fi
cmake -S . -B build/fuzz -DOPTIM_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$CXX_FUZZ" >/dev/null || exit 1
cmake --build build/fuzz -j2 >/dev/null || {
  echo "fuzz: the build failed; run cmake --build build/fuzz to see why" >&2
  exit 1
}
((build_only)) && exit 0

if ((${#targets[@]} == 0)); then
  for source in tests/fuzz/*.cpp; do
    name=$(basename "$source" .cpp)
    targets+=("$name")
  done
fi

failed=()
mkdir -p build/fuzz/findings
rm -rf build/fuzz/smoke
for name in "${targets[@]}"; do
  binary=build/fuzz/fuzz_${name}
  if [[ ! -x $binary ]]; then
    echo "fuzz: no target '${name}' (tests/fuzz/${name}.cpp)" >&2
    failed+=("$name")
    continue
  fi
  work=build/fuzz/corpus/${name}
  ((smoke)) && work=build/fuzz/smoke/${name}
  mkdir -p "$work"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
    -print_final_stats=1 -artifact_prefix="build/fuzz/findings/${name}-")
  dict=tests/fuzz/${name%_config}.dict
  [[ $name == *_config ]] && dict=tests/fuzz/config.dict
  [[ -f $dict ]] && options+=(-dict="$dict")
  echo "fuzz: ${name}: ${seconds} s" >&2
  log=build/fuzz/${name}.log
  "$binary" "${options[@]}" "$work" "tests/fuzz/corpus/${name}" >"$log" 2>&1
  rc=$?
  grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$log" |
    sed "s/^/fuzz: ${name}: /" >&2
  if ((rc != 0)); then
    tail -n 40 "$log" >&2
    echo "fuzz: ${name} found a problem (exit ${rc}); full log in ${log}" >&2
    failed+=("$name")
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
