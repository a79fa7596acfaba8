// SPDX-License-Identifier: GPL-2.0-only
/* The command table and the dispatch from argv to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "commands.h"
#include "log.h"
#include "config.h"
#include "suggest.h"

/* The options the tools share (src/tools/opts.c), one line each in their help. */
#define TOOL_PID "  -p, --pid PID      only thread PID\n"
#define TOOL_COMM "  -c, --comm COMM    only tasks named COMM\n"
#define TOOL_DURATION "  -d, --duration S   trace S seconds, then print (default: until Ctrl-C)\n"
#define TOOL_TIMESTAMP "  -T, --timestamp    a time line (HH:MM:SS) before each output\n"
#define TOOL_JSON "  -j, --json         one JSON object per output\n"
#define TOOL_DURATION_LINES "  -d, --duration S   trace S seconds (default: until Ctrl-C)\n"
#define TOOL_JSON_LINES "  -j, --json         one JSON object per call, a line each\n"
#define TOOL_BACKEND \
	"  --backend B        auto (BPF where it loads, else hist triggers), hist, bpf\n"

/* One row per subcommand: name, handler, summary, usage, options, and its sub-verbs. */
static const struct ft_cmd commands[] = {
	{ "top", ft_cmd_top, "Live view of kernel histograms: rates, sort, filter, percentiles.",
	  "top [EVENT --key F[.MOD]... [--val V]... [--filter EXPR] [--size N] [--backend B]]...\n"
	  "       ftrig top --latency START[(F,...)],END[(F,...)] [--match F[,F]] [--key ...]\n"
	  "       ftrig top --attach EVENT [--name N] [--instance I]\n"
	  "       ftrig top ... [-b [-n N] [-d SECS] [--json]]",
	  "  (no arguments)     system calls per process, live\n"
	  "  EVENT              SYSTEM:EVENT to count; each EVENT is one tab (up to 9), the\n"
	  "                     options after it apply to it\n"
	  "  --key F[.MOD]      key field, one or more per EVENT (.execname .syscall .log2\n"
	  "                     .buckets=N .hex .sym ...)\n"
	  "  --key event        BPF: the event's name, to count a glob per event\n"
	  "  --skip-missing     a glob: leave out events where a key is another thing (BPF)\n"
	  "  --val V            value field to sum (hitcount is always counted)\n"
	  "  --filter EXPR      only events matching the kernel filter EXPR\n"
	  "  --size N           keys the table holds, a power of two, 128 to 131072 [2048]:\n"
	  "                     BPF per interval (a fresh table every refresh), a hist\n"
	  "                     trigger in all (it keeps every key); the view says when\n"
	  "                     events were not counted\n"
	  "  --backend B        auto (BPF where it can count it: its tables never fill; else a\n"
	  "                     hist trigger), hist, bpf\n"
	  "  --latency S,E      the time from event S to event E, in microseconds (us): of the\n"
	  "                     same thread, or of the same request where S(F,...) and\n"
	  "                     E(F,...) name the fields that match ('block:block_rq_issue(dev,\n"
	  "                     sector),block:block_rq_complete(dev,sector)')\n"
	  "  --match F[,F]      --latency: the match fields where S and E name them the same;\n"
	  "                     SF=EF where not (--match pid=next_pid)\n"
	  "  --attach EVENT     watch a hist trigger that exists (any owner), read only: never\n"
	  "                     cleared, paused or removed\n"
	  "  --name N           the hist with name=N, when the event has several\n"
	  "  --instance I       the hist in instance I\n"
	  "  -b, --batch        print the table as text each interval instead of the screen\n"
	  "  -n, --iterations N batch: stop after N tables, N >= 1 (default: until Ctrl-C);\n"
	  "                     each table covers one interval\n"
	  "  -d, --delay SECS   the interval, 0.1 to 3600 seconds [1]\n"
	  "  --json             batch, one JSON line per hist and interval\n"
	  "  keys: s r / space c C tab 1-9 e n h + - ? q (see man ftrig-top)\n",
	  NULL },
	{ "pipe", ft_cmd_pipe, "Stream events from ftrig's own instance as text, decoded or JSON.",
	  "pipe EVENT... [--filter EXPR] [--pid PID] [--comm NAME] [--json | --raw]\n"
	  "             [--count N] [--duration TIME] [--buffer-size KB] [-o FILE]",
	  "  EVENT              SYSTEM:EVENT, globs allowed ('sched:*', 'ftrig:*')\n"
	  "  --filter EXPR      kernel filter on every event ('prev_pid == 1')\n"
	  "  --pid PID          only events of this pid\n"
	  "  --comm NAME        only events of tasks named NAME (a glob is allowed)\n"
	  "  --raw              read the per-CPU binary buffers, decode with libtraceevent\n"
	  "  --json             like --raw, one JSON object per event, fields typed\n"
	  "  --count N          stop after N events\n"
	  "  --duration TIME    stop after TIME (10s, 500ms, 2m)\n"
	  "  --buffer-size KB   ring buffer per CPU of ftrig's instance, in KiB\n"
	  "  -o, --output FILE  write to FILE instead of standard output\n",
	  NULL },
	{ "record", ft_cmd_record, "Record events of ftrig's own instance into a trace.dat file.",
	  "record EVENT... -o FILE [--filter EXPR] [--pid PID] [--comm NAME] [--duration TIME]\n"
	  "             [--buffer-size KB]",
	  "  EVENT              SYSTEM:EVENT, globs allowed ('sched:*', 'syscalls:sys_enter_*')\n"
	  "  -o, --output FILE  the trace.dat file; it appears only when complete\n"
	  "  --filter EXPR      kernel filter on every event ('prev_pid == 1')\n"
	  "  --pid PID          only events of this pid\n"
	  "  --comm NAME        only events of tasks named NAME (a glob is allowed)\n"
	  "  --duration TIME    stop after TIME (10s, 500ms, 2m); else at Ctrl-C or SIGTERM\n"
	  "  --buffer-size KB   ring buffer per CPU of ftrig's instance, in KiB\n",
	  NULL },
	{ "report", ft_cmd_report, "Print a trace.dat file, or count its events into a histogram.",
	  "report FILE [EVENT...] [--json] [-o OUT]\n"
	  "       ftrig report FILE [EVENT...] --key F[.MOD]... [--val V]... [--sort F[:desc]]\n"
	  "             [--filter EXPR] [--size N] [--skip-missing] [--format F] [-o OUT]",
	  "  FILE               a trace.dat file (ftrig record, trace-cmd record)\n"
	  "  EVENT              only these events, SYSTEM:EVENT, globs allowed [all]\n"
	  "  --json             one JSON object per event, as 'ftrig pipe --json'\n"
	  "  --key F[.MOD]      count into a histogram keyed by F, as 'hist start' (.execname\n"
	  "                     .syscall .log2 .buckets=N .hex .sym ...)\n"
	  "  --val V            value field to sum (hitcount is always counted)\n"
	  "  --sort F[:desc]    sort the histogram by a key or value\n"
	  "  --filter EXPR      count only events matching EXPR (numeric comparisons)\n"
	  "  --size N           keys the table holds, as a live one [2048]\n"
	  "  --skip-missing     a glob: leave out events without a key field\n"
	  "  -f, --format F     the histogram as json, csv, folded or text [text]\n"
	  "  -o, --output OUT   write to OUT instead of standard output\n",
	  NULL },
	{ "hist", ft_cmd_verbs, "Start, control, show, dump, compare and summarise histograms.",
	  "hist start EVENT --key F[.MOD] ... [--val V[.MOD] ...] [--sort F[:desc]] [--size N]\n"
	  "                  [--filter EXPR] [--name N] [--instance I] [--backend B] [--dry-run]\n"
	  "       ftrig hist start --latency START[(F,...)],END[(F,...)] [--match F[,F]]\n"
	  "                  [--key F] ... [--filter EXPR] [--name N] [--backend B]\n"
	  "       ftrig hist pause|cont|clear|rm EVENT [--name N] [--instance I] [--dry-run]\n"
	  "       ftrig hist show EVENT [--name NAME] [--instance I] [--json]\n"
	  "       ftrig hist dump EVENT|--all [--format json|csv|folded|text] [-o FILE]\n"
	  "                  [--every 10s [--count N]] [--dir DIR] [--name NAME] [--instance I]\n"
	  "       ftrig hist diff A B [--top N] [--value NAME] [--name NAME] [--json]\n"
	  "       ftrig hist stats FILE|EVENT [--key NAME] [--value NAME] [--name NAME] [--json]",
	  "  start              start a histogram on EVENT (see man ftrig-trigger)\n"
	  "  pause, cont        stop and resume counting; clear: zero it; rm: remove it\n"
	  "  --key F[.MOD]      start: a key field; MOD: hex sym sym-offset execname syscall\n"
	  "                     log2 buckets=N usecs (repeat for a compound key, at most 3)\n"
	  "  --key event        start, BPF: the event's name, to count a glob per event\n"
	  "  --key stacktrace   start: the kernel stack; --key ustack: the user stack (BPF)\n"
	  "  --skip-missing     start, a glob: leave out events where a key, value or filter\n"
	  "                     name is another thing than in the others (BPF)\n"
	  "  --val V[.MOD]      start: a value to sum (hitcount is always counted); MOD: hex,\n"
	  "                     and percent, graph where the kernel's hist triggers take them\n"
	  "  --sort F[:desc]    start: sort by a key, a value or hitcount (at most twice)\n"
	  "  --size N           start: table entries, a power of two from 128 to 131072\n"
	  "  --filter EXPR      start: count only events matching EXPR\n"
	  "  --latency S,E      start: a log2 histogram of the time from event S to event E of\n"
	  "                     the same thread, keyed by 'lat' (in us) and any --key of E;\n"
	  "                     S(F,...),E(F,...): of the same request, matched on those fields\n"
	  "                     (hist triggers: a synthetic event fed by onmatch)\n"
	  "  --match F[,F]      start: --latency's match fields, named the same in S and E;\n"
	  "                     SF=EF where not (--match pid=next_pid)\n"
	  "  --backend B        start: auto (hist triggers where the kernel has them), hist, bpf,\n"
	  "                     both\n"
	  "  --dry-run          start, pause, cont, clear, rm: print the exact writes (tracefs\n"
	  "                     files and texts; BPF: what is pinned or changed), change nothing\n"
	  "  show               print the event's hists as the kernel does\n"
	  "  dump               write them as data (default JSON; schema in man ftrig-hist)\n"
	  "  diff               per-key change between two dumps (JSON or hist text), largest\n"
	  "                     first, with the keys that appeared and disappeared\n"
	  "  stats              count, min, max, mean, p50 p90 p99 p99.9 of a numeric key\n"
	  "  EVENT              SYSTEM:EVENT, e.g. kmem:kmalloc\n"
	  "  --name NAME        the hist with name=NAME when the event has several\n"
	  "  --instance I       read from the instance I instead of the top level\n"
	  "  -f, --format F     json, csv, folded (flame graphs) or text (the kernel's layout)\n"
	  "  -o, --output FILE  write to FILE instead of standard output\n"
	  "  --every DUR        a snapshot every DUR (10s, 500ms, 1m) into --dir, until\n"
	  "                     --count snapshots or Ctrl-C; the kernel's table is not cleared\n"
	  "  --dir DIR          one timestamped file per event and snapshot in DIR\n"
	  "  --all              every event that has a hist trigger, in every instance\n"
	  "  --top N            diff: only the N largest changes\n"
	  "  --value NAME       diff, stats: the value to compare or weigh by [hitcount]\n"
	  "  --key NAME         stats: the key to summarise [the first numeric key]\n"
	  "  --json             show: the dump's JSON; diff, stats: one JSON object\n",
	  &ft_hist_verbs },
	{ "trigger", ft_cmd_verbs, "Add, list and remove event triggers (persistent, journaled).",
	  "trigger add EVENT 'SPEC' [--instance I] [--synth 'DEF'] [--dry-run] | trigger ls "
	  "[EVENT] "
	  "[--instance I | --all-instances] [--json] | trigger rm EVENT 'SPEC' [--instance I] "
	  "[--dry-run] | trigger rm --ours [--dry-run]",
	  "  EVENT              SYSTEM:EVENT, e.g. sched:sched_switch\n"
	  "  SPEC               a trigger as events.rst and histogram.rst document it, e.g.\n"
	  "                     'stacktrace:5 if prev_state == 2' or 'hist:keys=next_pid'\n"
	  "  --instance I       the trigger file of instance I (default: the top level)\n"
	  "  --synth 'DEF'      first define synthetic event DEF ('NAME TYPE FIELD; ...') for\n"
	  "                     the trigger's trace() action; rm --ours removes it too\n"
	  "  --dry-run          add, rm: print the exact tracefs writes, change nothing\n"
	  "  --all-instances    ls: the top level and every instance\n"
	  "  --json             ls: print JSON\n"
	  "  --ours             rm: every trigger 'trigger add' and 'hist start' made\n",
	  &ft_trigger_verbs },
	{ "probe", ft_cmd_verbs, "Add, list and remove dynamic probes (kprobes, uprobes, eprobes).",
	  "probe add [-r|-e|--raw] [-g GROUP] [--name NAME] [--max N] [--dry-run] PROBE [ARG...]\n"
	  "       ftrig probe ls [--all] [--json]\n"
	  "       ftrig probe rm NAME... | --group GROUP | --ours [--dry-run]",
	  "  PROBE              FUNCTION[+OFF] (kprobe), BINARY:SYMBOL[+OFF] or BINARY:0xOFFSET\n"
	  "                     (uprobe; BINARY has a '/'), SYSTEM:EVENT with -e (eprobe);\n"
	  "                     a glob of functions ('vfs_*') makes one kprobe per function\n"
	  "                     in available_filter_functions, each named after it;\n"
	  "                     BINARY:GLOB one uprobe per function of its symbol table\n"
	  "  ARG                NAME=FETCHARG[:TYPE]: $argN $retval $comm $stackN %REG @SYM\n"
	  "                     +OFF(FETCHARG); types u8..u64 s8..s64 x8..x64 string ustring\n"
	  "                     symbol bWIDTH@OFF/SIZE; eprobes fetch $FIELD\n"
	  "  -r, --return       probe the function's return (kretprobe, uretprobe)\n"
	  "  -e, --event        attach to an existing event (eprobe)\n"
	  "  --raw              PROBE is a definition in the kernel's syntax (p:GROUP/NAME ...)\n"
	  "  -g, --group GROUP  event group (default ftrig); for rm: every probe of GROUP\n"
	  "      --name NAME    event name (default: made from the symbol)\n"
	  "  --max N            add: how many probes a glob may make [1000]\n"
	  "  --dry-run          add, rm: print the exact writes (file and text), change nothing\n"
	  "  --all              ls: every probe the kernel has, not only ftrig's\n"
	  "  --json             ls: print JSON\n"
	  "  --ours             rm: every probe 'probe add' created\n",
	  &ft_probe_verbs },
	{ "serve", ft_cmd_serve, "Export the aggregations as Prometheus metrics (HTTP, textfile).",
	  "serve [--listen ADDR:PORT] [--attach EVENT]... [--textfile DIR [--interval DUR]]\n"
	  "             [--limit N] [--stacks]",
	  "  --listen ADDR:PORT serve GET /metrics there [127.0.0.1:9464]; ':PORT' for every\n"
	  "                     address, port 0 for one the kernel picks (printed)\n"
	  "  --attach EVENT     export the aggregations of SYSTEM:EVENT, whoever made them\n"
	  "                     (repeat it); default: every aggregation ftrig owns (hist start,\n"
	  "                     apply), read from the ledger at each scrape\n"
	  "  --textfile DIR     write DIR/ftrig.prom (node_exporter's textfile collector) every\n"
	  "                     --interval, atomically; without --listen, no HTTP\n"
	  "  --interval DUR     how often the textfile is written (15s, 1m) [15s]\n"
	  "  --limit N          series per aggregation; the rest are summed into one series\n"
	  "                     labelled ftrig_other=\"true\" (0: no limit) [100]\n"
	  "  --stacks           export stack keys as a folded label (default: summed over)\n",
	  NULL },
	{ "plan", ft_cmd_plan,
	  "Print the tracefs writes that 'apply FILE' would make; change nothing.",
	  "plan FILE [--json]",
	  "  FILE               a setup file (man ftrig-setup.5)\n"
	  "  --json             the plan as one JSON document (man ftrig, JSON OUTPUT)\n",
	  NULL },
	{ "apply", ft_cmd_apply, "Make what a setup file says, all or nothing; again is a no-op.",
	  "apply FILE [--dry-run]",
	  "  FILE               a setup file: every line is checked first, then made in\n"
	  "                     dependency order; a failure removes what this apply made\n"
	  "  --dry-run          the same as 'ftrig plan FILE'\n",
	  NULL },
	{ "diff", ft_cmd_diff, "Show what differs between a setup file and the kernel (exit 1).",
	  "diff FILE [--json]",
	  "  FILE               a setup file; exit 0 when the kernel matches it\n"
	  "  --json             the differences as one JSON document (man ftrig, JSON OUTPUT)\n",
	  NULL },
	{ "teardown", ft_cmd_teardown, "Remove what applying a setup file made, in reverse order.",
	  "teardown FILE [--dry-run]",
	  "  FILE               a setup file applied before (it may have changed or be gone)\n"
	  "  --dry-run          print the exact writes, in order, and change nothing\n",
	  NULL },
	{ "save", ft_cmd_save, "Write what ftrig owns persistently now as a setup file.",
	  "save FILE", "  FILE               where to write it; - for standard output\n", NULL },
	{ "list", ft_cmd_list, "List trace events, optionally with their fields.",
	  "list events [GLOB] [--fields] [--json]",
	  "  GLOB               shell pattern on 'system:event', the event or the system\n"
	  "  --fields           show each event's fields (type, offset, size, signedness)\n"
	  "  --json             print JSON\n",
	  NULL },
	{ "info", ft_cmd_info,
	  "Show where tracefs is, what this kernel can do, and what ftrig owns.",
	  "info [--json] [--require FEATURE[,FEATURE...]]",
	  "  --json             print one JSON object\n"
	  "  --require LIST     exit 1 and say what is missing unless the kernel has every\n"
	  "                     feature in LIST (names as 'ftrig info' prints them)\n",
	  NULL },
	{ "cleanup", ft_cmd_cleanup, "Remove what ftrig sessions created and left behind.",
	  "cleanup --stale | --all [--dry-run [--json]]",
	  "  --stale            undo the journals of ftrig sessions that died\n"
	  "  --all              also undo persistent objects ftrig created (apply, trigger add)\n"
	  "  --dry-run          say what would be removed, remove nothing\n"
	  "  --json             --dry-run: as one JSON document (man ftrig, JSON OUTPUT)\n",
	  NULL },
	{ "funccount", ft_cmd_tool,
	  "Count kernel or user functions or tracepoints matching a glob (bcc's).",
	  "funccount [-p PID] [-c COMM] [-d SECS] [-i SECS] [-T] [-j] [--live] [--backend B]\n"
	  "                 [--max N] PATTERN",
	  "  PATTERN            FUNC glob ('vfs_*': one kprobe each), BINARY:GLOB (one uprobe\n"
	  "                     each), or SYSTEM:EVENT glob ('syscalls:sys_enter_open*');\n"
	  "                     t:, p: prefixes as in bcc\n" TOOL_PID TOOL_COMM TOOL_DURATION
	  "  -i, --interval S   print the counts of every S seconds\n" TOOL_TIMESTAMP TOOL_JSON
	  "  --live             open in 'ftrig top' instead\n" TOOL_BACKEND
	  "  --max N            how many probes a glob may make [1000]\n",
	  NULL },
	{ "syscount", ft_cmd_tool,
	  "Count system calls by call or process, with their time (bcc's).",
	  "syscount [-L] [-P] [-x] [-p PID] [-c COMM] [-d SECS] [-i SECS] [-T] [-j] [--top N]\n"
	  "                [--live] [--backend B]",
	  "  -L, --latency      also the time spent in the calls, in microseconds\n"
	  "  -P, --process      by process (PID COMM) instead of by call\n"
	  "  -x, --failed       failed calls only (a negative return)\n" TOOL_PID TOOL_COMM
		  TOOL_DURATION
	  "  -i, --interval S   print the counts of every S seconds\n" TOOL_TIMESTAMP TOOL_JSON
	  "  --top N            the N most frequent [10]\n"
	  "  --live             open in 'ftrig top' instead\n" TOOL_BACKEND,
	  NULL },
	{ "funclatency", ft_cmd_tool, "A log2 histogram of a function's time, in usecs (bcc's).",
	  "funclatency [-p PID] [-c COMM] [-d SECS] [-i SECS] [-T] [-j] [--live]\n"
	  "                   [--backend B] FUNC | BINARY:SYMBOL | START,END",
	  "  FUNC               a kernel function (a kprobe and a kretprobe: kernels with\n"
	  "                     kprobe events)\n"
	  "  BINARY:SYMBOL      a function of a program or library (uprobes: every kernel)\n"
	  "  START,END          two tracepoints\n"
	  "                     ('syscalls:sys_enter_read,syscalls:sys_exit_read')\n" TOOL_PID
		  TOOL_COMM TOOL_DURATION
	  "  -i, --interval S   print the histogram of every S seconds\n" TOOL_TIMESTAMP TOOL_JSON
	  "  --live             open in 'ftrig top' instead\n" TOOL_BACKEND,
	  NULL },
	{ "stackcount", ft_cmd_tool, "Count the kernel stacks of a function or event (bcc's).",
	  "stackcount [-p PID] [-c COMM] [-d SECS] [-i SECS] [-T] [-j] [--live] [--backend B]\n"
	  "                  FUNC | SYSTEM:EVENT",
	  "  FUNC               a kernel function (a kprobe: kernels with kprobe events)\n"
	  "  SYSTEM:EVENT       a tracepoint (t:, p: prefixes as in bcc)\n" TOOL_PID TOOL_COMM
		  TOOL_DURATION
	  "  -i, --interval S   print the stacks of every S seconds\n" TOOL_TIMESTAMP TOOL_JSON
	  "  --live             open in 'ftrig top' instead\n" TOOL_BACKEND,
	  NULL },
	{ "biolatency", ft_cmd_tool, "A log2 histogram of block I/O latency, in usecs (bcc's).",
	  "biolatency [-D | -F] [-Q] [-m] [--disk NAME] [-d SECS] [-i SECS] [-T] [-j]\n"
	  "                  [--live] [--backend B]",
	  "  -D, --disks        a histogram per disk\n"
	  "  -F, --flags        a histogram per set of I/O flags (the kernel's rwbs letters)\n"
	  "  -Q, --queued       from the request's start (queued), not its issue to the driver\n"
	  "  -m, --milliseconds   in msecs instead of usecs\n"
	  "  --disk NAME        that disk only (vda, sda, nvme0n1: "
	  "/sys/class/block)\n" TOOL_DURATION
	  "  -i, --interval S   print the histogram of every S seconds\n" TOOL_TIMESTAMP TOOL_JSON
	  "  --live             open in 'ftrig top' instead\n" TOOL_BACKEND,
	  NULL },
	{ "execsnoop", ft_cmd_tool, "Show each exec with its arguments and return (bcc's).",
	  "execsnoop [-x] [-p PID] [-c COMM] [-d SECS] [-T] [-j] [--backend B]",
	  "  -x, --failed       failed execs only (shown with the others without it;\n"
	  "                     bcc's execsnoop shows them only with -x)\n"
	  "  -p, --pid PID      only execs of process PID (all its threads)\n" TOOL_COMM
		  TOOL_DURATION_LINES
	  "  -T, --timestamp    a TIME column, the time of day (HH:MM:SS)\n" TOOL_JSON_LINES
		  TOOL_BACKEND,
	  NULL },
	{ "opensnoop", ft_cmd_tool, "Show each open with its path and result (bcc's).",
	  "opensnoop [-x] [-p PID] [-c COMM] [-d SECS] [-T] [-j] [--backend B]",
	  "  -x, --failed       failed opens only\n"
	  "  -p, --pid PID      only opens of process PID (all its threads)\n" TOOL_COMM
		  TOOL_DURATION_LINES
	  "  -T, --timestamp    a TIME(s) column, seconds since tracing began\n" TOOL_JSON_LINES
		  TOOL_BACKEND,
	  NULL },
	{ "trace", ft_cmd_tool, "Print a line per call of functions or tracepoints (bcc's).",
	  "trace [-p PID] [--tid TID] [-n NAME] [-M MAX] [-d SECS] [-T] [-j] PROBE...",
	  "  PROBE              [p:|r:]FUNC, [p:|r:]BINARY:SYMBOL or t:SYSTEM:EVENT, then\n"
	  "                     an optional (FILTER) and \"FORMAT\", ARGS as bcc's trace:\n"
	  "                     'r::do_sys_openat2 (retval < 0) \"%d\", retval'; ARGS are\n"
	  "                     arg1..arg6 (arg2@user: a user string), retval,\n"
	  "                     args->FIELD; filtered in the kernel\n"
	  "  -p, --pid PID      only the threads of process PID\n"
	  "  --tid TID          only thread TID (bcc's -L)\n"
	  "  -n, --name NAME    only tasks whose name contains NAME\n"
	  "  -M, --max-events N   stop after N events\n" TOOL_DURATION
	  "  -T, --timestamp    a TIME column (HH:MM:SS)\n"
	  "  -j, --json         one JSON object per event\n",
	  NULL },
	{ "help", NULL, "Show help for ftrig or one command.", "help [COMMAND]", "", NULL },
};

