#!/usr/bin/env bash
# Instruction check: services run in S-mode, but only the frame may use what
# S-mode allows beyond ordinary code. Fails on
#   - privileged or trapping instructions in the objects (objdump -d);
#   - any use of tp: it holds the running hart's block, the compiler keeps
#     copies of it across calls, and a task that slept may wake on another
#     hart (frame/task.h's task_current_data is a call for that reason);
#   - inline assembly (asm, __asm, __asm__) in C sources and headers, and
#     assembly sources (.S, .s) at all.
#   instructions.sh [-d OBJDUMP] [-c CLANG] [-s SOURCE_FILE_OR_DIR]... [OBJECT...]
set -uo pipefail

objdump=objdump
clang=clang
sources=()
while getopts d:c:s: opt; do
	case $opt in
	d) objdump=$OPTARG ;;
	c) clang=$OPTARG ;;
	s) sources+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ] && [ ${#sources[@]} -eq 0 ]; then
	echo "usage: $0 [-d OBJDUMP] [-c CLANG] [-s SOURCE|DIR]... OBJECT..." >&2
	exit 2
fi

bad=0

# No aliases, so CSR pseudo-instructions (csrw, rdtime, frflags...) show as
# the csrr[wsc][i] they are, and c.ebreak keeps its name. Data in code
# (.word ...) is refused too: compiled C never puts any there, and it would
# hide an encoding (".word 0x10500073" is wfi) from the disassembler.
export FORBIDDEN='^(csrr[wsc]i?|sret|mret|dret|uret|wfi|ecall|(c\.)?ebreak|[sh]fence\..*|[sh]inval\..*|\.(byte|short|half|word|dword|[248]byte))$'
for obj in "$@"; do
	out=$("$objdump" -d -M no-aliases --no-show-raw-insn "$obj") || exit 2
	# "0000000000000010 <fn>:" starts a function (.L* are gcc's local labels);
	# "  14:	csrrw	zero,sstatus,zero" is an instruction.
	hits=$(awk -F'\t' '
		/^[0-9a-f]+ <[^.].*>:$/ { fn = $0; sub(/^[0-9a-f]+ /, "", fn); sub(/:$/, "", fn) }
		NF >= 2 && $1 ~ /^ *[0-9a-f]+:$/ && $2 ~ ENVIRON["FORBIDDEN"] { print fn ": " $2 " " $3 }
		NF >= 3 && $1 ~ /^ *[0-9a-f]+:$/ && $3 ~ /(^|[,(])tp([,)]|$)/ {
			print fn ": " $2 " " $3 " (tp in a service)" }' <<<"$out")
	if [ -n "$hits" ]; then
		sed "s|^|instructions: $(basename "$obj"): |" <<<"$hits"
		bad=1
	fi
done

# Raw tokens (no preprocessing, no include paths needed): comments and string
# literals are their own tokens, so "asm" in a comment does not count.
files=
if [ ${#sources[@]} -gt 0 ]; then
	files=$(find "${sources[@]}" -type f \( -name '*.[chSs]' -o -name '*.inc' \) | sort) || exit 2
	[ -n "$files" ] || { echo "instructions: no sources in ${sources[*]}"; exit 2; }
fi
for src in $files; do
	case $src in
	*.S | *.s)
		echo "instructions: $src: assembly source in a service"
		bad=1
		continue ;;
	esac
	toks=$("$clang" -cc1 -dump-raw-tokens -x c "$src" 2>&1) || { echo "$toks"; exit 2; }
	hits=$(grep -E "^raw_identifier '(asm|__asm|__asm__)'" <<<"$toks" |
		sed -E "s/^raw_identifier '([^']*)'.*Loc=<[^:]*:([0-9]+):.*/\2: \1/")
	if [ -n "$hits" ]; then
		sed "s|^|instructions: $src:|;s|\$| (inline assembly in a service)|" <<<"$hits"
		bad=1
	fi
done

[ $bad -eq 0 ] && echo "instructions: ok ($# objects, $(wc -w <<<"$files") sources)"
exit $bad
