#!/bin/sh
# 5. Parsing a kernel-maximum hist file (131072 entries, three keys, two values, in the 6.1
# kernel's layout) into ftrig's model, next to `cat` reading the same file. The peer here is
# the floor (bytes read, nothing understood): a ratio of 0.15 means parsing costs about 7
# times reading; the target (#21) is 0.33, parsing at most 3 times cat. cat and the parse take
# turns in each run; the ratio is the median of the runs' with its spread. Runs bench-hist
# (built by `make bench`); in the VM, the live hist file instead (below).
. "$(dirname "$0")/lib.sh"

B=${BENCH_HIST:-$here_lib/../build/bench/bench-hist}

# In the VM, whose kernel has hist triggers: a live hist file of ROWS entries (sys_enter_read
# keyed by the read size, the workload reading each size once), read by cat (the kernel making
# the text and copying it) against ftrig's read() of it plus the parse (bench-hist --file),
# run by run; the notes say how much of that is the parse, ftrig's own part. 32,768 entries
# and 3 runs: under TCG the kernel takes 25 s to print a table of 131,072 (ftrig's parse of
# it 0.15 s), and each run reads it twice.
if [ "$WHERE" = vm ]; then
	ROWS=${BENCH_HIST_ROWS:-32768}
	NAME="hist read+parse, live file of $ROWS entries [vm] ftrig read()+parse vs cat"
	EV=syscalls:sys_enter_read
	AGG=benchlive$$
	[ -x "$B" ] || { ftrig_unavailable "$NAME" "no $B" "" ms; exit 0; }
	has_hist || { ftrig_unavailable "$NAME" "no hist triggers" "" ms; exit 0; }
	rm_agg() { "$FTRIG" hist rm $EV --name $AGG >/dev/null 2>&1; }
	on_exit rm_agg
	"$FTRIG" hist start $EV --key count --name $AGG --size 131072 --backend hist >"$btmp/err" 2>&1 ||
		{ ftrig_unavailable "$NAME" "hist start: $(head -n 1 "$btmp/err")" "" ms; exit 0; }
	"$WORKLOAD" --read-sizes "$ROWS" >/dev/null
	"$B" --file "$T/events/syscalls/sys_enter_read/hist" "${BENCH_HIST_RUNS:-3}" >"$btmp/hist" 2>&1 || {
		ftrig_unavailable "$NAME" "bench-hist failed: $(tail -n 1 "$btmp/hist")" "" ms
		exit 0
	}
	grep -v '^ratios ' "$btmp/hist" | sed 's/^/# [vm] /'
	set -- $(sed -n 's/^read() whole file *median *\([0-9.]*\) ms.*/\1/p; s/^ftrig parse *median *\([0-9.]*\) ms.*/\1/p' "$btmp/hist")
	[ $# = 2 ] && say "hist live file: the parse (ftrig's part) is $(awk -v r="$1" -v p="$2" 'BEGIN { printf "%.0f", 100 * p / (r + p) }')% of ftrig's read()+parse"
	result "$NAME" 1 1 ms "$(sed -n 's/^ratios cat \/ parse per run: *//p' "$btmp/hist")"
	exit 0
fi
[ "$WHERE" = host ] || exit 0
if [ ! -x "$B" ]; then
	ftrig_unavailable "hist parse 131072 entries [host]" "no $B: make build/bench/bench-hist" "" ms
	exit 0
fi
"$B" >"$btmp/hist" 2>&1 || {
	ftrig_unavailable "hist parse 131072 entries [host]" "bench-hist failed: $(tail -n 1 "$btmp/hist")" "" ms
	exit 0
}
grep -v '^ratios ' "$btmp/hist" | sed 's/^/# [host] /'
parse=$(sed -n 's/^ftrig parse *median *\([0-9.]*\) ms.*/\1/p' "$btmp/hist")
cat_ms=$(sed -n 's/^cat FILE >\/dev\/null *median *\([0-9.]*\) ms.*/\1/p' "$btmp/hist")
ratios=$(sed -n 's/^ratios cat \/ parse per run: *//p' "$btmp/hist")
result "hist parse 131072 entries [host] ftrig parse vs cat" "$parse" "$cat_ms" ms "$ratios"
exit 0
