#!/bin/sh
# Run by busybox init in the testsuite image (its /etc/inittab's one line):
# busybox's own testsuite, from Debian's busybox source package, run by its
# runtest over the applets listed in /bb/applets (empty: all of them).
# run_testsuite.py packs the image, reads the PASS/FAIL lines off the console
# and stops QEMU after the end marker.
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
export HOME=/root
# What rcS does for the shell image; the testsuite's cp, ls and mount tests
# expect /dev, /proc and a writable /tmp. Failures here are reported by the
# tests that need the missing piece.
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
mount -t tmpfs tmpfs /tmp 2>/dev/null
hostname rivet 2>/dev/null

echo "testsuite: start"
cd /bb/testsuite || { echo "testsuite: done status=no-testsuite"; exit 1; }
# runtest takes applet names as arguments ($(cat) needs a pipe: read instead).
set --
while read -r applet; do
	[ -n "$applet" ] && set -- "$@" "$applet"
done < /bb/applets
./runtest "$@"
echo "testsuite: done status=$?"
# -f: straight to reboot(2), no shutdown sequence needed. If the kernel
# cannot power off, the host runner ends QEMU after the marker.
poweroff -f
