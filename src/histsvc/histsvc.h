/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HISTSVC_H
#define FT_HISTSVC_H

/*
 * The histogram service: the one place that starts, controls, finds, reads and watches
 * histograms, on either backend (a kernel hist trigger, or a BPF aggregation), for `hist`,
 * `top`, `trigger ls` and whatever counts events next. The commands parse and print; the
 * model, parser and exporters (src/hist/) stay pure; each backend is reached through its
 * table only, the hist triggers (src/triggers/) through struct ft_histsvc_hist and the BPF
 * backend (src/bpf/) through struct ft_histsvc_bpf, so that a test can stand in for either.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "triggers/apply.h"

struct ft_bpf_agg;
struct ft_bpf_plan;
struct ft_dry;
struct ft_event_format;
struct ft_hist;
struct ft_hist_entry;
struct ft_hist_spec;
struct ft_ledger;
struct ft_listed;
struct ft_session;
struct ft_source;
struct ft_tfs;
struct ft_writes;

/* Which backend counts a histogram: what --backend says, and what was chosen. */
enum ft_backend {
	FT_BACKEND_AUTO, /* hist triggers where the kernel has them and the spec fits, else BPF */
	FT_BACKEND_HIST, /* a kernel hist trigger */
	FT_BACKEND_BPF, /* a BPF aggregation */
	FT_BACKEND_BOTH, /* both, on the same event: a cross-check */
};

/* What `hist pause|cont|clear|rm` do to a histogram (ft_histsvc_control()). */
enum ft_hist_op { FT_HIST_PAUSE, FT_HIST_CONT, FT_HIST_CLEAR, FT_HIST_RM };

int ft_backend_lookup(const char *name);
const char *ft_backend_name(enum ft_backend b);

/**
 * struct ft_histsvc_bpf - the BPF backend as the service calls it (src/bpf/'s API)
 * @usable: whether this kernel and build load BPF at all; @why says why not
 * @check: whether it can count a spec here, without loading (0), else -errno and @why
 * @create: load and attach an aggregation of a spec (unpinned: it goes with @destroy)
 *
 * @check and @create take the formats of the spec's event and of its latency's end event
 * when the command has read them already (struct ft_histsvc_event), so that they are not
 * read and parsed again, or NULL.
 * @pin: pin it under a name and journal it in the ledger (-EEXIST: the name is taken)
 * @open: open a pinned aggregation by name
 * @snapshot: its table as a new struct ft_hist
 * @pause: set or clear its paused flag
 * @clear: empty its table
 * @plan: what it counts (event, trigger text, events)
 * @destroy: close it (a pinned one stays)
 * @remove: unpin one and drop it from the ledger
 * @pin_dir: the directory one of that name is pinned in
 * @list: the names of every pinned aggregation (free with @list_free)
 * @find: the names of those counting an event (of that name, when not NULL)
 * @list_free: free what @list or @find returned
 * @source: a live-view source reading an aggregation (it takes @a over)
 */
struct ft_histsvc_bpf {
	bool (*usable)(char *why, size_t size);
	int (*check)(struct ft_tfs *t, const struct ft_hist_spec *spec, struct ft_event_format *fmt,
		     struct ft_event_format *end_fmt, char *why, size_t size);
	int (*create)(struct ft_tfs *t, const struct ft_hist_spec *spec,
		      struct ft_event_format *fmt, struct ft_event_format *end_fmt, bool hist_can,
		      struct ft_bpf_agg **out);
	int (*pin)(struct ft_bpf_agg *a, struct ft_ledger *l, const char *name);
	int (*open)(const char *name, struct ft_bpf_agg **out);
	int (*snapshot)(struct ft_bpf_agg *a, struct ft_hist **out);
	int (*pause)(struct ft_bpf_agg *a, bool pause);
	int (*clear)(struct ft_bpf_agg *a);
	const struct ft_bpf_plan *(*plan)(const struct ft_bpf_agg *a);
	void (*destroy)(struct ft_bpf_agg *a);
	int (*remove)(struct ft_ledger *l, const char *name);
	int (*pin_dir)(const char *name, char *buf, size_t size);
	int (*list)(char ***names, size_t *n);
	int (*find)(const char *sys, const char *event, const char *name, char ***out, size_t *n);
	void (*list_free)(char **names);
	struct ft_source *(*source)(struct ft_bpf_agg *a);
};

