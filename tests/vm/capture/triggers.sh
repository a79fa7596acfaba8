#!/bin/sh
# Capture script for the trigger corpus (tests/fixtures/triggers): run inside the Debian 6.1 VM
# by tests/vm/run.sh --capture DIR --setup THIS (not a test: the VM tier only runs
# tests/vm/*.sh). It writes every trigger of corpus-valid.txt into the kernel and records what
# the kernel lists for it, so that unit tests compare ftrig's canonical formatter with the
# kernel's own text; then every trigger of corpus-refused.txt, recording the error_log entry.
#   sh tests/vm/run.sh --capture tests/fixtures/triggers --setup tests/vm/capture/triggers.sh
# writes vm-6.1-listed.txt and vm-6.1-refused.txt there. (The formats of the events the corpus
# uses were captured into tests/fixtures/vm-6.1/events/ with plain --capture SRCs.)
# Lines: EVENT<TAB>WRITTEN<TAB>LISTED, or EVENT<TAB>WRITTEN<TAB>!ERROR: error_log text ('|' for
# newlines). Lines "@synth DEF" of the corpus define a synthetic event and "@pre EVENT<TAB>
# TRIGGER" set a trigger later lines need; both are removed at the end.
T=/sys/kernel/tracing
corpus=${FTRIG_CORPUS:-$FTRIG_TESTS/fixtures/triggers/corpus-valid.txt}
dir=${FTRIG_CAPTURE_OUT:?}
out=$dir/vm-6.1-listed.txt
mkdir -p "$dir" /tmp/trigcap
: >"$out"
: >"$dir/vm-6.1-refused.txt"
tab=$(printf '\t')
pre=/tmp/trigcap/pre
: >"$pre"

listing() { grep -v '^#' "$T/events/$1/trigger"; }

# run_corpus CORPUS OUT
run_corpus() {
	while IFS= read -r line; do
		case $line in "" | "#"*) continue ;; esac
		case $line in
		"@synth$tab"*)
			echo "${line#*$tab}" >>"$T/synthetic_events" || echo "capture: cannot define ${line#*$tab}"
			continue
			;;
		"@pre$tab"*)
			rest=${line#*$tab}
			ev=$(echo "${rest%%$tab*}" | tr : /)
			echo "${rest#*$tab}" >>"$T/events/$ev/trigger" || echo "capture: cannot set $rest"
			printf '%s\t%s\n' "$ev" "${rest#*$tab}" >>"$pre"
			continue
			;;
		esac
		name=${line%%$tab*}
		trig=${line#*$tab}
		ev=$(echo "$name" | tr : /)
		listing "$ev" >/tmp/trigcap/before
		echo >"$T/error_log"
		if echo "$trig" >>"$T/events/$ev/trigger" 2>/dev/null; then
			listing "$ev" >/tmp/trigcap/after
			new=$(grep -vxF -f /tmp/trigcap/before /tmp/trigcap/after)
			[ -s /tmp/trigcap/before ] || new=$(cat /tmp/trigcap/after)
			# pause, cont and clear on a hist trigger that is there change it and add no line:
			# record how it lists now, and leave it for the prerequisites' removal.
			if [ "$(wc -l </tmp/trigcap/after)" = "$(wc -l </tmp/trigcap/before)" ]; then
				[ -n "$new" ] || new=$(cat /tmp/trigcap/after)
				printf '%s\t%s\t%s\n' "$name" "$trig" "$new" >>"$2"
				continue
			fi
			printf '%s\t%s\t%s\n' "$name" "$trig" "$new" >>"$2"
			echo "!$trig" >>"$T/events/$ev/trigger" || echo "capture: cannot remove $trig"
		else
			err=$(grep -v '^$' "$T/error_log" | tr '\n' '|')
			printf '%s\t%s\t!ERROR: %s\n' "$name" "$trig" "$err" >>"$2"
		fi
	done <"$1"
}
run_corpus "$corpus" "$out"
run_corpus "${corpus%/*}/corpus-refused.txt" "$dir/vm-6.1-refused.txt"

# Undo the prerequisites, newest first, then the synthetic events.
sed -n '1!G;h;$p' "$pre" | while IFS="$tab" read -r ev trig; do
	echo "!$trig" >>"$T/events/$ev/trigger" || echo "capture: cannot remove $trig"
done
grep -v '^#' "$T/synthetic_events" | while read -r n rest; do echo "!$n" >>"$T/synthetic_events"; done
echo "capture: $(wc -l <"$out") triggers recorded"
