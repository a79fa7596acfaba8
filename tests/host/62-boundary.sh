# Names that would leave tracefs or bpffs are refused before anything is written, and tracefs
# is never written through a symlink (SEC-6, SEC-7c, T26, S08, H31, #15).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
S="stacktrace:1 if common_pid == 4$$"
D=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-boundary.XXXXXX")
trap 'rm -rf "$D" "$FTRIG_STATE_DIR"' EXIT

# victim_sum: the contents and names of everything under $D/victim.
victim_sum() { (cd "$D/victim" && find . | sort && find . -type f | sort | xargs cat) | md5sum; }

# A fake instance outside tracefs whose trigger file is a symlink to a victim file (the audit's
# evil.ftrig), reached with '..' from a setup file and from the command line.
F=$D/victim/fake
mkdir -p "$F/events/sched/sched_switch"
cp "$T/events/sched/sched_switch/format" "$F/events/sched/sched_switch/"
printf '# Available triggers:\n# traceon traceoff stacktrace\n' >"$D/victim/victim.txt"
ln -s "$D/victim/victim.txt" "$F/events/sched/sched_switch/trigger"
up=$(echo "$T/instances" | sed 's|[^/][^/]*|..|g; s|^/||')
printf "trigger add --instance %s%s sched:sched_switch '%s'\n" "$up" "$F" "$S" >"$D/evil.ftrig"
sum=$(victim_sum)
snap=$(kernel_snap "==.4$$" "^\.\.$")
expect_exit 1 "$FTRIG" apply "$D/evil.ftrig"
contains "$out" "is not an instance name" "apply evil.ftrig"
expect_exit 1 "$FTRIG" teardown "$D/evil.ftrig"
expect_exit 1 "$FTRIG" plan "$D/evil.ftrig"
expect_exit 2 "$FTRIG" trigger add --instance "$up$F" sched:sched_switch "$S"
contains "$out" "without '/'" "trigger add --instance ../.."
[ "$(victim_sum)" = "$sum" ] || fail "a file outside tracefs changed: $(cat "$D/victim/victim.txt")"

# '..' alone is the top level's parent, not an instance (T26, S08): refused, exit 2 on the
# command line, 1 in a setup file; nothing written, nothing journaled.
for v in "trigger add" "trigger rm"; do
	expect_exit 2 "$FTRIG" $v --instance .. sched:sched_switch "$S"
	contains "$out" "'..' is not an instance name" "$v --instance .."
done
expect_exit 2 "$FTRIG" trigger add --instance=.. sched:sched_switch "$S"
expect_exit 2 "$FTRIG" trigger ls --instance ..
expect_exit 2 "$FTRIG" hist start sched:sched_switch --key prev_pid --instance ..
contains "$out" "'..' is not an instance name" "hist start --instance .."
expect_exit 2 "$FTRIG" hist dump sched:sched_switch --instance ..
printf 'instance ..\nenable sched:sched_switch\n' >"$D/dotdot.ftrig"
expect_exit 1 "$FTRIG" apply "$D/dotdot.ftrig"
contains "$out" "dotdot.ftrig:1: '..' is not an instance name" "instance .. in a setup file"
printf 'enable --instance .. sched:sched_switch\n' >"$D/dotdot2.ftrig"
expect_exit 1 "$FTRIG" apply "$D/dotdot2.ftrig"
contains "$out" "'..' is not an instance name" "enable --instance .. in a setup file"
printf 'instance a/b\n' >"$D/slash.ftrig"
expect_exit 1 "$FTRIG" apply "$D/slash.ftrig"
contains "$out" "without '/'" "instance a/b in a setup file"
same_snap "$snap" "refused names" "==.4$$" "^\.\.$"
state_empty

# Below the boundary: a valid instance name whose directory is a symlink out of tracefs (a
# fake tree in FTRIG_TRACEFS) is not followed, so nothing is written through it.
ft=$D/ftfs
mkdir -p "$ft/instances" "$ft/events/sched/sched_switch"
cp "$T/events/sched/sched_switch/format" "$F/events/sched/sched_switch/format" \
	"$ft/events/sched/sched_switch/" 2>/dev/null
printf '# Available triggers:\n# traceon traceoff stacktrace\n' >"$ft/events/sched/sched_switch/trigger"
cp "$T/README" "$ft/README"
ln -s "$F" "$ft/instances/x"
sum=$(victim_sum)
FTRIG_TRACEFS=$ft expect_exit 1 "$FTRIG" trigger add --instance x sched:sched_switch "$S"
[ "$(victim_sum)" = "$sum" ] || fail "written through a symlinked instance: $(cat "$D/victim/victim.txt")"
! grep -qs '^+' "$FTRIG_STATE_DIR"/* || fail "a trigger through a symlink was journaled"

# H31: a 300-character BPF aggregation name is refused whole, before anything is pinned.
if "$FTRIG" info 2>/dev/null | grep -q "bpf.*yes"; then
	long=$(printf '%300s' '' | tr ' ' a)
	expect_exit 1 "$FTRIG" hist start syscalls:sys_enter_getppid --key common_pid --name "$long" \
		--backend bpf
	contains "$out" "300 bytes long and the limit is 63" "a 300-character --name"
	! ls /sys/fs/bpf/ftrig 2>/dev/null | grep -q '^aaaa' || fail "a pin appeared for a refused name"
	! grep -qs '^+' "$FTRIG_STATE_DIR"/* || fail "a refused name was journaled"
fi

# SEC-7c: a journal record naming bpffs/ftrig/.. never unpins what is beside ftrig's dir.
FB=$D/fakebpf
mkdir -p "$FB/ftrig" "$D/state2"
touch "$FB/someone_elses_pin"
printf "ftrig-journal 1\t0\t0\t%s\n+\t0\tbpf\t\tsyscalls\tsys_enter_getppid\t\t%s/ftrig/..\n" \
	"$(cat /proc/sys/kernel/random/boot_id)" "$FB" >"$D/state2/persistent.journal"
FTRIG_BPFFS=$FB FTRIG_STATE_DIR=$D/state2 "$FTRIG" cleanup --all >/dev/null 2>&1
[ -e "$FB/someone_elses_pin" ] || fail "cleanup unpinned $FB/someone_elses_pin through ftrig/.."

# SEC-7a at the boundary: a journal record whose instance climbs out of tracefs removes no
# directory and writes no enable file, whatever else checks the journal.
mkdir -p "$D/state3" "$D/victimdir" "$D/v2/events/sched/sched_switch"
echo 1 >"$D/v2/events/sched/sched_switch/enable"
printf "ftrig-journal 1\t12345\t1\t%s\n+\t0\tinstance\t%s\t\t\t\t\n+\t1\tenable\t%s\tsched\tsched_switch\t\t\n" \
	"$(cat /proc/sys/kernel/random/boot_id)" "$up$D/victimdir" "$up$D/v2" >"$D/state3/12345-1.journal"
FTRIG_STATE_DIR=$D/state3 "$FTRIG" cleanup --stale >/dev/null 2>&1
[ -d "$D/victimdir" ] || fail "cleanup --stale removed $D/victimdir through a journal record"
[ "$(cat "$D/v2/events/sched/sched_switch/enable")" = 1 ] || fail "cleanup wrote outside tracefs"
exit 0
