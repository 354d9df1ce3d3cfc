#!/usr/bin/env bash
# Soak (not in CI): boots Rivet once and runs the guest test programs,
# busybox workloads and a short syscall-fuzzer run in a loop for the given
# time, reporting MemFree at boot, after the first round and at the end;
# fails if the kernel stops answering, a program that passed starts failing,
# or memory was lost (tests/robustness/soak.py, docs/testing.md).
#   scripts/soak.sh [--minutes 60] [--mem 256M] [--fuzz-calls 5000]
# The syscall fuzzer alone, longer (docs/testing.md):
#   scripts/soak.sh --fuzz-only --minutes 60
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${RIVET_BUILD_DIR:-$ROOT/build}

"$ROOT/scripts/build.sh" --quiet
[[ -f $BUILD/robustness/robust.cpio ]] ||
	{ echo "soak: no $BUILD/robustness/robust.cpio (configured with -DRIVET_BUSYBOX=OFF?)" >&2; exit 1; }
exec /usr/bin/python3 "$ROOT/tests/robustness/soak.py" --kernel "$BUILD/Image" \
	--initrd "$BUILD/robustness/robust.cpio" "$@"
