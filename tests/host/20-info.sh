# info reports what this kernel has, detected from tracefs; --require fails on what it lacks.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs

expect_exit 0 "$FTRIG" info --json
json=$out
feature() { echo "$json" | grep -q "\"$1\": $2" || fail "info --json: expected $1 $2: $json"; }

feature dynamic_events true
feature instances true
# What this kernel has, told by the kernel itself rather than assumed from where the test runs:
# its build configuration where it publishes one, else the tracefs file each feature brings.
# An eprobe leaves no file of its own (its README text is there either way, as on 6.18), so
# without a config a raw write of one, under a group of this test's, tells.
kconf=$( (zcat /proc/config.gz || cat "/boot/config-$(uname -r)") 2>/dev/null)
has() { # has CONFIG FILE: exit 0 when the kernel has the feature
	if [ -n "$kconf" ]; then
		echo "$kconf" | grep -q "^CONFIG_$1=[ym]"
	elif [ "$1" = EPROBE_EVENTS ]; then
		echo "e:ftrig_t20_$$/probe sched/sched_switch" >>"$T/dynamic_events" 2>/dev/null &&
			echo "-:ftrig_t20_$$/probe" >>"$T/dynamic_events"
	else
		case $2 in /*) [ -e "$2" ] ;; *) [ -e "$T/$2" ] ;; esac
	fi
}
missing=
for f in uprobe_events:UPROBE_EVENTS:uprobe_events btf:DEBUG_INFO_BTF:/sys/kernel/btf/vmlinux \
	bpf:BPF_SYSCALL:/proc/sys/kernel/unprivileged_bpf_disabled kprobe_events:KPROBE_EVENTS:kprobe_events hist_triggers:HIST_TRIGGERS:events/sched/sched_switch/hist \
	snapshot:TRACER_SNAPSHOT:snapshot synthetic_events:SYNTH_EVENTS:synthetic_events eprobes:EPROBE_EVENTS:; do
	name=${f%%:*}
	rest=${f#*:}
	if has "${rest%%:*}" "${rest#*:}"; then
		feature "$name" true
	else
		feature "$name" false
		missing="$missing $name"
		# The Debian 6.1 kernel of the VM tier has every ftrace feature (DESIGN.md).
		[ "$FTRIG_TIER" != vm ] || fail "the VM kernel lacks $name"
	fi
done
if [ -n "$missing" ]; then
	set -- $missing
	expect_exit 1 "$FTRIG" info --require "uprobe_events,$1"
	contains "$out" "lacks $1" "--require on a missing feature"
	[ "$1" != kprobe_events ] || contains "$out" "CONFIG_KPROBE_EVENTS" "--require names the fix"
else
	expect_exit 0 "$FTRIG" info --require kprobe_events,hist_triggers,snapshot
fi
contains "$json" '"path": "'"$T"'"' "tracefs path"
contains "$json" '"traceon"' "trigger list"
expect_exit 0 "$FTRIG" info
contains "$out" "tracefs:" "info"
contains "$out" "uprobe_events" "info"
exit 0
