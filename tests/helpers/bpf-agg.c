// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test helper for the BPF backend: runs one
 * aggregation on the real kernel through the library and prints the resulting ft_hist.
 *
 * usage: bpf-agg [-k FIELD[.MOD]]... [-v FIELD]... [-f FILTER] [-e SYS:END] [-s SIZE]
 *                [-o FIELD[.descending]] [-n NAME] [-a SYS:GLOB]... SYS:EVENT [-- CMD ARGS...]
 *        bpf-agg -r NAME     print a pinned aggregation
 *        bpf-agg -x NAME     remove a pinned aggregation (through the persistent ledger)
 *        bpf-agg -P|-C|-Z NAME    pause, continue, clear a pinned aggregation
 *        bpf-agg -l          list pinned aggregations: NAME EVENT TRIGGER
 *        bpf-agg -u PATH SYMBOL   print SYMBOL's file offset in PATH (for uprobe_events)
 *   -k  a key (up to three)     -v  a summed value      -f  filter; "@CHILD" becomes CMD's pid
 *   -e  latency mode: the end event (SYS:EVENT is the start)
 *   -a  also count the events of SYS matching GLOB with the same program
 *   -n  pin under /sys/fs/bpf/ftrig/NAME, journaled in the persistent ledger, and exit
 * With CMD, the aggregation is attached before CMD starts and printed after it exits;
 * without, it counts until SIGINT/SIGTERM. It prints "attached in N us" first.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf/ftbpf.h"
#include "hist/spec.h"
#include "ledger.h"
#include "log.h"
#include "session.h"
#include "tfs.h"
#include "histsvc/histsvc.h"
#include "util.h"

static void print_key(const struct ft_hist_col *col, const struct ft_key *k)
{
	switch (col->kind) {
	case FT_KEY_STR:
		printf("%s", k->str);
		break;
	case FT_KEY_EXECNAME:
		printf("%s [%" PRIu64 "]", k->str, k->num);
		break;
	case FT_KEY_SYSCALL:
		printf("%s", k->str ? k->str : "unknown");
		break;
	case FT_KEY_LOG2:
		printf("~ 2^%" PRIu64, k->num);
		break;
	case FT_KEY_BUCKET:
		printf("~ %" PRIu64 "-%" PRIu64, k->lo, k->hi - 1);
		break;
	case FT_KEY_HEX:
		printf("0x%" PRIx64, k->num);
		break;
	case FT_KEY_SYM:
		printf("%s", k->str ? k->str : "?");
		break;
	case FT_KEY_STACK:
		for (size_t i = 0; i < k->nframes; i++)
			printf("%s%s", i ? ";" : "", k->frames[i]);
		if (!k->nframes)
			printf("%s", k->str ? k->str : "");
		break;
	default:
		printf(col->is_signed ? "%" PRId64 : "%" PRIu64, k->num);
	}
}

static void print_hist(const struct ft_hist *h)
{
	printf("# %s %s backend=%s name=%s\n", h->event, h->trigger, h->backend, h->name);
	for (size_t e = 0; e < h->nentries; e++) {
		printf("{ ");
		for (size_t i = 0; i < h->nkeys; i++) {
			printf("%s%s: ", i ? ", " : "", h->keys[i].name);
			print_key(&h->keys[i], &h->entries[e].keys[i]);
		}
		printf(" }");
		for (size_t v = 0; v < h->nvals; v++)
			printf(" %s: %" PRIu64, h->vals[v].name, h->entries[e].vals[v]);
		printf("\n");
	}
	printf("Totals: hits %" PRIu64 " entries %" PRIu64 " dropped %" PRIu64 "\n", h->hits,
	       h->nentries_total, h->dropped);
}

static int show(struct ft_bpf_agg *a)
{
	struct ft_hist *h;
	int ret = ft_bpf_agg_snapshot(a, &h);

	if (ret) {
		fprintf(stderr, "bpf-agg: snapshot: %s\n", strerror(-ret));
		return 1;
	}
	print_hist(h);
	ft_hist_free(h);
	return 0;
}

static int list_pinned(void)
{
	struct ft_bpf_agg *a;
	char **names;
	size_t n;
	int ret = ft_bpf_pinned_list(&names, &n);

	for (size_t i = 0; !ret && i < n; i++) {
		if (ft_bpf_agg_open_pinned(names[i], &a))
			continue; /* going away meanwhile */
		printf("%s %s:%s %s\n", names[i], ft_bpf_agg_plan(a)->system,
		       ft_bpf_agg_plan(a)->event, ft_bpf_agg_plan(a)->trigger);
		ft_bpf_agg_destroy(a);
	}
	ft_bpf_pinned_list_free(names);
	return ret ? 1 : 0;
}

