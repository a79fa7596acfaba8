#!/bin/sh
# zsh completion (#20): completion/_ftrig, in a real interactive zsh inside tmux, completes a
# command, a sub-verb, an option, an event of the running kernel and a field of that event,
# by running the bash completion through zsh's bashcompinit (so the two cannot drift).
. "$FTRIG_TESTS/lib.sh"
. "$FTRIG_TESTS/tmux.sh"
need_source completion/_ftrig "the VM has no zsh"
need_tracefs
command -v zsh >/dev/null 2>&1 || skip "needs zsh (configure --install-deps installs it)"
tmux_need
trap tmux_stop EXIT
z=$tmux_dir/z
mkdir -p "$z/bin"
ln -s "$FTRIG" "$z/bin/ftrig"
cat >"$z/.zshrc" <<EOF
fpath=($src/completion \$fpath)
autoload -U compinit && compinit -u -d $z/zcompdump
PATH=$z/bin:\$PATH
PS1='zsh> '
EOF
tmux_start 150 30 "env ZDOTDIR=$z HOME=$z zsh -i"
tmux_wait "zsh>"
# line TEXT: clear the line, type TEXT and a TAB
line() { tmux_keys C-u "$1" Tab; }
line "ftrig hi"
tmux_wait "zsh> ftrig hist" 10
line "ftrig hist star"
tmux_wait "zsh> ftrig hist start" 10
line "ftrig hist start sched:sched_switch --ke"
tmux_wait "zsh> ftrig hist start sched:sched_switch --key" 10
line "ftrig hist start sched:sched_switch --key next_pi"
tmux_wait "zsh> ftrig hist start sched:sched_switch --key next_pid" 10
line "ftrig top sched:sched_swi"
tmux_wait "zsh> ftrig top sched:sched_switch" 10
line "ftrig execsn"
tmux_wait "zsh> ftrig execsnoop" 10
line "ftrig opensnoop --fai"
tmux_wait "zsh> ftrig opensnoop --failed" 10
tmux_keys C-u "exit" Enter
tmux_stop
echo "ok: zsh completes commands, verbs, options, events and fields, and the snoop tools"
