# The BPF backend on kprobes (the host kernel has none): on a kprobe event defined in
# tracefs, attached by its id, and on a plain kprobe, the workload's openat calls are counted
# exactly, and a kernel hist trigger on the same event counts the same.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events,hist_triggers,bpf >/dev/null 2>&1 ||
	skip "needs kprobe_events, hist triggers and BPF"
A=$FTRIG_HELPERS/bpf-agg
W=$FTRIG_HELPERS/workload
out=$("$A" -k comm syscalls:sys_enter_getppid -- true 2>&1)
case $out in
*"built without the BPF backend"*) skip "ftrig built without the BPF backend" ;;
esac
comm=bpfk$$
grp=ftrig_bpf_$$
hist='hist:keys=comm:vals=hitcount'
cleanup() {
	echo "!$hist" >>"$T/events/$grp/open/trigger" 2>/dev/null
	grep -q "^p:$grp/" "$T/kprobe_events" 2>/dev/null && echo "-:$grp/open" >>"$T/kprobe_events"
}
trap cleanup EXIT

echo "p:$grp/open do_sys_openat2 comm=\$comm:string" >>"$T/kprobe_events" ||
	fail "cannot define the kprobe event"
echo "$hist" >>"$T/events/$grp/open/trigger" || fail "cannot add the hist trigger"

expect_exit 0 "$A" -k comm "$grp:open" -- "$W" --comm "$comm" --open 123:/dev/null
contains "$out" "{ comm: $comm } hitcount: 123" "kprobe event"
bpf=$(echo "$out" | sed -n "s/^{ comm: $comm } hitcount: //p")
kern=$(grep "comm: $comm " "$T/events/$grp/open/hist" | sed 's/.*hitcount: *//')
[ "$kern" = 123 ] || fail "the hist trigger counted '$kern', not 123: $(cat "$T/events/$grp/open/hist")"
[ "$bpf" = "$kern" ] || fail "bpf counted $bpf, the hist trigger $kern"

echo "!$hist" >>"$T/events/$grp/open/trigger" || fail "cannot remove the hist trigger"
echo "-:$grp/open" >>"$T/kprobe_events" || fail "cannot remove the kprobe event"

# A plain kprobe, no tracefs event: the same exact count.
expect_exit 0 "$A" -k comm kprobe:do_sys_openat2 -- "$W" --comm "$comm" --open 45:/dev/null
contains "$out" "{ comm: $comm } hitcount: 45" "plain kprobe"
[ -z "$(debris | grep "$grp")" ] || fail "left behind: $(debris)"
exit 0
