# bash completion for ftrig                                   -*- shell-script -*-
#
# Commands, sub-verbs and options are read from the binary at run time ('ftrig help' and
# 'ftrig CMD --help'), so this file does not drift from the code; events and their fields
# come from the running kernel ('ftrig list events [EVENT --fields]'), instances from
# tracefs, hist names from 'ftrig trigger ls --all-instances'. Each answer is cached for the
# shell's life (the kernel's events do not change often; the cache is per binary).
#
# Installed by 'make install' where bash-completion looks; by hand: source it.

# _ftrig_cmds: the commands of 'ftrig help'.
_ftrig_cmds() {
	"$1" help 2>/dev/null | awk '/^(commands|tools)/ { on = 1; next } on && /^  [a-z]/ { print $1 }
		on && /^$/ { on = 0 }'
}

# _ftrig_help BIN CMD: the command's --help, cached.
_ftrig_help() {
	local key="${1}|${2}"
	if [[ ${_ftrig_help_key-} != "$key" ]]; then
		_ftrig_help_text=$("$1" "$2" --help 2>/dev/null)
		_ftrig_help_key=$key
	fi
	printf '%s\n' "$_ftrig_help_text"
}

# _ftrig_verbs BIN CMD: the sub-verbs that the usage lines name after 'CMD' (start,
# pause|cont|..., ls, events): lower-case words only, so EVENT and FILE are not verbs.
_ftrig_verbs() {
	_ftrig_help "$1" "$2" | sed -n '/^$/q; p' |
		grep -oE "(^|[ |])$2 [a-z][a-z|-]*( |\$)" | sed "s/^[ |]*$2 //; s/ *\$//" | tr '|' '\n' |
		sort -u
}

# _ftrig_opts BIN CMD: the options the help names (its option column and its usage lines).
_ftrig_opts() {
	{
		_ftrig_help "$1" "$2" | sed -n '/^$/q; p' | grep -oE '(^|[][ |(])--?[a-zA-Z][a-zA-Z-]*' |
			sed 's/^[][ |(]*//'
		_ftrig_help "$1" "$2" | sed -n '/^options:/,$p' | grep -E '^  -' |
			sed 's/   .*//' | grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' | sed 's/^[ ,]*//'
	} | sort -u
}

# _ftrig_optarg BIN CMD OPT: the name of OPT's argument (FILE, N, EVENT...), empty when OPT
# takes none; read from the option column ("  -o, --output FILE   ...": -o's is the word
# after its long form).
_ftrig_optarg() {
	_ftrig_help "$1" "$2" | sed -n '/^options:/,$p' | grep -E '^  -' | sed 's/   .*//' |
		awk -v o="$3" '{ for (i = 1; i <= NF; i++) { w = $i; sub(/,$/, "", w)
			if (w != o) continue
			for (i++; i <= NF && $i ~ /^-/; i++) ;
			if (i <= NF) { print $i; exit } } }'
}

_ftrig_events() {
	if [[ ${_ftrig_events_bin-} != "$1" || -z ${_ftrig_events_list-} ]]; then
		_ftrig_events_list=$("$1" list events 2>/dev/null)
		_ftrig_events_bin=$1
	fi
	printf '%s\n' "$_ftrig_events_list"
}

# _ftrig_fields BIN EVENT: "NAME TYPE" per field of EVENT, the common ones too.
_ftrig_fields() {
	"$1" list events "$2" --fields 2>/dev/null | awk '/^    / { print $1, $2 }'
	printf '%s\n' 'common_pid int' 'common_timestamp u64' 'common_cpu int' 'common_comm char[16]'
}

# _ftrig_mods KIND NAME TYPE: the modifiers the kernel's hist triggers take on such a field.
_ftrig_mods() {
	local kind=$1 name=$2 type=$3
	if [[ $kind == val ]]; then
		printf '%s\n' hex percent graph
		return
	fi
	case $type in
	char* | *'[]'* | __data_loc*) return ;;
	esac
	if [[ $name == common_timestamp ]]; then
		printf '%s\n' usecs
		return
	fi
	printf '%s\n' hex log2 buckets=
	[[ $name == *pid || $type == pid_t ]] && printf '%s\n' execname
	[[ $name == id || $name == nr || $name == __syscall_nr ]] && printf '%s\n' syscall
	case $type in
	*long* | *'*' | u64 | s64 | *size_t | *64*) printf '%s\n' sym sym-offset ;;
	esac
	return 0
}

_ftrig_instances() {
	local t=${FTRIG_TRACEFS:-/sys/kernel/tracing}
	[[ -d $t/instances ]] || t=/sys/kernel/debug/tracing
	ls "$t/instances" 2>/dev/null
}

_ftrig_hist_names() {
	"$1" trigger ls --all-instances 2>/dev/null | grep -oE '(name=|:)[A-Za-z_][A-Za-z0-9_]*' |
		sed -n 's/^name=//p' | sort -u
}

# _ftrig_reply WORD...: COMPREPLY from the words that begin with $cur.
_ftrig_reply() {
	local IFS=$'\n'
	COMPREPLY=($(compgen -W "$*" -- "$cur"))
}

_ftrig() {
	local cur prev words cword
	if typeset -f _init_completion >/dev/null 2>&1; then
		_init_completion -n := || return
	else
		cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
	fi
	_ftrig_complete
	# "system:event" words: bash splits them at ':', so drop what is already on the line
	typeset -f __ltrim_colon_completions >/dev/null 2>&1 && __ltrim_colon_completions "$cur"
	return 0
}

