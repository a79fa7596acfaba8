#!/bin/sh
# 9. Reading a recording: `ftrig report FILE` against `trace-cmd report FILE` on the same
# trace.dat, in the same run, taking turns within each repetition.
#
# The recording: `ftrig record` of sys_enter_getppid filtered to the workload's name (--comm),
# while the workload makes N calls; the file must hold N events (its summary line, and both
# reports, are checked against N). On the host both read that file (trace-cmd cannot set up
# tracing there, see bench/README.md). In the VM, where it can, a second recording made by
# `trace-cmd record` of the same workload is the one both read: ftrig report on trace-cmd's
# own file.
#
# Each report runs once per repetition with its text written to a file (as `report > out`
# keeps it), on the tools' CPU: its CPU time (user + system, the clock ticks of its rusage, as
# a shell that waited for it sees them in /proc/PID/stat) and its wall time (from the exec of
# a wrapper to its end, stamped by `workload --exec` on the monotonic clock: a few ms of
# fork and exec on both sides). Every report's output must have N event lines.
. "$(dirname "$0")/lib.sh"

if [ "$WHERE" = vm ]; then
	N=${BENCH_REPORT_N:-50000} REPS=${BENCH_REPORT_REPS:-3}
else
	N=${BENCH_REPORT_N:-500000} REPS=${BENCH_REPORT_REPS:-5}
fi
NAME="report $N events [$WHERE]"
say "report: $N getppid calls recorded once, each report read $REPS times, $PINNING"
ftrig_off=
ftrig_missing report && ftrig_off=$ftrig_why
tc_off=
need_peer trace-cmd trace-cmd || tc_off=$peer_why
if [ -n "$ftrig_off" ] && [ -n "$tc_off" ]; then
	peer_unavailable "$NAME" "$tc_off; and $ftrig_off"
	exit 0
fi
comm=rp$$
BUF_KB=16384 # per CPU: N calls come faster than a busy reader may take them

rec_pid=
rec_stop() {
	[ -z "$rec_pid" ] || stop_bg "$rec_pid"
	rec_pid=
}
on_exit rec_stop

# record_ftrig FILE: `ftrig record` of the workload's N calls into FILE; 1 (and $rec_err) when
# it failed. It says nothing when it is attached: its instance's enable is read until it is on
# (the filter is set before the enable).
record_ftrig() {
	$TOOL_PIN "$FTRIG" record "$EVENT" --comm "$comm" --buffer-size $BUF_KB -o "$1" \
		>"$btmp/rec.out" 2>&1 &
	rec_pid=$!
	en=$T/instances/ftrig-$rec_pid/events/$EV_SYS/$EV_NAME/enable
	i=0
	until [ "$(cat "$en" 2>/dev/null)" = 1 ]; do
		i=$((i + 1))
		if ! kill -0 "$rec_pid" 2>/dev/null || [ $i -gt 6000 ]; then
			rec_stop
			rec_err="ftrig record did not start: $(tail -n 1 "$btmp/rec.out")"
			return 1
		fi
		sleep 0.01
	done
	$LOAD_PIN "$WORKLOAD" --comm "$comm" --getppid "$N" >/dev/null 2>&1
	rec_stop
	got=$(sed -n 's/^ftrig: \([0-9]*\) events recorded.*/\1/p' "$btmp/rec.out")
	count_line "$NAME ftrig record" "$N" "$got"
	[ -s "$1" ] && return 0
	rec_err="ftrig record wrote no file: $(tail -n 1 "$btmp/rec.out")"
	return 1
}

# record_tc FILE: `trace-cmd record` of the same (VM only: the top-level buffer, which nobody
# else uses there), running the workload itself and stopping when it ends.
record_tc() {
	$TOOL_PIN trace-cmd record -q -b $BUF_KB -e "$EVENT" -f "comm == \"$comm\"" -o "$1" \
		$LOAD_PIN "$WORKLOAD" --comm "$comm" --getppid "$N" >"$btmp/tcrec.out" 2>&1 &&
		[ -s "$1" ] && return 0
	rec_err="trace-cmd record failed: $(grep -v '^$' "$btmp/tcrec.out" | tail -n 1)"
	return 1
}

