#!/bin/sh
# The layout check (`make check-layout`, part of `make check`): fails on a source file over the
# size limit and on an #include cycle among the modules of src/ and ui/.
#
# Files: every .c and .h under src/ and ui/, but the BPF programs (*.bpf.c, built by clang for
# the kernel) and generated headers (config.h, the skeletons), which nobody edits.
#
# Size: a file may have at most LIMIT lines.
#
# Module: the node of the include graph a file belongs to. For a file DIR/STEM.c or
# DIR/STEM.h, its module is named after the longest S, STEM itself or STEM cut before one of
# its '-', for which DIR/S.h exists; a private header DIR/S-int.h belongs to S. So a header
# and the .c files that implement it are one node (src/ledger.h, src/ledger.c,
# src/ledger-add.c, src/ledger-scan.c and src/ledger-int.h are "src/ledger"), and a .c file
# with no header of its stem is a node of its own (src/main.c).
#
# Edge: from module A to module B (A != B) when a file of A includes a file of B with
# #include "..." (looked up as the compiler does: the file's directory, then src/, then the
# top). A cycle of edges is an import loop: the check prints it and fails.
#
# What it cannot see: two .c files of one module calling each other, or functions declared
# in a header that another module implements. Splits give each concern its own header.
set -u
cd "$(dirname "$0")/.." || exit 1

LIMIT=600

files=$(find src ui -type f \( -name '*.c' -o -name '*.h' \) ! -name '*.bpf.c' \
	! -name 'config.h' | LC_ALL=C sort)

rc=0
big=$(printf '%s\n' $files | xargs wc -l | awk -v limit="$LIMIT" \
	'$2 != "total" && $1 > limit { print "  " $2 ": " $1 " lines" }')
if [ -n "$big" ]; then
	echo "check-layout: files over $LIMIT lines:"
	echo "$big"
	rc=1
fi

# One line per file: "F path", then one per include: "I path included-name".
{
	for f in $files; do
		echo "F $f"
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
			while read -r inc; do echo "I $f $inc"; done
	done
} | awk '
function exists(p) { return p in isfile }
function dirof(p) { sub(/\/[^\/]*$/, "", p); return p }
# The module of a file (see the header of this script).
function module(p,    stem, s, dir, base) {
	dir = dirof(p)
	base = substr(p, length(dir) + 2)
	sub(/\.[ch]$/, "", base)
	if (base ~ /-int$/ && exists(dir "/" substr(base, 1, length(base) - 4) ".h"))
		return dir "/" substr(base, 1, length(base) - 4)
	s = base
	while (1) {
		if (exists(dir "/" s ".h"))
			return dir "/" s
		if (s !~ /-/)
			return dir "/" base
		sub(/-[^-]*$/, "", s)
	}
}
function resolve(from, inc,    c) {
	c = dirof(from) "/" inc
	if (exists(c)) return c
	if (exists("src/" inc)) return "src/" inc
	if (exists(inc)) return inc
	return ""
}
$1 == "F" { isfile[$2] = 1; order[++nfiles] = $2; next }
$1 == "I" { nin++; inf[nin] = $2; ininc[nin] = $3 }
END {
	for (i = 1; i <= nin; i++) {
		to = resolve(inf[i], ininc[i])
		if (to == "") continue
		a = module(inf[i]); b = module(to)
		if (a == b || ((a SUBSEP b) in edge)) continue
		edge[a, b] = inf[i] " includes " to
		adj[a] = adj[a] " " b
		node[a] = 1; node[b] = 1
	}
	for (i = 1; i <= nfiles; i++) node[module(order[i])] = 1
	ncycles = 0
	for (i = 1; i <= nfiles; i++) {
		n = module(order[i])
		if (!(n in color)) dfs(n, 0)
	}
	exit ncycles ? 1 : 0
}
# Depth-first search; a grey node met again closes a cycle, printed from the stack.
function dfs(n, depth,    k, m, cnt, list, j) {
	color[n] = 1
	stack[depth] = n
	cnt = split(adj[n], list, " ")
	for (k = 1; k <= cnt; k++) {
		m = list[k]
		if (!(m in color)) {
			dfs(m, depth + 1)
		} else if (color[m] == 1) {
			ncycles++
			print "check-layout: include cycle:"
			for (j = depth; j >= 0 && stack[j] != m; j--) ;
			for (; j < depth; j++)
				print "  " stack[j] " -> " stack[j + 1] "   (" edge[stack[j], stack[j + 1]] ")"
			print "  " n " -> " m "   (" edge[n, m] ")"
		}
	}
	color[n] = 2
}
' || rc=1

if [ "$rc" = 0 ]; then
	echo "check-layout: no file over $LIMIT lines, no include cycle"
else
	echo "check-layout: FAILED"
fi
exit $rc