const struct ft_histsvc_bpf *ft_histsvc_bpf_kernel(void);

/**
 * struct ft_histsvc_hist - the hist-trigger backend as the service calls it (src/triggers/)
 * @open: read an event for trigger work (its format, the kernel's README and triggers)
 * @close: free what @open read
 * @check: whether the event of a context can count a spec (0), else -errno and @why; a
 *         latency's end event is the second context (NULL for a spec without one)
 * @start: write a spec's hist trigger (a latency's synthetic event and triggers), journaled,
 *         on the events of the contexts @check took
 * @list: the triggers an event's trigger file lists, with their owners
 * @list_free: free what @list returned
 * @is_hist: whether a listed trigger is a hist trigger (of a name, when not NULL)
 * @control: write a listed hist trigger back with pause, cont or clear
 * @remove: remove a trigger ftrig wrote, by the text written (the ledger undoes it)
 * @latency_find: the latency (its synthetic event) an event starts, ends or counts
 * @latency_rm: remove a latency's triggers and synthetic event, found by one of its events
 * @source: a source reading an event's hist triggers (all, or the one of a name)
 */
struct ft_histsvc_hist {
	int (*open)(struct ft_trig_ctx *c, struct ft_tfs *t, const char *instance,
		    const char *event);
	void (*close)(struct ft_trig_ctx *c);
	int (*check)(struct ft_trig_ctx *c, struct ft_trig_ctx *end,
		     const struct ft_hist_spec *spec, char *why, size_t size);
	int (*start)(struct ft_trig_ctx *c, struct ft_trig_ctx *end, struct ft_ledger *l,
		     const struct ft_hist_spec *spec, struct ft_writes *dry, FILE *out);
	int (*list)(struct ft_tfs *t, const char *instance, const char *event, struct ft_listed **v,
		    size_t *n);
	void (*list_free)(struct ft_listed *v, size_t n);
	bool (*is_hist)(const char *text, const char *name);
	int (*control)(struct ft_trig_ctx *c, const char *listed, enum ft_hist_op op,
		       struct ft_dry *dry, FILE *out);
	int (*remove)(struct ft_trig_ctx *c, struct ft_ledger *l, const char *written,
		      struct ft_dry *dry, FILE *out);
	int (*latency_find)(struct ft_tfs *t, const char *instance, const char *event,
			    const char *name, char *synth, size_t size);
	int (*latency_rm)(struct ft_tfs *t, struct ft_ledger *l, const char *instance,
			  const char *event, const char *name, struct ft_dry *dry, FILE *out,
			  char *synth, size_t size);
	struct ft_source *(*source)(struct ft_tfs *t, const char *instance, const char *system,
				    const char *event, const char *name);
};

const struct ft_histsvc_hist *ft_histsvc_hist_kernel(void);

/**
 * struct ft_histsvc - what the service works with
 * @tfs: tracefs
 * @ledger: where what it creates is journaled: the persistent ledger (`hist start`), the
 *          session's (`top`), or NULL (reading, dry runs)
 * @session: the session whose private instance new hist triggers of `top` go into, or NULL
 * @hist: the hist-trigger backend
 * @bpf: the BPF backend
 */
struct ft_histsvc {
	struct ft_tfs *tfs;
	struct ft_ledger *ledger;
	struct ft_session *session;
	const struct ft_histsvc_hist *hist;
	const struct ft_histsvc_bpf *bpf;
};

void ft_histsvc_init(struct ft_histsvc *svc, struct ft_tfs *t, struct ft_ledger *l,
		     struct ft_session *s);

/**
 * struct ft_histsvc_event - what a command reads of the events it counts, once
 * @ctx: the event as the trigger side knows it: its format (and fields), the kernel's
 *       README and available triggers; valid when @state is 1
 * @state: 0 not read yet, 1 read, -1 unreadable (no such event; said when it was read)
 * @end: a latency's end event, likewise
 * @end_state: @state of @end
 * @hist: the backend that read them, and frees them
 * @fmt: the event's format alone (owned), where --backend bpf needed nothing of the trigger
 *       side: its README and trigger files are then not read (the trigger file waits for
 *       the kernel's event_mutex, on the way to the attachment)
 *
 * Read at the first need and passed down to both backends (ft_histsvc_event_format()), so
 * that one command reads and parses the event's format once, whatever they check and write.
 */