static int persistent(struct ft_tfs **tfs, struct ft_ledger **l)
{
	int ret = ft_tfs_open(tfs);

	if (!ret)
		ret = ft_ledger_open_persistent(l, *tfs, ft_ledger_state_dir());
	if (ret)
		fprintf(stderr, "bpf-agg: persistent ledger: %s\n", strerror(-ret));
	return ret;
}

static int pinned(const char *name, char what)
{
	struct ft_bpf_agg *a;
	struct ft_ledger *l;
	struct ft_tfs *tfs;
	int ret;

	if (what == 'x') {
		if (persistent(&tfs, &l))
			return 1;
		ret = ft_bpf_agg_remove(l, name);
		ft_ledger_close(l);
		ft_tfs_close(tfs);
		if (ret)
			fprintf(stderr, "bpf-agg: remove %s: %s\n", name, strerror(-ret));
		return ret ? 1 : 0;
	}
	ret = ft_bpf_agg_open_pinned(name, &a);
	if (ret) {
		fprintf(stderr, "bpf-agg: open %s: %s\n", name, strerror(-ret));
		return 1;
	}
	if (what == 'P' || what == 'C')
		ret = ft_bpf_agg_pause(a, what == 'P');
	else if (what == 'Z')
		ret = ft_bpf_agg_clear(a);
	else
		ret = show(a);
	if (ret < 0)
		fprintf(stderr, "bpf-agg: -%c %s: %s\n", what, name, strerror(-ret));
	ft_bpf_agg_destroy(a);
	return ret ? 1 : 0;
}

/* The file offset of a function, as uprobe_events wants it: its address mapped back through
 * the program header of the segment that holds it. */
static int uprobe_offset(const char *path, const char *sym)
{
	int fd = open(path, O_RDONLY), ret = 1;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Sym s;
	GElf_Phdr ph;
	Elf *e;

	elf_version(EV_CURRENT);
	e = fd < 0 ? NULL : elf_begin(fd, ELF_C_READ, NULL);
	while (e && ret && (scn = elf_nextscn(e, scn))) {
		Elf_Data *d = elf_getdata(scn, NULL);

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !d)
			continue;
		for (size_t i = 0; ret && i < sh.sh_size / sh.sh_entsize; i++) {
			size_t np;

			if (!gelf_getsym(d, (int)i, &s) ||
			    strcmp(elf_strptr(e, sh.sh_link, s.st_name), sym) ||
			    elf_getphdrnum(e, &np))
				continue;
			for (size_t p = 0; ret && p < np; p++)
				if (gelf_getphdr(e, (int)p, &ph) && ph.p_type == PT_LOAD &&
				    s.st_value >= ph.p_vaddr &&
				    s.st_value < ph.p_vaddr + ph.p_memsz) {
					printf("0x%" PRIx64 "\n",
					       s.st_value - ph.p_vaddr + ph.p_offset);
					ret = 0;
				}
		}
	}
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
	if (ret)
		fprintf(stderr, "bpf-agg: no function %s in %s\n", sym, path);
	return ret;
}

/* "FIELD[.MOD]" split in place. */
static void field_mod(char *s, const char **field, const char **mod)
{
	char *dot = strchr(s, '.');

	*field = s;
	*mod = "";
	if (dot) {
		*dot = '\0';
		*mod = dot + 1;
	}
}

/* Fork CMD stopped on a pipe, so its pid is known before the aggregation is loaded. */
static pid_t spawn(char **argv, int *go)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

static char *child_filter(const char *f, pid_t child)
{
	const char *at = strstr(f, "@CHILD");
	char *out;

	if (!at)
		return strdup(f);
	if (asprintf(&out, "%.*s%d%s", (int)(at - f), f, (int)child, at + 6) < 0)
		return NULL;
	return out;
}

