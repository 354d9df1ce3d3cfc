#!/usr/bin/env bash
# Include check: every file a service object was built from (its source and
# every header, as the compiler recorded them in the object's .d file) must
# lie under one of the allowed directories.
#   includes.sh -a DIR [-a DIR]... OBJECT...
# Checking -I flags is not enough: `#include "../../frame/mm/pmm.h"` needs no
# -I, so we check what the compiler actually opened.
set -uo pipefail

allowed=()
while getopts a: opt; do
	case $opt in
	a) allowed+=("$(realpath -m "$OPTARG")") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ] || [ ${#allowed[@]} -eq 0 ]; then
	echo "usage: $0 -a DIR... OBJECT..." >&2
	exit 2
fi

bad=0
for obj in "$@"; do
	# CMake's Makefile generator writes <object>.d; plain gcc -MD writes <stem>.d.
	dep=$obj.d
	[ -f "$dep" ] || dep=${obj%.*}.d
	if [ ! -f "$dep" ]; then
		# Ninja folds .d files into its own log and deletes them.
		echo "includes: no dependency file for $obj (built with -MD by the Makefile generator?)"
		bad=1
		continue
	fi
	# Make syntax: "target: dep dep \" continued over lines. Take every word
	# that is not a target (ends in ':') or a line continuation.
	for f in $(tr -s ' \t\\' '\n' <"$dep" | grep -v -e ':$' -e '^$'); do
		f=$(realpath -m "$f") # gcc records "../" paths as written
		ok=0
		for dir in "${allowed[@]}"; do
			case $f in "$dir"/*) ok=1 && break ;; esac
		done
		if [ $ok -eq 0 ]; then
			echo "includes: $(basename "$obj") uses $f, outside the service's allowed directories"
			bad=1
		fi
	done
done
[ $bad -eq 0 ] && echo "includes: ok ($# objects)"
exit $bad
