#!/bin/sh
# 5. Parsing a kernel-maximum hist file (131072 entries, three keys, two values, in the 6.1
# kernel's layout) into ftrig's model, next to `cat` reading the same file. The peer here is
# the floor (bytes read, nothing understood): a ratio of 0.15 means parsing costs about 7
# times reading; the target (#21) is 0.33, parsing at most 3 times cat. cat and the parse take
# turns in each run; the ratio is the median of the runs' with its spread. Runs bench-hist
# (built by `make bench`), host only.
. "$(dirname "$0")/lib.sh"

[ "$WHERE" = host ] || exit 0
B=${BENCH_HIST:-$here_lib/../build/bench/bench-hist}
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
