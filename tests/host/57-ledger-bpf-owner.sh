# SEC-11 (#15): `trigger ls` claims a pinned BPF aggregation only when a journal of its own
# state directory records it; one made through another FTRIG_STATE_DIR is listed as not
# ftrig's ("-", "ours": false), and the one made here as ftrig's.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
private_state
A=$FTRIG_STATE_DIR
B=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-state.XXXXXX")
N=owna$$
EV=syscalls:sys_enter_getppid
cleanup() {
	FTRIG_STATE_DIR=$A "$FTRIG" hist rm $EV --name "$N" >/dev/null 2>&1
	rm -rf "$A" "$B"
}
trap cleanup EXIT
# json_row NEEDLE: the JSON object of $out that mentions NEEDLE, on one line.
json_row() {
	printf '%s\n' "$out" | awk -v n="$1" '/[{]/ { buf = "" } { buf = buf $0 }
		/[}]/ { if (index(buf, n)) print buf }'
}

FTRIG_STATE_DIR=$A expect_exit 0 "$FTRIG" hist start $EV --key common_pid --backend bpf \
	--name "$N"
# Listed from the other state directory: somebody else's.
FTRIG_STATE_DIR=$B expect_exit 0 "$FTRIG" trigger ls $EV --json
row=$(json_row "name=$N")
[ -n "$row" ] || fail "trigger ls does not list the aggregation $N: $out"
contains "$row" '"ours": false' "trigger ls --json from another state directory"
FTRIG_STATE_DIR=$B expect_exit 0 "$FTRIG" trigger ls $EV
line=$(printf '%s\n' "$out" | grep "$N")
case $line in -*) ;; *) fail "owner of a pin of another state directory is not '-': $line" ;; esac
[ -z "$(ls "$B")" ] || fail "trigger ls wrote into $B: $(ls "$B")"

# Listed from its own: ftrig's, persistent (session 0).
FTRIG_STATE_DIR=$A expect_exit 0 "$FTRIG" trigger ls $EV --json
row=$(json_row "name=$N")
contains "$row" '"ours": true' "trigger ls --json from its own state directory"
contains "$row" '"session": 0' "trigger ls --json from its own state directory"

# cleanup --all of the other state directory leaves it alone.
FTRIG_STATE_DIR=$B expect_exit 0 "$FTRIG" cleanup --all
[ -d "/sys/fs/bpf/ftrig/$N" ] || fail "cleanup --all of another state directory unpinned $N"
FTRIG_STATE_DIR=$A expect_exit 0 "$FTRIG" hist rm $EV --name "$N"
[ ! -e "/sys/fs/bpf/ftrig/$N" ] || fail "hist rm left /sys/fs/bpf/ftrig/$N"
exit 0
