#!/bin/sh
# Capture setup script (not a test): writes every trigger of the corpus into the VM's kernel
# and records what the kernel lists for it, so that unit tests compare ftrig's canonical
# formatter with the kernel's own text. Run by tests/vm/init.sh in capture mode:
#   FTRIG_VM_CAPTURE_SETUP=tests/vm/capture-triggers.sh sh tests/vm/run.sh --capture /tmp/cap \
#     /tmp/capture/vm-6.1-listed.txt=vm-6.1-listed.txt \
#     /tmp/capture/vm-6.1-refused.txt=vm-6.1-refused.txt
# then copy /tmp/cap/vm-6.1-*.txt to tests/fixtures/triggers/ (the formats of the events the
# corpus uses were captured the same way into tests/fixtures/vm-6.1/events/).
# The same for corpus-refused.txt into vm-6.1-refused.txt.
# Output lines: EVENT<TAB>WRITTEN<TAB>LISTED, or EVENT<TAB>WRITTEN<TAB>!ERROR: error_log text.
T=/sys/kernel/tracing
corpus=${FTRIG_CORPUS:-$FTRIG_TESTS/fixtures/triggers/corpus-valid.txt}
out=/tmp/capture/vm-6.1-listed.txt
mkdir -p /tmp/capture
: >"$out"
: >/tmp/capture/vm-6.1-refused.txt
tab=$(printf '\t')
pre=/tmp/capture/pre
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
		listing "$ev" >/tmp/capture/before
		echo >"$T/error_log"
		if echo "$trig" >>"$T/events/$ev/trigger" 2>/dev/null; then
			listing "$ev" >/tmp/capture/after
			new=$(grep -vxF -f /tmp/capture/before /tmp/capture/after)
			[ -s /tmp/capture/before ] || new=$(cat /tmp/capture/after)
			# pause, cont and clear on a hist trigger that is there change it and add no line:
			# record how it lists now, and leave it for the prerequisites' removal.
			if [ "$(wc -l </tmp/capture/after)" = "$(wc -l </tmp/capture/before)" ]; then
				[ -n "$new" ] || new=$(cat /tmp/capture/after)
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
run_corpus "${corpus%/*}/corpus-refused.txt" /tmp/capture/vm-6.1-refused.txt

# Undo the prerequisites, newest first, then the synthetic events.
sed -n '1!G;h;$p' "$pre" | while IFS="$tab" read -r ev trig; do
	echo "!$trig" >>"$T/events/$ev/trigger" || echo "capture: cannot remove $trig"
done
grep -v '^#' "$T/synthetic_events" | while read -r n rest; do echo "!$n" >>"$T/synthetic_events"; done
echo "capture: $(wc -l <"$out") triggers recorded"
