#!/usr/bin/env bash
# Set up (scripts/setup.sh) and build the kernel into build/Image.
#   scripts/build.sh [setup options]      RIVET_BUILD_DIR overrides build/
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${RIVET_BUILD_DIR:-$ROOT/build}

"$ROOT/scripts/setup.sh" "$@"
cmake -S "$ROOT" -B "$BUILD" >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
echo "build: kernel image at $BUILD/Image"
