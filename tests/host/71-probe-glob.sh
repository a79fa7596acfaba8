# A glob of kernel functions ('probe add vfs_*') on a kernel without kprobe events is refused
# before anything is read or written, naming why (no kprobe events) and what works instead;
# --name with a glob and a bad --max are usage errors. The kprobe side is tests/vm/31-probe-glob.sh.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
G=ftglob_$$
trap 'rm -rf "$FTRIG_STATE_DIR"' EXIT

expect_exit 2 "$FTRIG" probe add -g "$G" --name one 'vfs_*'
contains "$out" "a glob makes one probe per function" "--name with a glob"
expect_exit 2 "$FTRIG" probe add -g "$G" --max 0 'vfs_*'
contains "$out" "--max takes a number of probes" "--max 0"
if "$FTRIG" info --require kprobe_events >/dev/null 2>&1; then
	echo "this kernel has kprobe events: the refusal is not checked here (the VM test adds)"
	exit 0
fi
before=$(dry_snap "" "" "$G")
for dry in "" --dry-run; do
	expect_exit 1 "$FTRIG" probe add -g "$G" $dry 'vfs_*'
	contains "$out" "this kernel has no kprobe events" "refusal $dry"
	contains "$out" "CONFIG_KPROBE_EVENTS" "refusal $dry"
	same_dry "$before" "a refused glob $dry" "" "" "$G"
done
state_empty
