# SEC-7 (#15): the state directory is not trusted blindly. A journal planted by another user,
# a state directory others may write, a journal whose fields climb out of tracefs or bpffs
# ("..", '/'), and a symlink planted as persistent.journal are all refused, with a message
# saying so, and nothing outside tracefs and bpffs changes (a checksum of a victim tree
# before and after).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
D=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-trust.XXXXXX")
S=$FTRIG_STATE_DIR
EV=syscalls:sys_enter_getgid
SPEC="stacktrace:1 if common_pid == -$$"
cleanup() {
	echo "!$SPEC" >>"$T/events/syscalls/sys_enter_getgid/trigger" 2>/dev/null
	rm -rf "$D" "$S"
}
trap cleanup EXIT
[ -d "$T/events/syscalls/sys_enter_getgid" ] || skip "no syscalls:sys_enter_getgid event"
BOOT=$(cat /proc/sys/kernel/random/boot_id)

# The victim: directories and files a hostile journal aims at.
mkdir -p "$D/victim/dir" "$D/victim/events/sched/sched_switch" "$D/fakebpf/ftrig"
echo 1 >"$D/victim/events/sched/sched_switch/enable"
echo keep >"$D/victim/file"
touch "$D/fakebpf/someone_elses_pin"
# (No size for directories: on tmpfs, as in the VM, it counts their entries, and the state
# dir is made in $D after the first sum; a file's content is summed instead of its size.)
sum() { (cd "$D" && find . -path ./state -prune -o -print | sort | while read -r f; do
	stat -c '%n %a %F' "$f"; [ -f "$f" ] && cat "$f"; done) | md5sum; }
before=$(sum)

# (a) A journal written by another user into a state directory others may write.
mkdir "$D/state"
chmod 1777 "$D/state"
printf 'ftrig-journal 1\t12345\t1\t%s\n+\t0\tinstance\t../../../..%s/victim/dir\t\t\t\t\n' \
	"$BOOT" "$D" >"$D/state/12345-1.journal"
chown 65534:65534 "$D/state/12345-1.journal"
FTRIG_STATE_DIR=$D/state expect_exit 1 "$FTRIG" cleanup --stale
contains "$out" "state directory $D/state" "cleanup in a world-writable state dir"
contains "$out" "nobody else can write" "cleanup in a world-writable state dir"
FTRIG_STATE_DIR=$D/state expect_exit 1 "$FTRIG" trigger add $EV "$SPEC"
contains "$out" "state directory $D/state" "trigger add in a world-writable state dir"
trigger_has syscalls/sys_enter_getgid "$SPEC" && fail "trigger add wrote with an untrusted state dir"

# (a) The same journal, in a directory of root's that nobody else may write: still not ours.
chmod 0700 "$D/state"
FTRIG_STATE_DIR=$D/state expect_exit 1 "$FTRIG" cleanup --stale
contains "$out" "12345-1.journal is not a journal of yours" "cleanup of another user's journal"
[ -f "$D/state/12345-1.journal" ] || fail "cleanup removed another user's journal"

# (a) Root's own journal with fields that climb out: refused whole, naming line and field.
rm -f "$D/state/12345-1.journal"
printf 'ftrig-journal 1\t12345\t1\t%s\n+\t0\tinstance\t../../../..%s/victim/dir\t\t\t\t\n' \
	"$BOOT" "$D" >"$D/state/12345-1.journal"
printf 'ftrig-journal 1\t12346\t1\t%s\n+\t0\tenable\t../../../..%s/victim\tsched\tsched_switch\t\t\n' \
	"$BOOT" "$D" >"$D/state/12346-1.journal"