struct ft_histsvc_event {
	struct ft_trig_ctx ctx;
	int state;
	struct ft_trig_ctx end;
	int end_state;
	const struct ft_histsvc_hist *hist;
	struct ft_event_format *fmt;
};

struct ft_trig_ctx *ft_histsvc_event_get(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
					 const char *instance, const char *system,
					 const char *event);
struct ft_trig_ctx *ft_histsvc_event_end(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
					 const struct ft_hist_spec *spec);
struct ft_event_format *ft_histsvc_event_format(const struct ft_histsvc_event *ev);
struct ft_event_format *ft_histsvc_event_end_format(const struct ft_histsvc_event *ev);
void ft_histsvc_event_release(struct ft_histsvc_event *ev);

/**
 * struct ft_hist_store - the event lists an expanded request's names point into
 * @n: how many
 * @lists: the events of a system each glob was matched against (ft_tfs_events())
 */
struct ft_hist_store {
	size_t n;
	char **lists[];
};

int ft_hist_spec_expand(struct ft_tfs *t, const struct ft_hist_spec *in, struct ft_hist_spec *out,
			struct ft_hist_store **store);
void ft_hist_spec_store_free(struct ft_hist_store *store);

int ft_histsvc_choose(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
		      const struct ft_hist_spec *spec, enum ft_backend want, enum ft_backend *out);
int ft_histsvc_choose_live(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
			   const struct ft_hist_spec *spec, enum ft_backend want,
			   enum ft_backend *out);
int ft_histsvc_start(struct ft_histsvc *svc, const struct ft_hist_spec *spec, enum ft_backend want,
		     struct ft_writes *dry, FILE *out);
int ft_histsvc_control(struct ft_histsvc *svc, const char *instance, const char *event,
		       const char *name, enum ft_hist_op op, struct ft_dry *dry, FILE *out);

/**
 * struct ft_hist_where - an event whose hists are read, and where
 * @system: its system
 * @event: its name
 * @instance: the instance, or NULL (or "") for the top level
 * @name: the hist's name, or NULL for every hist of the event
 * @own_only: the event's own hists only, not the histogram of a latency it starts or ends
 *            (which its synthetic event holds): for --all, which reads that one too
 */
struct ft_hist_where {
	char system[256];
	char event[256];
	const char *instance;
	const char *name;
	bool own_only;
};

/**
 * struct ft_hist_target - an event found to have hists, with its instance's name
 * @w: the event; @w.instance points at @inst
 * @inst: the instance, "" for the top level
 */
struct ft_hist_target {
	struct ft_hist_where w;
	char inst[256];
};

int ft_histsvc_collect(struct ft_histsvc *svc, const struct ft_hist_where *w, struct ft_hist ***v,
		       size_t *n);
int ft_histsvc_find_all(struct ft_histsvc *svc, struct ft_hist_target **v, size_t *n);
int ft_histsvc_event_check(struct ft_tfs *t, const char *instance, const char *system,
			   const char *event, bool quiet_nohist);
void ft_histsvc_no_such_name(struct ft_histsvc *svc, const char *instance, const char *system,
			     const char *event, const char *name, const struct ft_listed *v,
			     size_t n);

/* What ft_histsvc_each_agg() hands on: an aggregation's pinned name and plan. */
typedef void (*ft_histsvc_agg_fn)(const char *name, const struct ft_bpf_plan *plan, void *data);
void ft_histsvc_each_agg(struct ft_histsvc *svc, const char *system, const char *event,
			 ft_histsvc_agg_fn fn, void *data);

int ft_histsvc_source(struct ft_histsvc *svc, const struct ft_hist_spec *spec, enum ft_backend want,
		      struct ft_source **out);
int ft_histsvc_attach(struct ft_histsvc *svc, const struct ft_hist_spec *spec,
		      struct ft_source **out);

void ft_histsvc_cross_check(struct ft_hist *const *v, size_t n, FILE *out);
void ft_hist_key_text(const struct ft_hist *h, const struct ft_hist_entry *e, char *buf,
		      size_t size);

/* kread.c: a kernel hist trigger's table, read through tracefs. */
void ft_hist_apply_format(struct ft_hist *h, const struct ft_event_format *fmt);
struct ft_source *ft_hist_source_alloc(struct ft_tfs *t, const char *instance, const char *system,
				       const char *event, const char *name);

#endif
