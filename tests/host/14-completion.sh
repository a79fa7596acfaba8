#!/bin/sh
# Bash completion (completion/ftrig.bash) driven in a real bash through bash-completion's
# framework, against this binary and the running kernel: a command, a sub-verb, an option,
# an event typed as system:event (bash splits words at ':'), a field of that event and the
# modifiers after its '.'. Host tier only: the VM has no bash and gets tests/ only.
. "$FTRIG_TESTS/lib.sh"
need_source completion/ftrig.bash "the VM has no bash and no completion script"
command -v bash >/dev/null 2>&1 || skip "needs bash"
bc=$(pkg-config --variable=datadir bash-completion 2>/dev/null)/bash-completion/bash_completion
[ -f "$bc" ] || bc=/usr/share/bash-completion/bash_completion
[ -f "$bc" ] || skip "needs bash-completion (./configure --install-deps)"
need_root
need_tracefs
"$FTRIG" list events sched:sched_switch >/dev/null 2>&1 || skip "no sched:sched_switch event"

# comp LINE: what completing the end of LINE offers, one a line (LINE ends in a blank: a new
# word). LINE is split into COMP_WORDS as readline splits it: at blanks, and around ':'
# (COMP_WORDBREAKS holds it).
comp() {
	bash -c '
		. "$1"
		. "$2"
		line=$3
		read -ra ws <<<"$line"
		[[ $line == *" " ]] && ws+=("")
		COMP_WORDS=()
		for w in "${ws[@]}"; do
			while [[ $w == *:* ]]; do
				COMP_WORDS+=("${w%%:*}" ":")
				w=${w#*:}
			done
			COMP_WORDS+=("$w")
		done
		COMP_LINE=$line
		COMP_POINT=${#COMP_LINE}
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		complete -p ftrig >/dev/null || exit 3
		_ftrig
		printf "%s\n" "${COMPREPLY[@]}"' bash "$bc" "$src/completion/ftrig.bash" "$1"
}

# has WHAT LINE WANT...: fail unless completing LINE offers every WANT
has() {
	what=$1 line=$2
	shift 2
	got=$(comp "$line") || fail "$what: bash exited $?: $got"
	for w in "$@"; do
		printf '%s\n' "$got" | grep -qxF -- "$w" || fail "$what: '$line' offers no '$w':
$got"
	done
}
# none WHAT LINE NOT...: fail if completing LINE offers a NOT
none() {
	what=$1 line=$2
	shift 2
	got=$(comp "$line") || fail "$what: bash exited $?: $got"
	for w in "$@"; do
		! printf '%s\n' "$got" | grep -qxF -- "$w" || fail "$what: '$line' offers '$w':
$got"
	done
}

F=$FTRIG
# commands: all of 'ftrig help', and only those that begin with what is typed
want=$("$F" help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
# shellcheck disable=SC2086
has "every command" "$F " $want
has "a command" "$F t" top trigger teardown
has "a tool" "$F func" funccount
has "a tool's options" "$F syscount --l" --latency --live
none "a command" "$F t" hist list
# sub-verbs and options, as --help names them
has "a sub-verb" "$F hist st" start stats
has "an option" "$F hist start sched:sched_switch --s" --size --sort --skip-missing
has "an option" "$F top --" --iterations --latency --attach
has "a value" "$F hist dump --format " json csv folded text
# top refuses --backend both (one table a tab); hist start takes it
has "a value" "$F top sched:sched_switch --key next_pid --backend " auto hist bpf
none "a value" "$F top sched:sched_switch --key next_pid --backend " both
has "a value" "$F hist start sched:sched_switch --key next_pid --backend " both
# events of the running kernel, typed as system:event: bash completes the part after ':'
has "an event" "$F hist start sched:sched_swi" sched_switch
has "an event" "$F trigger add sched:sched_wak" sched_waking sched_wakeup
none "an event" "$F trigger add sched:sched_wak" sched:sched_waking
# fields of the event on the line, and their modifiers after a '.'
has "a field" "$F hist start sched:sched_switch --key next_p" next_pid next_prio
has "a field" "$F top sched:sched_switch --val pre" prev_pid prev_prio prev_state
has "a modifier" "$F hist start sched:sched_switch --key next_pid." \
	next_pid.execname next_pid.hex next_pid.log2 next_pid.buckets=
none "a modifier" "$F hist start sched:sched_switch --key next_comm." next_comm.hex
has "a modifier" "$F hist start sched:sched_switch --val prev_state." prev_state.hex
# the snoop tools: their options, a running process for -p, a task name for -c, and no
# operands (not events)
has "a tool" "$F exec" execsnoop
has "a tool's options" "$F opensnoop --" --failed --pid --comm --duration --timestamp --json --backend
none "a tool's options" "$F opensnoop --" --live --interval
has "a pid" "$F execsnoop -p " $$
comm=$(cat /proc/$$/comm)
case $comm in *" "*) ;; *) has "a task name" "$F opensnoop --comm " "$comm" ;; esac
got=$(comp "$F opensnoop -x ")
[ -z "$got" ] || fail "opensnoop takes no operands, yet '$F opensnoop -x ' offers: $got"
# files for the setup commands
has "a file" "$F plan $FTRIG_TESTS/lib" "$FTRIG_TESTS/lib.sh"
echo "commands, verbs, options, events, fields, modifiers, pids and task names complete"
exit 0