/**
 * ft_cmd_find() - look a subcommand up by name
 * @name: the name
 *
 * Return: its table row, or NULL.
 */
const struct ft_cmd *ft_cmd_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/**
 * ft_cmd_verbs() - the handler of a command with sub-verbs: run the verb argv[1] names
 * @cmd: the command's table row; @cmd->verbs lists its verbs
 * @argc: argument count
 * @argv: arguments; argv[0] is the command, argv[1] the verb
 *
 * The verb's handler gets argv from the verb on, with getopt reset.
 *
 * Return: the verb's FT_EXIT_* code; FT_EXIT_USAGE for a missing or unknown verb.
 */
int ft_cmd_verbs(const struct ft_cmd *cmd, int argc, char **argv)
{
	const struct ft_verbs *vs = cmd->verbs;

	if (argc < 2)
		return ft_usage_error(cmd, "%s", vs->missing);
	for (size_t i = 0; i < vs->n; i++) {
		const struct ft_verb *v = &vs->v[i];

		if (strcmp(argv[1], v->name) && (!v->alias || strcmp(argv[1], v->alias)))
			continue;
		optind = 0;
		return v->run(cmd, argc - 1, argv + 1);
	}
	return ft_usage_error(cmd, "%s%s%s", vs->unknown[0], argv[1], vs->unknown[1]);
}

