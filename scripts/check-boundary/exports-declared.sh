#!/usr/bin/env bash
# frame.exports is exactly what the frame's public headers declare:
#   1. every name in it is declared in a public header, or is one of the few
#      symbols the compiler emits calls to on its own (below), so nobody can
#      widen the boundary by adding a frame-internal name to the list;
#   2. every function or variable a public header declares is in it, or in a
#      service's export list (frame/boot.h declares kern_main, which kern
#      implements).
#   exports-declared.sh -c CC -I INCDIR... [-e SERVICE_EXPORTS]... FRAME_EXPORTS HEADER...
set -uo pipefail

# Code generation needs these without any header: struct copies and
# initialisers (mem*), -fstack-protector (__stack_chk_*).
compiler_required="memcpy memset memmove memcmp __stack_chk_fail __stack_chk_guard"

cc=gcc
incs=()
service_exports=()
while getopts c:I:e: opt; do
	case $opt in
	c) cc=$OPTARG ;;
	I) incs+=(-I "$OPTARG") ;;
	e) service_exports+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -lt 2 ]; then
	echo "usage: $0 -c CC -I DIR... [-e EXPORTS]... FRAME_EXPORTS HEADER..." >&2
	exit 2
fi
frame_exports=$1
shift

# Export lists: one symbol per line, '#' starts a comment.
read_list() { sed 's/#.*//' "$@" | awk 'NF { print $1 }'; }

# Functions: gcc's -aux-info writes one line per prototype with the file that
# declared it: "/* path/x.h:7:NC */ extern int name (args);".
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
for h in "$@"; do echo "#include \"$(realpath "$h")\""; done >"$tmp/all.c"
"$cc" -ffreestanding -nostdinc -isystem "$("$cc" -print-file-name=include)" "${incs[@]}" \
	-fsyntax-only -aux-info "$tmp/aux" "$tmp/all.c" || exit 2
headers=$(realpath "$@")
functions=$(sed -nE 's|^/\* ([^:]*):.*\*/[^(]*[^A-Za-z0-9_(]([A-Za-z_][A-Za-z0-9_]*) \(.*|\1 \2|p' "$tmp/aux" |
	while read -r file name; do
		# gcc writes the path as it found it (relative, with ../): normalise.
		grep -qxF -e "$(realpath -m "$file")" <<<"$headers" && echo "$name"
	done)
# Variables: "extern type name;" or "extern type name[N];" (no parentheses).
variables=$(grep -hE '^\s*extern\s[^()]*;' "$@" |
	sed -E 's/^.*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*)\s*(\[[^]]*\]\s*)*;.*$/\1/')
declared=$(printf '%s\n%s\n' "$functions" "$variables" | awk NF | sort -u)
[ -n "$functions" ] || { echo "exports: no declarations found in the headers?" >&2; exit 2; }

bad=0
exported=$(read_list "$frame_exports")
for sym in $exported; do
	grep -qxF -e "$sym" <<<"$declared" && continue
	[[ " $compiler_required " == *" $sym "* ]] && continue
	echo "exports: $frame_exports lists $sym, which no public frame header declares"
	bad=1
done
others=$(printf '%s\n%s\n' "$exported" "$(read_list /dev/null "${service_exports[@]}")")
for sym in $declared; do
	grep -qxF -e "$sym" <<<"$others" && continue
	echo "exports: a public frame header declares $sym, but no export list has it"
	bad=1
done
[ $bad -eq 0 ] && echo "exports: ok ($(wc -l <<<"$declared") declarations)"
exit $bad
