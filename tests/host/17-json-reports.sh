# JSON for every report (#20): hist diff, hist show, plan, diff and cleanup --dry-run take
# --json and write one document with "format" and "version" (the schema: ftrig(1), JSON
# OUTPUT), keys and counts as JSON numbers. Checked with jq against what the text form says.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
command -v jq >/dev/null || skip "needs jq (configure --install-deps installs it)"
private_state
E=syscalls:sys_enter_getppid
N=fj$$
I=ftj$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-json.XXXXXX")
trap '"$FTRIG" hist rm $E --name $N >/dev/null 2>&1; "$FTRIG" trigger rm --ours >/dev/null 2>&1;
	"$FTRIG" teardown "$tmp/s.ftrig" >/dev/null 2>&1; rm -rf "$tmp" "$FTRIG_STATE_DIR"' EXIT
fx=$FTRIG_TESTS/fixtures/vm-6.1
# jqv WHAT FILTER JSON: fail unless jq -e FILTER holds for JSON
jqv() {
	printf '%s\n' "$3" | jq -e "$2" >/dev/null || fail "$1: '$2' does not hold for: $3"
}

# hist diff: the same rows as the text form, numbers as numbers
expect_exit 0 "$FTRIG" hist diff "$fx/hist/execname.hist" "$fx/events/sched/sched_switch/hist" --top 3 --json
j=$out
jqv "hist diff" '.format == "ftrig-hist-diff" and .version == 1 and (.changes | length) == 3' "$j"
jqv "hist diff" '.changes[0] | .delta == -167 and .before == 188 and .after == 21 and .state == "changed"' "$j"
jqv "hist diff" '.changes[0].key[0] | .pid == 0 and .comm == "<idle>"' "$j"
expect_exit 0 "$FTRIG" hist diff "$fx/hist/execname.hist" "$fx/events/sched/sched_switch/hist"
txt=$out
jqv "hist diff" ".disappeared == $(echo "$txt" | sed -n 's/.* \([0-9]*\) disappeared.*/\1/p')" "$j"

# hist show: the dump's document, for the same hist as the text form
if "$FTRIG" info --require bpf >/dev/null 2>&1 || "$FTRIG" info --require hist >/dev/null 2>&1; then
	expect_exit 0 "$FTRIG" hist start $E --key common_pid --name $N
	"$FTRIG_HELPERS/workload" --comm fj$$ --getppid 100 >/dev/null
	expect_exit 0 "$FTRIG" hist show $E --name $N --json
	jqv "hist show" '.format == "ftrig-hist" and .version == 1 and (.hists | length) == 1' "$out"
	jqv "hist show" ".hists[0].name == \"$N\" and (.hists[0].entries[0].key[0].value | type) == \"number\"" "$out"
	expect_exit 0 "$FTRIG" hist rm $E --name $N
fi

# plan and diff of a setup file: the writes as data, the lines that differ
cat >"$tmp/s.ftrig" <<EOS
instance $I
buffer-size 512
trigger add sched:sched_switch 'traceon if prev_pid == 99999'
EOS
# the kernel-wide lines the file could add: its instance, its trigger anywhere, ftrig's own
# names; other sessions add instances and triggers meanwhile
own="$I 99999 ftrig[-_][0-9]"
before=$(dry_snap "$I" sched/sched_switch $own)
expect_exit 0 "$FTRIG" plan "$tmp/s.ftrig" --json
j=$out
same_dry "$before" "plan --json" "$I" sched/sched_switch $own
jqv "plan" '.format == "ftrig-plan" and .version == 1 and (.lines | length) == 3 and .refused == null' "$j"
jqv "plan" ".lines[0].writes[0] | .op == \"mkdir\" and (.path | endswith(\"/instances/$I\"))" "$j"
jqv "plan" '.lines[1].writes[0] | .op == "set" and .text == "512"' "$j"
jqv "plan" '.lines[2] | .line == 3 and .deferred and .writes[0].op == "append"' "$j"
expect_exit 0 "$FTRIG" plan "$tmp/s.ftrig"
[ "$(printf '%s\n' "$j" | jq -r '.lines[].writes[].shell')" = "$(echo "$out" | grep -v '^#')" ] ||
	fail "plan --json's shell lines are not plan's: $j / $out"
expect_exit 1 "$FTRIG" diff --json "$tmp/s.ftrig"
jqv "diff" '.format == "ftrig-diff" and .matches == false and ([.lines[].state] | unique) == ["missing"]' "$out"
expect_exit 0 "$FTRIG" apply "$tmp/s.ftrig"
expect_exit 0 "$FTRIG" diff --json "$tmp/s.ftrig"
jqv "diff after apply" '.matches == true and (.lines | length) == 0' "$out"
expect_exit 0 "$FTRIG" plan "$tmp/s.ftrig" --json
jqv "plan after apply" '[.lines[].state] | unique == ["there"]' "$out"

# cleanup --dry-run: the persistent journal of the apply, left without --all, listed with --all
before=$(dry_snap "$I" sched/sched_switch $own)
expect_exit 0 "$FTRIG" cleanup --stale --dry-run --json
jqv "cleanup --stale" '.format == "ftrig-cleanup" and (.journals | length) >= 1 and ([.journals[].would_remove[]] | length) == 0' "$out"
expect_exit 0 "$FTRIG" cleanup --all --dry-run --json
jqv "cleanup --all" "[.journals[].would_remove[]] | any(contains(\"$I\"))" "$out"
same_dry "$before" "cleanup --dry-run --json" "$I" sched/sched_switch $own
expect_exit 2 "$FTRIG" cleanup --stale --json
contains "$out" "add --dry-run" "cleanup --json without --dry-run"
expect_exit 0 "$FTRIG" teardown "$tmp/s.ftrig"
echo "ok"