static int parse(int argc, char **argv, struct ft_hist_spec *s, const char **pin,
		 const char **filter)
{
	const char *f, *m;
	char *colon;
	int c;

	while ((c = getopt(argc, argv, "k:v:f:e:s:o:n:a:")) != -1) {
		switch (c) {
		case 'k':
			field_mod(optarg, &f, &m);
			s->keys[s->nkeys++] = (struct ft_hist_keyspec){ f, m };
			break;
		case 'v':
			s->vals[s->nvals++] = (struct ft_hist_valspec){ optarg, "" };
			break;
		case 'f':
			*filter = optarg;
			break;
		case 'e':
			colon = strchr(optarg, ':');
			if (!colon)
				return -1;
			*colon = '\0';
			s->end_system = optarg;
			s->end_event = colon + 1;
			break;
		case 's':
			s->size = (unsigned)atoi(optarg);
			break;
		case 'o':
			field_mod(optarg, &f, &m);
			s->sort[s->nsort++] =
				(struct ft_hist_sortspec){ f, !strcmp(m, "descending") };
			break;
		case 'n':
			*pin = optarg;
			break;
		case 'a':
			colon = strchr(optarg, ':');
			if (s->nmore >= FT_HIST_MAX_MORE || !colon)
				return -1;
			*colon = '\0';
			s->more[s->nmore++] = (struct ft_hist_event){ optarg, colon + 1 };
			break;
		default:
			return -1;
		}
		if (s->nkeys >= FT_HIST_MAX_KEYS || s->nvals >= FT_HIST_MAX_VALS || s->nsort > 1)
			return -1;
	}
	if (optind >= argc || !(colon = strchr(argv[optind], ':')))
		return -1;
	*colon = '\0';
	s->system = argv[optind];
	s->event = colon + 1;
	s->name = *pin;
	return optind + 1;
}

static void log_stderr(enum ft_log_level level, const char *msg, void *data)
{
	fprintf(stderr, "%s\n", msg);
}

static int run(struct ft_hist_spec *spec, const char *pin, char **cmd, int go, pid_t child)
{
	static struct ft_hist_spec all;
	struct ft_hist_store *store = NULL;
	struct ft_ledger *l = NULL;
	struct ft_tfs *tfs;
	struct ft_bpf_agg *a = NULL;
	struct timespec t0, t1;
	int ret, status = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (pin ? persistent(&tfs, &l) : ft_tfs_open(&tfs))
		return 1;
	ret = ft_hist_spec_expand(tfs, spec, &all, &store);
	if (!ret)
		ret = ft_bpf_agg_create(tfs, &all, NULL, NULL, false, &a);
	if (!ret && pin)
		ret = ft_bpf_agg_pin(a, l, pin);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!ret)
		printf("attached in %ld us\n", (long)((t1.tv_sec - t0.tv_sec) * 1000000 +
						      (t1.tv_nsec - t0.tv_nsec) / 1000));
	if (!ret && *cmd) {
		if (write(go, "g", 1) != 1 || waitpid(child, &status, 0) != child)
			ret = -errno;
	} else if (!ret) {
		printf("ready\n");
		while (!ft_stop_signal)
			pause();
	}
	if (!ret)
		ret = show(a);
	ft_bpf_agg_destroy(a);
	ft_hist_spec_store_free(store);
	ft_ledger_close(l);
	ft_tfs_close(tfs);
	return ret ? 1 : status ? 3 : 0;
}

int main(int argc, char **argv)
{
	struct ft_hist_spec spec = { 0 };
	const char *pin = NULL, *filter = NULL;
	char *own_filter = NULL;
	pid_t child = 0;
	int ret, go = -1, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ft_log_set_sink(log_stderr, NULL);
	if (getenv("FTRIG_DEBUG"))
		ft_log_set_verbosity(FT_LOG_DEBUG);
	if (argc == 2 && !strcmp(argv[1], "-l"))
		return list_pinned();
	if (argc == 4 && !strcmp(argv[1], "-u"))
		return uprobe_offset(argv[2], argv[3]);
	if (argc == 3 && argv[1][0] == '-' && strchr("rxPCZ", argv[1][1]) && !argv[1][2])
		return pinned(argv[2], argv[1][1]);
	i = parse(argc, argv, &spec, &pin, &filter);
	if (i < 0) {
		fprintf(stderr, "usage: bpf-agg [-k KEY]... [-v VAL]... [-f FILTER] [-e SYS:END] "
				"[-s SIZE] [-o SORT] [-n NAME] [-a SYS:GLOB]... SYS:EVENT [-- "
				"CMD...] | -r NAME | "
				"-x NAME\n");
		return 2;
	}
	ft_signals_install();
	if (argv[i])
		child = spawn(argv + i, &go);
	if (child < 0)
		return 1;
	if (filter) {
		own_filter = child_filter(filter, child);
		spec.filter = own_filter;
	}
	ret = run(&spec, pin, argv + i, go, child);
	if (child > 0 && go >= 0) {
		close(go); /* a child not yet released exits without running */
		waitpid(child, NULL, 0);
	}
	free(own_filter);
	return ret;
}
