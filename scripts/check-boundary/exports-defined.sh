#!/usr/bin/env bash
# Export lists must not rot: every name in an export list is defined, as a
# global symbol, by the objects of the module that claims to export it.
#   exports-defined.sh -n NM EXPORTS OBJECT...
set -uo pipefail

nm="nm"
while getopts n: opt; do
	case $opt in
	n) nm=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -lt 2 ]; then
	echo "usage: $0 -n NM EXPORTS OBJECT..." >&2
	exit 2
fi
exports=$1
shift

# Export lists: one symbol per line, '#' starts a comment.
names=$(sed 's/#.*//' "$exports" | awk 'NF { print $1 }') || exit 2
defined=$("$nm" -g --defined-only "$@" | awk 'NF == 3 { print $3 }') || exit 2

bad=0
for sym in $names; do
	grep -qxF -e "$sym" <<<"$defined" && continue
	echo "exports: $exports lists $sym, but its objects do not define it"
	bad=1
done
[ $bad -eq 0 ] && echo "exports: ok ($(wc -w <<<"$names") names defined)"
exit $bad
