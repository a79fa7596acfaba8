# info reports what this kernel has, detected from tracefs; --require fails on what it lacks.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs

expect_exit 0 "$FTRIG" info --json
json=$out
feature() { echo "$json" | grep -q "\"$1\": $2" || fail "info --json: expected $1 $2: $json"; }

feature uprobe_events true
feature dynamic_events true
feature instances true
feature btf true
feature bpf true
case $FTRIG_TIER in
host)	# The 6.18 host kernel: no kprobes, no hist triggers, no snapshot (DESIGN.md).
	feature kprobe_events false
	feature hist_triggers false
	feature snapshot false
	# Its README documents eprobes, but it was built without them: a real probe says so.
	feature eprobes false
	expect_exit 1 "$FTRIG" info --require uprobe_events,kprobe_events
	contains "$out" "lacks kprobe_events" "--require on a missing feature"
	contains "$out" "CONFIG_KPROBE_EVENTS" "--require names the fix"
	;;
vm)	# The Debian 6.1 kernel has every ftrace feature.
	feature kprobe_events true
	feature hist_triggers true
	feature snapshot true
	feature synthetic_events true
	feature eprobes true
	expect_exit 0 "$FTRIG" info --require kprobe_events,hist_triggers,snapshot
	;;
esac
contains "$json" '"path": "'"$T"'"' "tracefs path"
contains "$json" '"traceon"' "trigger list"
expect_exit 0 "$FTRIG" info
contains "$out" "tracefs:" "info"
contains "$out" "uprobe_events" "info"
exit 0
