#!/usr/bin/env bash
# Integer-to-pointer cast check: a service must reach memory only through
# pointers the frame gave it (handles, heap), never by making up an address.
# clang-tidy's performance-no-int-to-ptr flags such casts; any finding, and
# any source clang cannot parse, fails the check. That check deliberately
# skips casts of a bare integer literal, "(int *)0x1000" (LLVM's
# NoIntToPtrCheck.cpp: unless(hasSourceExpression(integerLiteral()))), the
# very form that makes up a device address, so clang-query looks for those.
# (A null pointer constant, (T *)0, is a NullToPointer cast: not flagged.)
#   int-to-ptr.sh [-t CLANG_TIDY] [-q CLANG_QUERY] [-c CLANG] -r REPO_ROOT -s SERVICE_DIR C_SOURCE...
# The compile flags are given explicitly (no compile database): the same
# include path a service gets, for a freestanding RISC-V target.
set -uo pipefail

tidy="clang-tidy"
query="clang-query"
clang=clang
root=
svc=
while getopts t:q:c:r:s: opt; do
	case $opt in
	t) tidy=$OPTARG ;;
	q) query=$OPTARG ;;
	c) clang=$OPTARG ;;
	r) root=$(realpath "$OPTARG") ;;
	s) svc=$(realpath "$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$root" ] || [ -z "$svc" ] || [ $# -eq 0 ]; then
	echo "usage: $0 [-t CLANG_TIDY] [-q CLANG_QUERY] [-c CLANG] -r REPO_ROOT -s SERVICE_DIR C_SOURCE..." >&2
	exit 2
fi

resource=$("$clang" -print-resource-dir) || exit 2
flags=(--target=riscv64-unknown-elf -std=gnu11 -ffreestanding -nostdinc
	-isystem "$root/frame/include/libc" -isystem "$resource/include"
	-I"$svc" -I"$root/frame/include" -I"$root/kern/include")

# Headers in the service's own folder are its code too; the frame's are not
# judged here.
"$tidy" --quiet -checks='-*,performance-no-int-to-ptr' -warnings-as-errors='*' \
	-header-filter="^$svc/" "$@" -- "${flags[@]}"
rc=$?

# clang-query always exits 0: count the matches it reports.
out=$("$query" -c "match castExpr(hasCastKind(\"CK_IntegralToPointer\"),
	hasSourceExpression(integerLiteral()), isExpansionInFileMatching(\"^$svc/\"))" \
	"$@" -- "${flags[@]}" 2>&1) || { echo "$out"; exit 2; }
if grep -q 'binds here' <<<"$out"; then
	grep -A2 'binds here' <<<"$out" | sed 's/note: "root" binds here/error: integer literal cast to a pointer [int-to-ptr literal]/'
	rc=1
fi

[ $rc -eq 0 ] && echo "int-to-ptr: ok ($# sources)"
exit $rc
