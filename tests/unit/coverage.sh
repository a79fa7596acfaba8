#!/bin/sh
# Line coverage of the unit tests, per source file, from the .gcno/.gcda files of a build made
# with --coverage (make coverage): gcov's summary of each file of src/ and ui/, then the total
# of each folder. Usage: coverage.sh BUILD_DIR [FOLDER...] (default: every folder).
b=$1
shift
find "$b/src" "$b/ui" -name '*.gcno' 2>/dev/null | sort | while read -r gcno; do
	obj=${gcno%.gcno}
	src=${obj#"$b"/}.c
	[ -f "$src" ] || continue
	# -n: no .gcov files; the summary of the file itself (not of the headers it includes)
	gcov -n -o "$(dirname "$gcno")" "$src" 2>/dev/null |
		awk -v f="$src" '$0 == "File '\''" f "'\''" { getline; print f, $0; exit }'
done | awk -v folders="$*" '
	{
		# "src/x.c Lines executed:85.00% of 120", or "No executable lines"
		pct = $3; sub(/.*:/, "", pct); sub(/%/, "", pct); n = $5
		if ($2 == "No") next
		hit = int(pct * n / 100 + 0.5)
		dir = $1; sub(/\/[^\/]*$/, "", dir)
		if (folders != "" && index(" " folders " ", " " dir " ") == 0) next
		printf "%6.1f%% of %5d  %s\n", pct, n, $1
		dh[dir] += hit; dn[dir] += n; th += hit; tn += n
	}
	END {
		for (d in dn) printf "%6.1f%% of %5d  %s/ (folder)\n", 100 * dh[d] / dn[d], dn[d], d | "sort -k4"
		close("sort -k4")
		if (tn) printf "%6.1f%% of %5d  all\n", 100 * th / tn, tn
	}'
