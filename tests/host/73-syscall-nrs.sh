# The call numbers ftrig's BPF gate uses for syscall events (the build's headers, and a table
# of calls newer than them) against the running kernel's own: for each syscalls:sys_enter_*
# event of such a newer call (and two from the headers, on every kernel), the number the
# classic tracepoint's record holds must be the one the raw_syscalls gate selects. The
# workload calls every number of the table's range and the two others (all arguments -1,
# refused at once), so a wrong number shows as another key, or none.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
[ "$(uname -m)" = x86_64 ] || skip "the table of newer calls is x86_64's"
W=$FTRIG_HELPERS/workload
private_state
comm=nr$$
name=t73_$$
trap '"$FTRIG" hist rm syscalls:sys_enter_getppid --name "$name" >/dev/null 2>&1; rm -rf "$FTRIG_STATE_DIR"' EXIT
calls="--syscall 32:2 --syscall 39:2" # dup, getpid
for nr in $(seq 451 469); do calls="$calls --syscall $nr:2"; done
names="dup getpid cachestat fchmodat2 map_shadow_stack futex_wake futex_wait futex_requeue statmount listmount
lsm_get_self_attr lsm_set_self_attr lsm_list_modules mseal setxattrat getxattrat listxattrat
removexattrat open_tree_attr file_getattr file_setattr"

# number MODE CALL: the call number the aggregation of sys_enter_CALL and sys_enter_getppid
# saw for CALL (the getppid event makes two syscall events: the raw gate's case).
number() {
	if [ "$1" = classic ]; then export FTRIG_BPF_CLASSIC=1; else unset FTRIG_BPF_CLASSIC; fi
	"$FTRIG" hist start syscalls:sys_enter_getppid "syscalls:sys_enter_$2" \
		--key __syscall_nr --key comm --name "$name" >/dev/null || fail "$1: start $2"
	"$W" --comm "$comm" $calls >/dev/null || fail "workload failed"
	"$FTRIG" hist dump syscalls:sys_enter_getppid --name "$name" --format csv |
		awk -F, -v c="$comm" '$2 == c { print $1 " x" $3 }'
	"$FTRIG" hist rm syscalls:sys_enter_getppid --name "$name" >/dev/null || fail "rm"
}

checked=0
for n in $names; do
	[ -d "$T/events/syscalls/sys_enter_$n" ] || continue
	want=$(number classic "$n")
	got=$(number raw "$n")
	[ -n "$want" ] || fail "the classic event sys_enter_$n saw none of calls 451..469"
	[ "$got" = "$want" ] || fail "sys_enter_$n: the kernel's record says '$want', ftrig's gate '$got'"
	checked=$((checked + 1))
done
unset FTRIG_BPF_CLASSIC
[ $checked -ge 2 ] || fail "checked $checked call numbers: dup and getpid at least"
echo "checked $checked call numbers"
