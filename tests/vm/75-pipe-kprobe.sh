# ftrig pipe with a kprobe event: do_sys_openat2 with its dfd and the user's path string, hit
# by the workload opening a known file a known number of times, between known getppid calls.
# Text, raw and JSON modes must each show exactly that sequence, and leave nothing behind.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events >/dev/null 2>&1 || skip "needs kprobe_events"
private_state

W=$FTRIG_HELPERS/workload
grp=ftpk_$$
comm=ftpk$$
tmp=${TMPDIR:-/tmp}/ftrig-pipek.$$
file=$tmp.target
: >"$file"
cleanup() {
	echo "-:$grp/open" >>"$T/kprobe_events" 2>/dev/null
	rm -f "$tmp".*
}
trap cleanup EXIT
echo "p:$grp/open do_sys_openat2 dfd=\$arg1:s32 path=+0(\$arg2):ustring" >>"$T/kprobe_events" ||
	fail "cannot define the kprobe"

expected="getppid
open -100 $file
open -100 $file
open -100 $file
getppid"

normalize() {
	case $1 in
	text | raw)
		sed -n -e 's/.*: sys_getppid()$/getppid/p' -e 's/.*: sys_enter_getppid: *$/getppid/p' \
			-e 's/.*: open: ([^)]*) dfd=\(-*[0-9]*\) path="\(.*\)"$/open \1 \2/p'
		;;
	json)
		sed -n -e 's/.*"event":"sys_enter_getppid".*/getppid/p' \
			-e 's/.*"event":"open".*"fields":{.*"dfd":\(-*[0-9]*\),"path":"\(.*\)"}}$/open \1 \2/p'
		;;
	esac
}

for mode in text raw json; do
	flag=
	[ "$mode" = text ] || flag=--$mode
	"$FTRIG" pipe syscalls:sys_enter_getppid "$grp:open" --comm "$comm" --count 5 \
		--duration 300s $flag >"$tmp.out" 2>"$tmp.err" &
	fp=$!
	i=0
	while [ "$(cat "$T/instances/ftrig-$fp/events/$grp/open/enable" 2>/dev/null)" != 1 ]; do
		kill -0 "$fp" 2>/dev/null || fail "$mode: ftrig pipe died: $(cat "$tmp.err")"
		i=$((i + 1))
		[ $i -lt 1200 ] || fail "$mode: the kprobe was not enabled in 120 s"
		sleep 0.1
	done
	[ "$(cat "$T/events/$grp/open/enable")" = 0 ] || fail "$mode: kprobe enabled at top level"
	"$W" --comm "$comm" --getppid 1 --open "3:$file" --getppid 1 >/dev/null ||
		fail "workload failed"
	wait "$fp" || fail "$mode: ftrig pipe exited $?: $(cat "$tmp.err")"
	same_lines "$mode" "$expected" "$(normalize "$mode" <"$tmp.out")" "$tmp.out"
	[ ! -d "$T/instances/ftrig-$fp" ] || fail "$mode: instance left behind"
	state_empty
done
! grep -q "$comm" "$T/trace" || fail "the top-level buffer saw ftrig's events"
echo "-:$grp/open" >>"$T/kprobe_events" || fail "the kprobe is still in use after ftrig ended"
rm -rf "$FTRIG_STATE_DIR"
exit 0
