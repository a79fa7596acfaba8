// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfwalk.c: member offsets from BTF blobs that libbpf's writer makes (every kind it walks
 * over before the struct, a forward declaration, a bitfield, a member of an anonymous union),
 * read whole and through small windows that are overwritten at each read (as the pread reader
 * does); and on this machine's kernel BTF, against libbpf's own parse.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bpf/btfwalk.h"
#include "config.h"

#if HAVE_LIBBPF
#include <bpf/btf.h>
#endif

/* A blob in memory, read whole (@win 0) or through windows of @win bytes per region, each
 * refill poisoning what the last read returned. */
struct mem {
	const char *data;
	size_t size;
	size_t win;
	char buf[2][64];
};

static const void *mem_at(void *priv, uint64_t off, size_t len, enum ft_btf_region region)
{
	struct mem *m = priv;

	if (off > m->size || len > m->size - off)
		return NULL;
	if (!m->win)
		return m->data + off;
	if (len > m->win)
		return NULL;
	memset(m->buf[region], 0xa5, sizeof(m->buf[region]));
	memcpy(m->buf[region], m->data + off, len);
	return m->buf[region];
}

static const char *const ids[] = { "pid", "tgid" };

#if HAVE_LIBBPF
/* A task_struct after one of each kind the walk steps over, and a forward declaration of it
 * first. */
static struct btf *sample(void)
{
	struct btf *b = btf__new_empty();
	int i32, s, e, fp, anon, td;

	assert_non_null(b);
	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	assert_true(btf__add_fwd(b, "task_struct", BTF_FWD_STRUCT) > 0);
	assert_true(btf__add_ptr(b, i32) > 0);
	assert_true(btf__add_array(b, i32, i32, 16) > 0);
	td = btf__add_typedef(b, "pid_t", i32);
	assert_true(td > 0);
	assert_true(btf__add_const(b, i32) > 0);
	assert_true(btf__add_volatile(b, i32) > 0);
	assert_true(btf__add_restrict(b, btf__add_ptr(b, i32)) > 0);
	e = btf__add_enum(b, "e", 4);
	assert_int_equal(btf__add_enum_value(b, "E1", 1), 0);
	assert_int_equal(btf__add_enum_value(b, "E2", 2), 0);
	assert_true(e > 0);
	assert_true(btf__add_enum64(b, "e64", 8, false) > 0);
	assert_int_equal(btf__add_enum64_value(b, "F1", 1ULL << 40), 0);
	fp = btf__add_func_proto(b, i32);
	assert_int_equal(btf__add_func_param(b, "x", i32), 0);
	assert_true(btf__add_func(b, "f", BTF_FUNC_GLOBAL, fp) > 0);
	assert_true(btf__add_float(b, "double", 8) > 0);
	assert_true(btf__add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, i32) > 0);
	assert_true(btf__add_datasec(b, ".data", 4) > 0);
	assert_int_equal(btf__add_datasec_var_info(b, btf__type_cnt(b) - 2, 0, 4), 0);
	assert_true(btf__add_decl_tag(b, "tag", td, -1) > 0);
	assert_true(btf__add_type_tag(b, "user", i32) > 0);
	/* another struct with the members' names first */
	s = btf__add_struct(b, "other", 8);
	assert_int_equal(btf__add_field(b, "tgid", i32, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "pid", i32, 32, 0), 0);
	anon = btf__add_union(b, NULL, 4);
	assert_int_equal(btf__add_field(b, "in_union", i32, 0, 0), 0);
	s = btf__add_struct(b, "task_struct", 64);
	assert_true(s > 0);
	assert_int_equal(btf__add_field(b, "flags", i32, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "bits", i32, 32, 3), 0);
	assert_int_equal(btf__add_field(b, NULL, anon, 64, 0), 0);
	assert_int_equal(btf__add_field(b, "pid", i32, 128, 0), 0);
	assert_int_equal(btf__add_field(b, "tgid", i32, 160, 0), 0);
	return b;
}

static int walk(const struct btf *b, size_t win, const char *type, const char *const *names,
		size_t n, uint32_t *offs)
{
	struct mem m = { .win = win };
	uint32_t size;
	struct ft_btf_src src = { mem_at, &m };

	m.data = btf__raw_data(b, &size);
	assert_non_null(m.data);
	m.size = size;
	return ft_btf_member_offsets(&src, type, names, n, offs);
}

static void test_found(void **state)
{
	struct btf *b = sample();
	static const size_t wins[] = { 0, 24, 64 };
	uint32_t offs[2];

	(void)state;
	for (size_t w = 0; w < 3; w++) {
		memset(offs, 0, sizeof(offs));
		assert_int_equal(walk(b, wins[w], "task_struct", ids, 2, offs), 0);
		assert_int_equal(offs[0], 16);
		assert_int_equal(offs[1], 20);
		/* in the other order, and the other struct */
		static const char *const rev[] = { "tgid", "pid" };
		assert_int_equal(walk(b, wins[w], "task_struct", rev, 2, offs), 0);
		assert_int_equal(offs[0], 20);
		assert_int_equal(offs[1], 16);
		assert_int_equal(walk(b, wins[w], "other", ids, 2, offs), 0);
		assert_int_equal(offs[0], 4);
		assert_int_equal(offs[1], 0);
	}
	btf__free(b);
}

