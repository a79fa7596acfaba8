# The live view loads curses when it starts (ui/curses-dl.c), so a machine without
# libncursesw still runs every other command; `ftrig top` there says which package to install
# or to use -b, exits 1, and leaves the kernel and the state dir as they were (its own
# aggregation, made before the view, removed). The library is hidden in a mount namespace of
# the test's own (an empty file bound over each soname), in a terminal (script), as a user
# would meet it. Before, the message was read from the code only (stop 31's note).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
# What the test needs of the machine: the VM's initramfs may lack it (then the host tier is
# the one that runs it); on the host a lack is a skip, which a strict run fails.
lacks() {
	[ "$FTRIG_TIER" = vm ] || skip "$1"
	echo "host tier only here: $1"
	exit 0
}
command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null || lacks "no mount namespaces"
command -v script >/dev/null 2>&1 || lacks "no script(1) for a terminal"
sos=$(ldconfig -p 2>/dev/null | sed -n 's|^[[:space:]]*libncursesw\.so[.0-9]* (libc6,[^)]*) => ||p' |
	sort -u)
[ -n "$sos" ] || lacks "no libncursesw known to ldconfig to hide"
private_state
trap 'rm -rf "$FTRIG_STATE_DIR"' EXIT

# The view in a terminal, curses hidden: CMD runs in `script`'s pseudo-terminal.
hidden() {
	# shellcheck disable=SC2016
	unshare -m sh -c 'for so in $1; do mount --bind /dev/null "$so" || exit 9; done
		shift; exec script -qec "$*" /dev/null' sh "$sos" "$@"
}

E=syscalls:sys_enter_getppid
# What top could leave: a session's instance or probe group (ftrig-PID), a trigger on the
# event at the top level, a pin its journal names. Other tests beside this one add and remove
# objects of their own names meanwhile.
P="ftrig ^$T/events/syscalls/sys_enter_getppid/"
before=$(kernel_snap $P)
expect_exit 1 hidden "$FTRIG" top $E --key common_pid.execname -d 0.2
contains "$out" "the live view needs the curses library" "top without curses"
contains "$out" "install libncursesw6, or use" "top without curses"
same_snap "$before" "top without curses" $P
state_empty

# Batch mode does not need it, in the same namespace.
expect_exit 0 hidden "$FTRIG" top $E --key common_pid.execname -b -n 1 -d 0.2
contains "$out" "ftrig top  $E" "top -b without curses"
same_snap "$before" "top -b without curses" $P
state_empty
