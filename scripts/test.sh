#!/usr/bin/env bash
# The second README command (and what CI runs): set up, build, and run the
# whole test suite through ctest.
#   scripts/test.sh [ctest args...]       e.g. scripts/test.sh -R boot
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${RIVET_BUILD_DIR:-$ROOT/build}

"$ROOT/scripts/build.sh" --quiet
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" "$@"
