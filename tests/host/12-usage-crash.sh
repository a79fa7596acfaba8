# Every subcommand with bad usage (no arguments where some are needed, an unknown option, a
# missing option value, an extra argument) exits 2 with its usage, never a crash, and changes
# nothing: SET-1 (apply/teardown/diff/plan segfaulted), I13, X14, `help --help` (CMD-12).
# `COMMAND --help` exits 0 with the command's usage on standard output.
. "$FTRIG_TESTS/lib.sh"
private_state

# What a crashed run would leave: objects of dead ftrig sessions (others may have some too).
before=$(debris)
# usage_error ARGS...: ftrig ARGS must exit 2, say "usage:", and not die of a signal.
usage_error() {
	out=$("$FTRIG" "$@" 2>&1 </dev/null)
	rc=$?
	[ $rc -lt 128 ] || fail "'ftrig $*' died of signal $((rc - 128)): $out"
	[ $rc = 2 ] || fail "'ftrig $*' exited $rc, expected 2 (a usage error): $out"
	case $out in
	*"usage: ftrig"* | *"no command"* | *"no verb"* | *"unknown verb"* | *"no 'probe"*) ;;
	*) fail "'ftrig $*' gave no usage: $out" ;;
	esac
}

for c in apply teardown diff plan save; do
	usage_error $c
	usage_error $c --foo
	usage_error $c a.ftrig b.ftrig
	usage_error $c --foo a.ftrig
done
usage_error apply --dry-run
usage_error teardown --dry-run
usage_error apply x.ftrig --dry-run --foo
usage_error teardown x.ftrig --dry-run --foo

for c in pipe trigger probe hist list cleanup; do
	usage_error $c
	usage_error $c --foo
done
for v in add rm ls; do
	usage_error trigger $v --foo
	usage_error probe $v --foo
done
usage_error trigger add
usage_error trigger add sched:sched_switch
usage_error trigger rm
usage_error probe add
usage_error probe rm
for v in start pause cont clear rm show dump diff stats; do
	usage_error hist $v
	usage_error hist $v --foo
done
usage_error top --foo
usage_error top -n
usage_error top -d 0 -b -n 1
usage_error info --foo
usage_error info extra
usage_error info --require
usage_error info --require ''   # X14: an empty name required nothing and passed
usage_error info --require 'bpf,'
usage_error list events --foo
usage_error serve --foo
usage_error serve extra
usage_error serve --listen
usage_error serve --listen x
usage_error cleanup --stale extra
usage_error cleanup --foo
usage_error pipe sched:sched_switch --raw --json --count 1 # I13
usage_error pipe sched:sched_switch --count
usage_error pipe sched:sched_switch -o
usage_error help nosuchcommand
usage_error help info extra
usage_error --foo
usage_error nosuchcommand
usage_error

# --help of every command (and of help itself) is help, exit 0, on standard output.
for c in top pipe hist trigger probe serve plan apply diff teardown save list info cleanup help; do
	out=$("$FTRIG" $c --help 2>/dev/null)
	rc=$?
	[ $rc = 0 ] || fail "'ftrig $c --help' exited $rc"
	contains "$out" "usage: ftrig $c" "ftrig $c --help"
	out=$("$FTRIG" help $c 2>/dev/null) || fail "'ftrig help $c' failed"
	contains "$out" "usage: ftrig $c" "ftrig help $c"
done
out=$("$FTRIG" help --help 2>&1) || fail "'ftrig help --help' failed: $out"
contains "$out" "usage: ftrig help" "help --help"

[ "$(debris)" = "$before" ] || fail "usage errors left objects: $(debris)"
state_empty
rm -rf "$FTRIG_STATE_DIR"
exit 0
