#!/usr/bin/env bash
# Runs a check on a planted violation and passes only if the check fails
# (non-zero exit) AND prints every expected diagnostic. ctest's WILL_FAIL
# alone would also pass when the check crashes or cannot find its tools.
#   expect-fail.sh -e REGEX [-e REGEX]... COMMAND [ARG]...
set -uo pipefail

regexes=()
while getopts e: opt; do
	case $opt in
	e) regexes+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ] || [ ${#regexes[@]} -eq 0 ]; then
	echo "usage: $0 -e REGEX... COMMAND [ARG]..." >&2
	exit 2
fi

out=$("$@" 2>&1)
rc=$?
echo "$out"
if [ $rc -eq 0 ]; then
	echo "expect-fail: the check passed, but it should have caught the planted violation"
	exit 1
fi
for re in "${regexes[@]}"; do
	if ! grep -qE -e "$re" <<<"$out"; then
		echo "expect-fail: the check failed (exit $rc) without the expected diagnostic /$re/"
		exit 1
	fi
done
echo "expect-fail: ok, the check caught it (exit $rc)"