FTRIG_STATE_DIR=$D/state expect_exit 1 "$FTRIG" cleanup --stale
contains "$out" "12345-1.journal is not a readable ftrig journal (line 2:" "a '..' instance"
contains "$out" "12346-1.journal is not a readable ftrig journal (line 2:" "a '..' enable"
FTRIG_STATE_DIR=$D/state expect_exit 1 "$FTRIG" cleanup --all
rm -f "$D/state"/*.journal

# (c) A BPF record pointing at ftrig/.. of a fake bpffs: the pin there stays.
printf 'ftrig-journal 1\t0\t0\t%s\n+\t0\tbpf\t\tsyscalls\tsys_enter_getppid\t\t%s/fakebpf/ftrig/..\n' \
	"$BOOT" "$D" >"$D/state/persistent.journal"
FTRIG_BPFFS=$D/fakebpf FTRIG_STATE_DIR=$D/state expect_exit 1 "$FTRIG" cleanup --all
contains "$out" "persistent.journal is not a readable ftrig journal (line 2:" "a '..' pin dir"
rm -f "$D/state/persistent.journal"

# (b) persistent.journal and a setup journal planted as symlinks: refused, never followed.
ln -s "$D/created-by-root" "$D/state/persistent.journal"
FTRIG_STATE_DIR=$D/state expect_exit 1 "$FTRIG" trigger add $EV "$SPEC"
contains "$out" "persistent.journal is a symbolic link" "trigger add over a symlinked journal"
[ ! -e "$D/created-by-root" ] || fail "root created the symlink's target"
trigger_has syscalls/sys_enter_getgid "$SPEC" && fail "trigger add wrote with a symlinked journal"
rm -f "$D/state/persistent.journal"
printf 'trigger add %s %s\n' "$EV" "'$SPEC'" >"$D/setup.ftrig"
FTRIG_STATE_DIR=$D/state "$FTRIG" apply "$D/setup.ftrig" >/dev/null 2>&1 &&
	FTRIG_STATE_DIR=$D/state "$FTRIG" teardown "$D/setup.ftrig" >/dev/null 2>&1
sj=$(ls "$D/state" | grep '^setup-' || true)
[ -z "$sj" ] || fail "teardown left $sj"
# Learn the setup journal's name from a real apply, then plant a symlink there.
FTRIG_STATE_DIR=$D/state expect_exit 0 "$FTRIG" apply "$D/setup.ftrig"
sj=$(ls "$D/state" | grep '^setup-')
FTRIG_STATE_DIR=$D/state expect_exit 0 "$FTRIG" teardown "$D/setup.ftrig"
ln -s "$D/created-by-root" "$D/state/$sj"
FTRIG_STATE_DIR=$D/state expect_exit 1 "$FTRIG" apply "$D/setup.ftrig"
contains "$out" "$sj is a symbolic link" "apply over a symlinked setup journal"
[ ! -e "$D/created-by-root" ] || fail "apply created the symlink's target"
trigger_has syscalls/sys_enter_getgid "$SPEC" && fail "apply wrote with a symlinked journal"
rm -f "$D/state/$sj" "$D/setup.ftrig"

# (f) A directory above the state directory that others may rename entries in: refused
# before anything is made there, whether the state directory exists yet or not; a sticky
# one (as /tmp is) is fine.
mkdir -p "$D/open/exists"
chmod 0777 "$D/open"
FTRIG_STATE_DIR=$D/open/new/state expect_exit 1 "$FTRIG" trigger add $EV "$SPEC"
contains "$out" "is inside $D/open, which belongs to uid 0 with mode 0777" "a state dir under a world-writable dir"
[ -e "$D/open/new" ] && fail "a state dir was made under a world-writable dir"
trigger_has syscalls/sys_enter_getgid "$SPEC" && fail "trigger add wrote under an untrusted parent"
chmod 0700 "$D/open/exists"
FTRIG_STATE_DIR=$D/open/exists expect_exit 1 "$FTRIG" cleanup --stale
contains "$out" "is inside $D/open" "cleanup in a state dir under a world-writable dir"
chown 65534 "$D/open" && chmod 0755 "$D/open"
FTRIG_STATE_DIR=$D/open/exists expect_exit 1 "$FTRIG" trigger add $EV "$SPEC"
contains "$out" "belongs to uid 65534" "a state dir under another user's dir"
ln -s "$D/open/exists" "$D/link"
FTRIG_STATE_DIR=$D/link expect_exit 1 "$FTRIG" cleanup --stale
contains "$out" "is inside $D/open" "a symlink to a state dir under another user's dir"
chown 0 "$D/open" && chmod 1777 "$D/open"
FTRIG_STATE_DIR=$D/open/exists expect_exit 0 "$FTRIG" cleanup --stale
rm -rf "$D/open" "$D/link"

after=$(sum)
[ "$before" = "$after" ] || fail "the victim tree changed"
exit 0
