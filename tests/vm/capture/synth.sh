#!/bin/sh
# Capture script for a synthetic event's files (tests/fixtures/vm-6.1/events/synthetic/wl):
# run inside the Debian 6.1 VM by tests/vm/run.sh --capture DIR --setup THIS. Not a test.
#
# Defines the synthetic event a latency named 'wl' counts into ("wl u64 lat", as
# ft_latency_make() writes it), saves its format, id and trigger files as the kernel makes
# them, and removes it again (checked).
set -u
T=/sys/kernel/tracing
out=${FTRIG_CAPTURE_OUT:?}/events/synthetic/wl
mkdir -p "$out"
echo 's:wl u64 lat' >>"$T/dynamic_events" || exit 1
for f in format id trigger; do
	cp "$T/events/synthetic/wl/$f" "$out/$f" || exit 1
done
echo '-:synthetic/wl' >>"$T/dynamic_events" || exit 1
[ ! -e "$T/events/synthetic/wl" ] || { echo "capture: synthetic/wl is left" >&2; exit 1; }
