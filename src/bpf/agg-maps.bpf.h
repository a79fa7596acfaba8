/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The aggregator's maps (agg.bpf.c only; user space knows them by name through the
 * skeleton). Apart so that the program's logic reads on its own: included once, after the
 * build's loop sizes are set.
 */
#ifndef FT_AGG_MAPS_BPF_H
#define FT_AGG_MAPS_BPF_H

/*
 * The table: entries in slots, an array user space maps, so that reading the table is
 * reading memory (a live view reads it every second); slot_of finds a key's slot. Their
 * key and value sizes are set before load to the plan's packed key size (cfg.ksize), so they
 * are declared by sizes, without BTF types that would then disagree.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2048);
	__uint(key_size, FT_BPF_KEY_MAX);
	__uint(value_size, sizeof(__u32));
} slot_of SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2048);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, FT_BPF_SLOT(FT_BPF_KEY_MAX));
} slots SEC(".maps");

/* Where a key is built: too large for the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, FT_BPF_KEY_MAX + 8); /* and the table's number (cfg.rotate) */
} scratch SEC(".maps");

/*
 * Each CPU's last key and its slot: events come in runs of one key (a process's calls), and
 * a key the front holds skips the index's hash lookup. It names the slot by number, and only
 * under the control word FT_BPF_CTL_GEN it was filled under: a clear or a turn changes that
 * word, so a slot emptied and handed to another key is never counted into from here.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_bpf_front);
} front SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FT_STAT_NSTATS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FT_BPF_CTL_N);
	__type(key, __u32);
	__type(value, __u64);
} ctl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, FT_BPF_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

/* Latency mode: when each pending start happened, by its thread id or its match fields'
 * values (one word each, the rest zero). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__uint(key_size, FT_BPF_MAX_MATCH * sizeof(__u64));
	/* By size, as the key: a BTF value type without a key type makes the kernel refuse the
	 * map and libbpf create it a second time without BTF. */
	__uint(value_size, sizeof(__u64));
} starts SEC(".maps");

#endif
