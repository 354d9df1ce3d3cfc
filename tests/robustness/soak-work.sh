#!/bin/sh
# One round of busybox workloads for the soak (tests/robustness/soak.py):
# file copies, a tar round trip checked with diff, find, sort, a shell loop,
# a pipeline of many stages, /proc reads. Prints "soak-work: ok" or the
# first step that failed, and exits non-zero then.
fail() { echo "soak-work: FAILED: $*"; exit 1; }
d=/tmp/soak.$$
mkdir -p $d/x || fail mkdir
cp -r /etc $d/etc || fail cp
(cd $d && tar -cf t.tar etc) || fail tar -c
[ "$(tar -tf $d/t.tar | wc -l)" -gt 5 ] || fail tar -t
tar -xf $d/t.tar -C $d/x || fail tar -x
diff -r $d/etc $d/x/etc || fail diff
[ -n "$(find / -xdev -name 'passwd' | sort)" ] || fail find
[ "$(seq 1 20000 | sort -rn | tail -n 1)" = 1 ] || fail sort
i=0; while [ $i -lt 300 ]; do i=$((i + 1)); done
[ $i = 300 ] || fail loop
[ "$(seq 1 3000 | cat | cat | cat | cat | cat | cat | cat | wc -l)" = 3000 ] || fail pipeline
ps >/dev/null && cat /proc/meminfo /proc/self/maps >/dev/null || fail proc
rm -rf $d || fail rm
echo "soak-work: ok"
