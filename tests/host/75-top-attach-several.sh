# top --attach never picks among several hists of an event: beside another session's pinned
# aggregation (the neighbour churns one on this very event) it used to watch the first pin
# found, whoever's, without a word. Several are refused (exit 2), each named with its owner,
# and --name picks one.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
private_state

E=syscalls:sys_enter_getppid
N=fa$$
W=$FTRIG_HELPERS/workload
trap '"$FTRIG" hist rm $E --name ${N}a >/dev/null 2>&1; "$FTRIG" hist rm $E --name ${N}b >/dev/null 2>&1; rm -rf "$FTRIG_STATE_DIR"' EXIT

# ${N}a sees both workloads, ${N}b only the second.
expect_exit 0 "$FTRIG" hist start $E --key common_pid.execname --name ${N}a --backend bpf
"$W" --comm ${N}one --getppid 111 >/dev/null
expect_exit 0 "$FTRIG" hist start $E --key common_pid.execname --name ${N}b --backend bpf
"$W" --comm ${N}two --getppid 222 >/dev/null

expect_exit 2 "$FTRIG" top --attach $E -b -n 1 -d 0.2
contains "$out" "--attach $E: " "several pins"
contains "$out" "hists to watch, not one:" "several pins"
contains "$out" "  pinned BPF aggregation, name ${N}a (ftrig, persistent (hist start))" "several pins"
contains "$out" "  pinned BPF aggregation, name ${N}b (ftrig, persistent (hist start))" "several pins"
contains "$out" "say which with --name NAME" "several pins"
case $out in *"${N}one"* | *"${N}two"*) fail "a refused --attach showed a table: $out" ;; esac

expect_exit 0 "$FTRIG" top --attach $E --name ${N}b -b -n 1 -d 0.2
echo "$out" | grep -q "^${N}two \[[0-9]*\] *222 " || fail "--name ${N}b does not show ${N}two's 222: $out"
case $out in *"${N}one"*) fail "--name ${N}b showed ${N}a's table: $out" ;; esac
expect_exit 0 "$FTRIG" top --attach $E --name ${N}a -b -n 1 -d 0.2
echo "$out" | grep -q "^${N}one \[[0-9]*\] *111 " || fail "--name ${N}a does not show ${N}one's 111: $out"

# One left: watched without a name, but for the neighbour's churning pin on the same event,
# which may be there or not: either that one pin is watched, or both are named.
expect_exit 0 "$FTRIG" hist rm $E --name ${N}b
"$FTRIG" top --attach $E -b -n 1 -d 0.2 >"$FTRIG_STATE_DIR/one" 2>&1
rc=$?
case $rc in
0) grep -q "^${N}one \[[0-9]*\] *111 " "$FTRIG_STATE_DIR/one" || fail "the one pin not watched: $(cat "$FTRIG_STATE_DIR/one")" ;;
2) grep -q "name ${N}a " "$FTRIG_STATE_DIR/one" || fail "refused without naming ${N}a: $(cat "$FTRIG_STATE_DIR/one")" ;;
*) fail "top --attach with one pin of ours exited $rc: $(cat "$FTRIG_STATE_DIR/one")" ;;
esac
expect_exit 0 "$FTRIG" hist rm $E --name ${N}a
exit 0
