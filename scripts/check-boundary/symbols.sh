#!/usr/bin/env bash
# Symbol check: every symbol a service's objects use but do not define is one
# the frame exports (frame/frame.exports) or some service declares
# (service.exports). Symbols defined by the service's own objects are its own
# business: they are resolved inside the service.
#   symbols.sh -n NM -e EXPORTS [-e EXPORTS]... OBJECT...
set -uo pipefail

nm="nm"
exports=()
while getopts n:e: opt; do
	case $opt in
	n) nm=$OPTARG ;;
	e) exports+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ] || [ ${#exports[@]} -eq 0 ]; then
	echo "usage: $0 -n NM -e EXPORTS... OBJECT..." >&2
	exit 2
fi

# Export lists: one symbol per line, '#' starts a comment.
allowed=$(sed 's/#.*//' "${exports[@]}" | awk 'NF { print $1 }') || exit 2
own=$("$nm" -g --defined-only "$@" | awk 'NF == 3 { print $3 }') || exit 2
known=$(printf '%s\n%s\n' "$allowed" "$own")

bad=0
for obj in "$@"; do
	undefined=$("$nm" -u "$obj" | awk '{ print $NF }') || exit 2
	for sym in $undefined; do
		grep -qxF -e "$sym" <<<"$known" && continue
		echo "symbols: $(basename "$obj") uses $sym, which neither the frame nor any service exports"
		bad=1
	done
done
[ $bad -eq 0 ] && echo "symbols: ok ($# objects)"
exit $bad