# _ftrig_complete: COMPREPLY for cur, prev, words and cword (the caller's).
_ftrig_complete() {
	local bin=${words[0]} IFS=$' \t\n'
	[[ $bin == */* || $bin == ftrig ]] || bin=ftrig
	bin=${bin/#\~/$HOME}

	# the command: the first word that is not a global option; then its sub-verb
	local i cmd= ci=0 verb= event=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-v | --verbose) ;;
		-*) [[ -z $cmd ]] && return ;;
		*) if [[ -z $cmd ]]; then cmd=${words[i]} ci=$i; fi ;;
		esac
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			_ftrig_reply -v --verbose --help --version
		else
			_ftrig_reply $(_ftrig_cmds "$bin")
		fi
		return
	fi

	local verbs
	verbs=$(_ftrig_verbs "$bin" "$cmd")
	for ((i = ci + 1; i < cword; i++)); do
		if [[ -z $verb && -n $verbs && ${words[i]} != -* ]] && grep -qxF -- "${words[i]}" <<<"$verbs"; then
			verb=${words[i]}
		elif [[ ${words[i]} == *?:?* && ${words[i]} != */* && ${words[i]} != -* ]]; then
			event=${words[i]}
		fi
	done

	# the argument of the option before
	local arg=
	[[ $prev == -* ]] && arg=$(_ftrig_optarg "$bin" "$cmd" "$prev")
	if [[ -n $arg ]]; then
		case $prev:$arg in
		--backend:*) [[ $cmd == top ]] && _ftrig_reply auto hist bpf || _ftrig_reply auto hist bpf both ;;
		-f:* | --format:*) _ftrig_reply json csv folded text ;;
		*:EVENT | --attach:*) _ftrig_reply $(_ftrig_events "$bin") ;;
		--instance:*) _ftrig_reply $(_ftrig_instances) ;;
		--disk:*) _ftrig_reply $(ls /sys/class/block 2>/dev/null) ;;
		*:PID) _ftrig_reply $(ls /proc 2>/dev/null | grep -E '^[0-9]+$') ;;
		# task names with a blank in them are left out: they would be two words
		*:COMM) _ftrig_reply $(cat /proc/[0-9]*/comm 2>/dev/null | grep -v ' ' | sort -u) ;;
		--name:*) [[ $cmd == probe ]] || _ftrig_reply $(_ftrig_hist_names "$bin") ;;
		-g:* | --group:*)
			_ftrig_reply $("$bin" probe ls --all 2>/dev/null | awk 'NR > 1 { split($1, a, "/"); print a[1] }' | sort -u) ;;
		--dir:* | *:DIR) _filedir -d 2>/dev/null || COMPREPLY=($(compgen -d -- "$cur")) ;;
		*:FILE | *:KB) [[ $arg == FILE ]] && { _filedir 2>/dev/null || COMPREPLY=($(compgen -f -- "$cur")); } ;;
		--key:* | --val:* | --sort:* | --match:* | --filter:* | --value:*)
			[[ -n $event ]] || return
			local kind=key
			[[ $prev == --val ]] && kind=val
			if [[ $cur == *.* && $prev != --filter ]]; then
				local f=${cur%%.*} t
				t=$(_ftrig_fields "$bin" "$event" | awk -v f="$f" '$1 == f { print $2; exit }')
				_ftrig_reply $(_ftrig_mods "$kind" "$f" "$t" | sed "s/^/$f./")
				[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
			else
				local extra=
				[[ $prev == --key && $cmd == hist ]] && extra='stacktrace ustack event'
				[[ $prev == --key && $cmd == top ]] && extra='event'
				[[ $prev == --sort ]] && extra=hitcount
				_ftrig_reply $(_ftrig_fields "$bin" "$event" | awk '{ print $1 }') $extra
			fi
			;;
		esac
		return
	fi

	if [[ $cur == -* ]]; then
		_ftrig_reply $(_ftrig_opts "$bin" "$cmd") --help
		return
	fi

	# positional words
	if [[ -n $verbs && -z $verb ]]; then
		_ftrig_reply $verbs
		return
	fi
	case $cmd in
	help) ((cword == ci + 1)) && _ftrig_reply $(_ftrig_cmds "$bin") ;;
	# the tools that take no operands
	syscount | biolatency | execsnoop | opensnoop) ;;
	plan | apply | diff | teardown | save) _filedir 2>/dev/null || COMPREPLY=($(compgen -f -- "$cur")) ;;
	probe)
		case $verb in
		rm) _ftrig_reply $("$bin" probe ls 2>/dev/null | awk 'NR > 1 { n = $1; sub(/.*\//, "", n); print n }') ;;
		add) if [[ " ${words[*]} " == *" -e "* || " ${words[*]} " == *" --event "* ]]; then
			_ftrig_reply $(_ftrig_events "$bin")
		else
			_filedir 2>/dev/null || COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
		esac
		;;
	hist)
		case $verb in
		diff) _filedir 2>/dev/null || COMPREPLY=($(compgen -f -- "$cur")) ;;
		stats) _ftrig_reply $(_ftrig_events "$bin")
			local files
			files=($(compgen -f -- "$cur"))
			COMPREPLY+=("${files[@]}") ;;
		*) [[ -z $event ]] && _ftrig_reply $(_ftrig_events "$bin") ;;
		esac
		;;
	trigger) [[ -z $event ]] && _ftrig_reply $(_ftrig_events "$bin") ;;
	*) _ftrig_reply $(_ftrig_events "$bin") ;;
	esac
}
complete -F _ftrig ftrig