/* "ftrig: no command 'hsit'; did you mean hist?" (CMD-9) */
static void no_command(const char *name)
{
	const char *names[sizeof(commands) / sizeof(commands[0])];
	char hint[256];

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		names[i] = commands[i].name;
	ft_suggest_hint(name, names, NULL, sizeof(commands) / sizeof(commands[0]), hint,
			sizeof(hint));
	fprintf(stderr, "ftrig: no command '%s'%s%s\n", name, hint,
		*hint ? "" : "; 'ftrig --help' lists them");
}

static void main_help(FILE *f)
{
	fprintf(f, "usage: ftrig [--version] [--help] [-v] COMMAND [ARGS]\n\n"
		   "ftrig manages tracefs probes, triggers and histograms, and cleans up after "
		   "itself.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].run != ft_cmd_tool)
			fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\ntools (man ftrig-tools):\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].run == ft_cmd_tool)
			fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n-v (--verbose) before the command shows debug messages (libbpf's, the "
		   "verifier's).\n'ftrig help COMMAND' or 'ftrig COMMAND --help' shows a command's "
		   "options.\n");
}

static int help(int argc, char **argv)
{
	const struct ft_cmd *cmd;

	if (argc < 2) {
		main_help(stdout);
		return FT_EXIT_OK;
	}
	/* `help --help` is help about help, not a command named "--help" (CMD-12). */
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		argv[1] = "help";
	if (argc > 2) {
		cmd = ft_cmd_find("help");
		return ft_usage_error(cmd, "help takes one COMMAND, not '%s'", argv[2]);
	}
	cmd = ft_cmd_find(argv[1]);
	if (!cmd) {
		no_command(argv[1]);
		return FT_EXIT_USAGE;
	}
	ft_cmd_help(cmd, stdout);
	return FT_EXIT_OK;
}

