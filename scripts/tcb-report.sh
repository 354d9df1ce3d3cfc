#!/usr/bin/env bash
# TCB report: lines of code in the trusted frame (arch/ + frame/) against the
# services (kern/ + drivers/), and the frame's share of our own kernel code.
# Fetched dependencies (deps/libfdt) are listed apart and not in the share:
# they are trusted too, but not code we write or can shrink.
# Counts non-blank lines that are not only comment, in .c, .h, .S and .s
# files. A report, not a judgement: it always exits 0 if it could count.
#   scripts/tcb-report.sh [REPO_ROOT]
set -euo pipefail

root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

# Lines of code under the given directories (missing ones count 0).
loc() {
	local dirs=() d
	for d in "$@"; do [ -d "$root/$d" ] && dirs+=("$root/$d"); done
	[ ${#dirs[@]} -gt 0 ] || { echo 0; return; }
	find "${dirs[@]}" -type f \( -name '*.[chSs]' \) -print0 | xargs -0r cat | awk '
		{
			line = $0
			code = 0
			while (line != "") {
				if (incomment) {
					# inside /* ... */: skip to its end, if on this line
					end = index(line, "*/")
					if (!end) { line = ""; break }
					line = substr(line, end + 2)
					incomment = 0
				} else {
					start = index(line, "/*")
					before = start ? substr(line, 1, start - 1) : line
					sub(/\/\/.*/, "", before)   # a // comment ends the line
					if (before ~ /[^ \t]/) code = 1
					if (!start || before != substr(line, 1, start - 1)) break
					line = substr(line, start + 2)
					incomment = 1
				}
			}
			n += code
		}
		END { print n + 0 }'
}

tcb=$(loc arch frame)
svc=$(loc kern drivers)
fdt=$(loc deps/libfdt)
total=$((tcb + svc))

printf '%-34s %7s\n' "TCB (arch/ + frame/)" "$tcb"
printf '%-34s %7s\n' "services (kern/ + drivers/)" "$svc"
printf '%-34s %7s\n' "own kernel code" "$total"
if [ "$total" -gt 0 ]; then
	# one decimal, computed in integers: tenths of a percent, rounded
	tenths=$(((tcb * 1000 + total / 2) / total))
	printf 'TCB share of own kernel code: %d.%d%%\n' $((tenths / 10)) $((tenths % 10))
fi
printf '%-34s %7s\n' "libfdt (deps/libfdt, apart)" "$fdt"
