#!/bin/sh
# Runs one guest test program quietly (tests/robustness/soak.py): prints
# "NAME: status S: <its last line>".
out=/tmp/run-guest.$$
/guest/"$1" >$out 2>&1
s=$?
echo "$1: status $s: $(tail -n 1 $out)"
rm -f $out