# timed OUT CMD...: CMD with its standard output in OUT, pinned; sets $cpu_ms (its user +
# system time, from the rusage its waiting shell was given) and $wall_ms, and $events (the
# event lines in OUT). 1 (and $run_err) when CMD failed.
timed() {
	o=$1
	shift
	rm -f "$o.stat" "$o.t0" "$o.t1" "$o.rc"
	$TOOL_PIN "$WORKLOAD" --exec "$o.t0" sh -c '"$@" >"$0" 2>"$0.err"; echo $? >"$0.rc"
		cat /proc/$$/stat >"$0.stat"; exec "$W" --exec "$0.t1" true' "$o" "$@"
	if [ "$(cat "$o.rc" 2>/dev/null)" != 0 ]; then
		run_err="$1 $2 failed: $(tail -n 1 "$o.err" 2>/dev/null)"
		return 1
	fi
	# fields 16 and 17 of /proc/PID/stat (cutime, cstime); 14 and 15 after "pid (comm) "
	set -- $(sed 's/^.*) //' "$o.stat")
	cpu_ms=$(((${14} + ${15}) * 1000 / clk))
	wall_ms=$(awk -v a="$(cat "$o.t0")" -v b="$(cat "$o.t1")" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }')
	events=$(grep -c "$EV_NAME" "$o")
}
clk=$(getconf CLK_TCK 2>/dev/null || echo 100)
export W="$WORKLOAD"

# read_file TAG LABEL FILE: both reports of FILE, $REPS times, the first to go alternating;
# TAG names the variables of the figures (a word), LABEL the lines.
read_file() {
	tools=
	[ -n "$ftrig_off" ] || tools=ftrig
	[ -n "$tc_off" ] || tools="$tools tc"
	r=1
	while [ $r -le "$REPS" ]; do
		for t in $tools; do
			if [ $t = ftrig ]; then
				timed "$btmp/out" "$FTRIG" report "$3"
			else
				timed "$btmp/out" trace-cmd report "$3"
			fi || {
				eval "err_$1_$t=\$run_err"
				continue
			}
			keep "c_$1_$t" $r "$cpu_ms"
			keep "w_$1_$t" $r "$wall_ms"
			# the first count that is not N is kept, else N
			eval "[ \"\${n_$1_$t:-$N}\" != $N ] || n_$1_$t=$events"
		done
		tools="${tools#* } ${tools%% *}"
		r=$((r + 1))
	done
	eval "nf=\${n_$1_ftrig:-} nt=\${n_$1_tc:-} fe=\${err_$1_ftrig:-} pe=\${err_$1_tc:-}"
	eval "fc=\${v_c_$1_ftrig:-} pc=\${v_c_$1_tc:-} fw=\${v_w_$1_ftrig:-} pw=\${v_w_$1_tc:-}"
	[ -z "$nf" ] || count_line "$NAME $2, ftrig report's event lines" "$N" "$nf"
	[ -z "$nt" ] || count_line "$NAME $2, trace-cmd report's event lines" "$N" "$nt"
	peer_off=$tc_off
	compare "$NAME $2, CPU time, ftrig report vs trace-cmd report" ms "$fc" "$pc" "$fe" "$pe" \
		"$(rep_ratios "c_$1_tc" "c_$1_ftrig" "$REPS")"
	compare "$NAME $2, wall time, ftrig report vs trace-cmd report" ms "$fw" "$pw" "$fe" "$pe" \
		"$(rep_ratios "w_$1_tc" "w_$1_ftrig" "$REPS")"
}

# Each tier reads one file, which both reports read: ftrig's on the host, trace-cmd's in the VM
# (ftrig report on a foreign file; ftrig's there only when trace-cmd could not record). The
# VM's minutes are few: ftrig's recording is made there for its count only.
fdat= tdat=
if [ -n "$ftrig_off" ]; then
	say "report: no ftrig recording ($ftrig_off)"
elif record_ftrig "$btmp/ftrig.dat"; then
	say "report: ftrig record's file is $(($(wc -c <"$btmp/ftrig.dat") / 1024)) KiB"
	fdat=$btmp/ftrig.dat
else
	ftrig_unavailable "$NAME ftrig record's file" "$rec_err" "" ms
fi
if [ "$WHERE" = vm ] && [ -z "$tc_off" ]; then
	if record_tc "$btmp/tc.dat"; then
		say "report: trace-cmd record's file is $(($(wc -c <"$btmp/tc.dat") / 1024)) KiB"
		tdat=$btmp/tc.dat
	else
		peer_unavailable "$NAME trace-cmd record's file" "$rec_err"
	fi
fi
if [ -n "$tdat" ]; then
	read_file tr "trace-cmd record's file" "$tdat"
elif [ -n "$fdat" ]; then
	read_file fr "ftrig record's file" "$fdat"
fi
exit 0
