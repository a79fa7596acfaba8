# The command line: version, help, usage errors and their exit codes.
. "$FTRIG_TESTS/lib.sh"

expect_exit 0 "$FTRIG" --version
contains "$out" "ftrig 0." "--version"
expect_exit 0 "$FTRIG" --help
for c in info list cleanup help; do contains "$out" "$c" "--help"; done
expect_exit 0 "$FTRIG" help info
contains "$out" "usage: ftrig info" "help info"
expect_exit 0 "$FTRIG" cleanup --help
contains "$out" "--stale" "cleanup --help"
expect_exit 2 "$FTRIG"
expect_exit 2 "$FTRIG" frobnicate
contains "$out" "no command 'frobnicate'" "unknown command"
# CMD-9: a misspelt command gets a suggestion.
expect_exit 2 "$FTRIG" hsit
contains "$out" "no command 'hsit'; did you mean hist?" "misspelt command"
expect_exit 2 "$FTRIG" help frobnicate
expect_exit 2 "$FTRIG" info --bogus
contains "$out" "unknown option '--bogus'" "bad option"
contains "$out" "usage: ftrig info" "bad option"
expect_exit 2 "$FTRIG" info --require
contains "$out" "needs a value" "missing value"
expect_exit 2 "$FTRIG" info --require no_such_feature
contains "$out" "no feature 'no_such_feature'" "bad feature"
expect_exit 2 "$FTRIG" list
expect_exit 2 "$FTRIG" list probes-and-such
expect_exit 2 "$FTRIG" cleanup
contains "$out" "--stale" "cleanup without a mode"

# -v before the command, --verbose anywhere; -v after the command says where it goes.
expect_exit 0 "$FTRIG" -v info
expect_exit 0 "$FTRIG" info --verbose --json
contains "$out" '"tracefs"' "info --verbose --json"
expect_exit 2 "$FTRIG" info -v
contains "$out" "-v goes before the command: 'ftrig -v info ...'" "info -v"
expect_exit 2 "$FTRIG" -v

# Every command maps only the libraries every command needs at its start: curses is loaded
# when the live view starts (ui/curses-dl.c), libtracecmd by record and report
# (src/record/tracecmd-dl.c), not linked (issue #21: a fifth of the start).
if command -v readelf >/dev/null 2>&1; then
	needed=$(readelf -d "$FTRIG" | grep NEEDED)
	case $needed in *libncurses* | *libtinfo* | *libtracecmd*)
		fail "ftrig links a library only some commands use: $needed" ;;
	esac
fi
exit 0