static void test_not_found(void **state)
{
	struct btf *b = sample();
	static const char *const missing[] = { "pid", "comm" };
	static const char *const bits[] = { "bits" };
	static const char *const nested[] = { "in_union" };
	static const char *const prefix[] = { "pi" };
	uint32_t offs[2];

	(void)state;
	assert_int_equal(walk(b, 0, "mm_struct", ids, 2, offs), -ENOENT);
	assert_int_equal(walk(b, 0, "task", ids, 2, offs), -ENOENT);
	assert_int_equal(walk(b, 0, "task_struct", missing, 2, offs), -ENOENT);
	/* a bitfield has no byte offset; an anonymous union's member is not looked into */
	assert_int_equal(walk(b, 0, "task_struct", bits, 1, offs), -ENOENT);
	assert_int_equal(walk(b, 0, "task_struct", nested, 1, offs), -ENOENT);
	assert_int_equal(walk(b, 0, "task_struct", prefix, 1, offs), -ENOENT);
	btf__free(b);
}

static void test_bad_blobs(void **state)
{
	struct btf *b = sample();
	uint32_t size, offs[2];
	const char *raw = btf__raw_data(b, &size);
	char *copy = malloc(size);
	struct mem m = { .data = copy };
	struct ft_btf_src src = { mem_at, &m };

	(void)state;
	assert_non_null(copy);
	memcpy(copy, raw, size);
	/* cut inside the types: the walk runs out of blob before it finds the struct */
	m.size = 60;
	assert_int_equal(ft_btf_member_offsets(&src, "task_struct", ids, 2, offs), -EINVAL);
	m.size = 10;
	assert_int_equal(ft_btf_member_offsets(&src, "task_struct", ids, 2, offs), -EINVAL);
	/* the other byte order's magic */
	m.size = size;
	copy[0] = (char)0xeb, copy[1] = (char)0x9f;
	assert_int_equal(ft_btf_member_offsets(&src, "task_struct", ids, 2, offs), -EINVAL);
	/* a kind the walk cannot step over (the int's info word made kind 31) */
	memcpy(copy, raw, size);
	{
		uint32_t hdr_len, type_off, info = 31u << 24;

		memcpy(&hdr_len, copy + 4, 4);
		memcpy(&type_off, copy + 8, 4);
		memcpy(copy + hdr_len + type_off + 4, &info, 4);
	}
	assert_int_equal(ft_btf_member_offsets(&src, "task_struct", ids, 2, offs), -EINVAL);
	free(copy);
	btf__free(b);
}

/* This machine's kernel: the offsets ftrig loads pids from are those libbpf reads. */
static void test_running_kernel(void **state)
{
	struct btf *b;
	const struct btf_type *t;
	const struct btf_member *m;
	uint16_t pid = 0, tgid = 0;
	uint32_t want[2] = { 0, 0 };
	int id;

	(void)state;
	/* without kernel BTF there is nothing to compare: ftrig then reads ids by helper */
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		assert_int_not_equal(ft_btf_task_ids(&pid, &tgid), 0);
		return;
	}
	b = btf__parse("/sys/kernel/btf/vmlinux", NULL);
	assert_non_null(b);
	id = btf__find_by_name_kind(b, "task_struct", BTF_KIND_STRUCT);
	assert_true(id > 0);
	t = btf__type_by_id(b, id);
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++)
		for (int j = 0; j < 2; j++)
			if (!strcmp(btf__name_by_offset(b, m[i].name_off), ids[j]))
				want[j] = btf_member_bit_offset(t, i) / 8;
	btf__free(b);
	assert_int_not_equal(want[0], 0);
	assert_int_equal(ft_btf_task_ids(&pid, &tgid), 0);
	assert_int_equal(pid, want[0]);
	assert_int_equal(tgid, want[1]);
}

#endif /* HAVE_LIBBPF: the blobs are libbpf's writer's */

/* A blob that is no BTF (a zeroed header) and one cut short of its header. */
static void test_no_btf(void **state)
{
	static const char zero[32];
	struct mem m = { .data = zero, .size = sizeof(zero) };
	struct ft_btf_src src = { mem_at, &m };
	uint32_t offs[2];

	(void)state;
	assert_int_equal(ft_btf_member_offsets(&src, "task_struct", ids, 2, offs), -EINVAL);
	m.size = 8;
	assert_int_equal(ft_btf_member_offsets(&src, "task_struct", ids, 2, offs), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_btf),
#if HAVE_LIBBPF
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_bad_blobs),
		cmocka_unit_test(test_running_kernel),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
