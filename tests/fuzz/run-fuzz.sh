#!/bin/sh
# One time-bounded libFuzzer run, as ctest's fuzz.<target> does it:
#   run-fuzz.sh FUZZER WORK_DIR SECONDS SEED_DIR... [-- LIBFUZZER_OPTION...]
# The seeds are only read; new inputs go to WORK_DIR/corpus, a crashing
# input to WORK_DIR/crash-* (and the run fails). Longer campaigns:
# docs/testing.md ("Fuzzing").
set -eu
fuzzer=$1 work=$2 seconds=$3
shift 3
seeds=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	[ -d "$1" ] && seeds="$seeds $1"
	shift
done
[ "${1:-}" = -- ] && shift
mkdir -p "$work/corpus"
# Every seed alone first: a regression seed must keep passing.
# shellcheck disable=SC2086
"$fuzzer" -runs=0 $seeds
# shellcheck disable=SC2086
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/" -print_final_stats=1 "$@" "$work/corpus" $seeds