/* Remove every --verbose before "--" from @argv, turning debug messages on; the new argc. */
static int take_verbose(int argc, char **argv)
{
	int i = 1, n = 1;

	for (; i < argc && strcmp(argv[i], "--"); i++)
		if (strcmp(argv[i], "--verbose"))
			argv[n++] = argv[i];
		else
			ft_log_set_verbosity(FT_LOG_DEBUG);
	while (i < argc)
		argv[n++] = argv[i++];
	argv[n] = NULL;
	return n;
}

/* Whether the arguments ask for help (before any "--"). */
static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

/**
 * ft_main() - run ftrig with a command line
 * @argc: argument count
 * @argv: arguments, argv[0] being the program
 *
 * Return: the exit status: FT_EXIT_OK, FT_EXIT_ERR or FT_EXIT_USAGE.
 */
int ft_main(int argc, char **argv)
{
	const struct ft_cmd *cmd;

	/* -v is ftrig's, before the command (hist diff has a -v of its own); --verbose is
	 * taken anywhere before "--". Every command has the log. */
	while (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--verbose"))) {
		ft_log_set_verbosity(FT_LOG_DEBUG);
		argv[1] = argv[0];
		argc--, argv++;
	}
	argc = take_verbose(argc, argv);
	if (argc < 2) {
		main_help(stderr);
		return FT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help(1, argv);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ftrig %s\n", FT_VERSION);
		return FT_EXIT_OK;
	}
	cmd = ft_cmd_find(argv[1]);
	if (!cmd) {
		no_command(argv[1]);
		return FT_EXIT_USAGE;
	}
	if (!cmd->run)
		return help(argc - 1, argv + 1);
	if (wants_help(argc - 1, argv + 1)) {
		ft_cmd_help(cmd, stdout);
		return FT_EXIT_OK;
	}
	optind = 0;
	return cmd->run(cmd, argc - 1, argv + 1);
}
