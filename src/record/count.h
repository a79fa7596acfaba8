/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_RECORD_COUNT_H
#define FT_RECORD_COUNT_H

#include <stddef.h>

#include "hist/hist.h"
#include "hist/spec.h"

/* A histogram counted from decoded records, as the BPF backend counts (src/record/count.c). */
struct ft_rec_count;
struct ft_bpf_plan;
struct tep_handle;
struct tep_event;
struct tep_record;

int ft_rec_count_alloc(const struct ft_hist_spec *spec, struct tep_handle *tep,
		       struct ft_rec_count **out, char *err, size_t errsize);
void ft_rec_count_free(struct ft_rec_count *c);
int ft_rec_count_index(const struct ft_rec_count *c, const struct tep_event *ev);
int ft_rec_count_add(struct ft_rec_count *c, struct tep_record *rec);
int ft_rec_count_hist(struct ft_rec_count *c, struct ft_hist **out);

#endif
