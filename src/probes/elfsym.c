// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF symbol -> uprobe file offset. The kernel's uprobe place is an offset into the file, and
 * a symbol's value is a virtual address: the loadable segment holding that address says where
 * its bytes sit in the file (offset = vaddr - p_vaddr + p_offset). That holds for non-PIE
 * executables (vaddr 0x400000 and up), PIE executables and shared libraries alike.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/probe.h"
#include "suggest.h"

#define MAX_MATCHES 8

/**
 * struct lookup - what the symbol tables say about one name
 * @want: the symbol looked for
 * @vaddr: the distinct addresses of functions of that name
 * @size: their sizes
 * @n: how many
 * @undefined: the name is there, but imported from another object
 * @tables: symbol tables seen
 * @near: close names, for the "did you mean"
 */
struct lookup {
	const char *want;
	GElf_Addr vaddr[MAX_MATCHES];
	GElf_Xword size[MAX_MATCHES];
	size_t n;
	bool undefined;
	int tables;
	struct ft_suggest near;
};

/* "malloc@@GLIBC_2.2.5" matches "malloc"; the version is not part of what users type. */
static bool name_eq(const char *name, const char *want)
{
	size_t n = strlen(want);

	return !strncmp(name, want, n) &&
	       (name[n] == '\0' || (name[n] == '@' && !strchr(want, '@')));
}

static void scan_table(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, struct lookup *lk)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t count = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	lk->tables++;
	for (size_t i = 0; data && i < count; i++) {
		GElf_Sym sym;
		const char *name;
		int type;
		size_t k;

		if (!gelf_getsym(data, (int)i, &sym))
			continue;
		name = elf_strptr(e, sh->sh_link, sym.st_name);
		type = GELF_ST_TYPE(sym.st_info);
		if (!name || !*name || (type != STT_FUNC && type != STT_GNU_IFUNC))
			continue;
		if (!name_eq(name, lk->want)) {
			if (sym.st_shndx != SHN_UNDEF)
				ft_suggest_add(&lk->near, name, strcspn(name, "@"));
			continue;
		}
		if (sym.st_shndx == SHN_UNDEF || !sym.st_value) {
			lk->undefined = true;
			continue;
		}
		for (k = 0; k < lk->n && lk->vaddr[k] != sym.st_value; k++)
			;
		if (k == lk->n && lk->n < MAX_MATCHES) {
			lk->vaddr[lk->n] = sym.st_value;
			lk->size[lk->n++] = sym.st_size;
		}
	}
}

/* .symtab first (it has the static functions too), .dynsym when the binary is stripped. */
static void find_symbol(Elf *e, struct lookup *lk)
{
	static const GElf_Word order[] = { SHT_SYMTAB, SHT_DYNSYM };

	for (size_t o = 0; o < 2 && !lk->n; o++) {
		Elf_Scn *scn = NULL;
		GElf_Shdr sh;

		while ((scn = elf_nextscn(e, scn)))
			if (gelf_getshdr(scn, &sh) && sh.sh_type == order[o])
				scan_table(e, scn, &sh, lk);
	}
}

/* Open @path as an ELF file; -errno with @err said when it is missing or not ELF. */
static int open_elf(const char *path, int *fd, Elf **e, char *err, size_t errsz)
{
	int ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return snprintf(err, errsz, "libelf is unusable"), -EINVAL;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		ret = -errno;
		snprintf(err, errsz, "cannot open %s: %s", path, strerror(errno));
		return ret;
	}
	*e = elf_begin(*fd, ELF_C_READ, NULL);
	if (!*e || elf_kind(*e) != ELF_K_ELF) {
		snprintf(err, errsz, "%s is not an ELF executable or shared library", path);
		elf_end(*e);
		close(*fd);
		return -ENOEXEC;
	}
	return 0;
}

/* The file offset of @vaddr; -ERANGE when no loadable segment holds it. */
static int vaddr_to_offset(Elf *e, GElf_Addr vaddr, unsigned long long *off)
{
	size_t n;

	if (elf_getphdrnum(e, &n))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_filesz) {
			*off = vaddr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ERANGE;
}

/* Whether a file offset lies in an executable loadable segment. */
static bool offset_executable(Elf *e, unsigned long long off)
{
	size_t n;

	if (elf_getphdrnum(e, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD && (ph.p_flags & PF_X) &&
		    off >= ph.p_offset && off < ph.p_offset + ph.p_filesz)
			return true;
	}
	return false;
}

static int not_found(const char *path, struct lookup *lk, char *err, size_t errsz)
{
	char near[FT_SUGGEST_MAX * (FT_SUGGEST_LEN + 4)];

	if (lk->undefined)
		snprintf(err, errsz,
			 "'%s' is not defined in %s but imported from a shared library: "
			 "probe it in the library (ldd %s lists them)",
			 lk->want, path, path);
	else if (!lk->tables)
		snprintf(err, errsz,
			 "%s has no symbol table (stripped): give a file offset, "
			 "%s:0xOFFSET",
			 path, path);
	else if (ft_suggest_list(&lk->near, near, sizeof(near)))
		snprintf(err, errsz, "no function '%s' in %s; did you mean %s?", lk->want, path,
			 near);
	else
		snprintf(err, errsz, "no function '%s' in %s (nm -D %s lists its functions)",
			 lk->want, path, path);
	return -ENOENT;
}

static int ambiguous(const char *path, Elf *e, struct lookup *lk, char *err, size_t errsz)
{
	size_t o = 0;

	o += (size_t)snprintf(err, errsz,
			      "'%s' is ambiguous in %s: %zu functions have that name,"
			      " at file offsets",
			      lk->want, path, lk->n);
	for (size_t i = 0; i < lk->n && o < errsz; i++) {
		unsigned long long off = 0;

		vaddr_to_offset(e, lk->vaddr[i], &off);
		o += (size_t)snprintf(err + o, errsz - o, "%s 0x%llx", i ? "," : "", off);
	}
	if (o < errsz)
		snprintf(err + o, errsz - o, "; pick one with %s:0xOFFSET", path);
	return -EEXIST;
}

static int resolve(Elf *e, const char *path, const char *symbol, unsigned long long add,
		   unsigned long long *file_offset, char *err, size_t errsz)
{
	struct lookup lk = { .want = symbol };

	ft_suggest_init(&lk.near, symbol);
	find_symbol(e, &lk);
	if (!lk.n)
		return not_found(path, &lk, err, errsz);
	if (lk.n > 1)
		return ambiguous(path, e, &lk, err, errsz);
	if (lk.size[0] && add >= lk.size[0]) {
		snprintf(err, errsz, "%s+%llu is past the end of %s (%llu bytes long)", symbol, add,
			 symbol, (unsigned long long)lk.size[0]);
		return -ERANGE;
	}
	if (vaddr_to_offset(e, lk.vaddr[0] + add, file_offset)) {
		snprintf(err, errsz, "%s in %s lies in no loadable segment; is the file damaged?",
			 symbol, path);
		return -ERANGE;
	}
	return 0;
}

/**
 * ft_elf_resolve() - the file offset of a function in an ELF file, for a uprobe
 * @path: the executable or shared library
 * @symbol: the function, or NULL to check that @add is a file offset of code
 * @add: an offset to add to the symbol's address, or with no symbol the file offset itself
 * @file_offset: set to the offset in the file
 * @err: why it failed: file missing or not ELF, function missing (with close names),
 *       ambiguous (with each candidate's offset), imported from another object
 * @errsz: size of @err
 *
 * Return: 0, or -errno (-ENOENT: no such file or function, -ENOEXEC: not ELF, -EEXIST:
 * ambiguous, -ERANGE: the offset lies outside the code).
 */
int ft_elf_resolve(const char *path, const char *symbol, unsigned long long add,
		   unsigned long long *file_offset, char *err, size_t errsz)
{
	int fd, ret;
	Elf *e;

	ret = open_elf(path, &fd, &e, err, errsz);
	if (ret)
		return ret;
	if (symbol) {
		ret = resolve(e, path, symbol, add, file_offset, err, errsz);
	} else if (!offset_executable(e, add)) {
		snprintf(err, errsz,
			 "file offset 0x%llx is not in the code of %s "
			 "(readelf -lW %s shows its segments)",
			 add, path, path);
		ret = -ERANGE;
	} else {
		*file_offset = add;
		ret = 0;
	}
	elf_end(e);
	close(fd);
	return ret;
}

/**
 * struct funcs - the functions a glob matched so far
 * @v: them
 * @n: how many
 * @cap: room in @v
 * @ifuncs: matching GNU indirect functions, left out
 */
struct funcs {
	struct ft_elf_func *v;
	size_t n, cap;
	size_t ifuncs;
};

/* Add @name (its version cut) at @off to @fs. */
static int funcs_add(struct funcs *fs, const char *name, size_t len, unsigned long long off)
{
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? 2 * fs->cap : 64;
		struct ft_elf_func *v = realloc(fs->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		fs->v = v;
		fs->cap = cap;
	}
	fs->v[fs->n].name = strndup(name, len);
	if (!fs->v[fs->n].name)
		return -ENOMEM;
	fs->v[fs->n++].offset = off;
	return 0;
}

/* Collect the defined functions of one symbol table whose names match @pattern. */
static int glob_table(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, const char *pattern,
		      struct funcs *fs)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t count = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	char base[256];

	for (size_t i = 0; data && i < count; i++) {
		unsigned long long off;
		const char *name;
		GElf_Sym sym;
		size_t len;
		int type;

		if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF || !sym.st_value)
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		name = elf_strptr(e, sh->sh_link, sym.st_name);
		if (!name || !*name || (type != STT_FUNC && type != STT_GNU_IFUNC))
			continue;
		len = strcspn(name, "@");
		snprintf(base, sizeof(base), "%.*s", (int)len, name);
		if (fnmatch(pattern, base, 0))
			continue;
		if (type == STT_GNU_IFUNC)
			fs->ifuncs++;
		else if (!vaddr_to_offset(e, sym.st_value, &off) && funcs_add(fs, name, len, off))
			return -ENOMEM;
	}
	return 0;
}

/* Fewer leading underscores, then shorter, then alphabetical: the name a user would call. */
static int name_rank(const char *a, const char *b)
{
	size_t ua = strspn(a, "_"), ub = strspn(b, "_");

	if (ua != ub)
		return ua < ub ? -1 : 1;
	if (strlen(a) != strlen(b))
		return strlen(a) < strlen(b) ? -1 : 1;
	return strcmp(a, b);
}

static int by_offset(const void *a, const void *b)
{
	const struct ft_elf_func *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return name_rank(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
	const struct ft_elf_func *x = a, *y = b;

	return strcmp(x->name, y->name) ?: (x->offset > y->offset) - (x->offset < y->offset);
}

/*
 * One function per address (aliases such as a symbol and its versioned twin are one place
 * the program calls: probing both would count each call twice), under its best name; then one
 * address per name (static functions of one name in two files keep the first).
 */
static void funcs_unique(struct funcs *fs)
{
	size_t k = 0;

	if (!fs->n)
		return; /* qsort() of no array: fs->v is NULL */
	qsort(fs->v, fs->n, sizeof(*fs->v), by_offset);
	for (size_t i = 0; i < fs->n; i++) {
		if (k && fs->v[k - 1].offset == fs->v[i].offset) {
			free(fs->v[i].name);
			continue;
		}
		fs->v[k++] = fs->v[i];
	}
	fs->n = k;
	qsort(fs->v, fs->n, sizeof(*fs->v), by_name);
	k = 0;
	for (size_t i = 0; i < fs->n; i++) {
		if (k && !strcmp(fs->v[k - 1].name, fs->v[i].name)) {
			free(fs->v[i].name);
			continue;
		}
		fs->v[k++] = fs->v[i];
	}
	fs->n = k;
}

/**
 * ft_elf_functions() - the functions of an ELF file whose names match a glob, for uprobes
 * @path: the executable or shared library
 * @pattern: the glob (fnmatch(3)), matched against names without their symbol version
 * @out: set to the functions, sorted by name, one per address and per name; free with
 *       ft_elf_funcs_free() whatever this returns
 * @n: set to how many (0 is not an error: the caller says what none means)
 * @ifuncs: set to how many GNU indirect functions matched and were left out (a probe there
 *          would count calls to the resolver, which runs once at load, not the function)
 * @err: why it failed
 * @errsz: size of @err
 *
 * .symtab is read when the file has one (static functions too), else .dynsym.
 *
 * Return: 0, or -errno with @err said (-ENOENT: no such file, -ENOEXEC: not ELF).
 */
int ft_elf_functions(const char *path, const char *pattern, struct ft_elf_func **out, size_t *n,
		     size_t *ifuncs, char *err, size_t errsz)
{
	static const GElf_Word order[] = { SHT_SYMTAB, SHT_DYNSYM };
	struct funcs fs = { 0 };
	bool seen = false;
	int fd, ret;
	Elf *e;

	*out = NULL;
	*n = *ifuncs = 0;
	ret = open_elf(path, &fd, &e, err, errsz);
	if (ret)
		return ret;
	for (size_t o = 0; !ret && o < 2 && !seen; o++) {
		Elf_Scn *scn = NULL;
		GElf_Shdr sh;

		while (!ret && (scn = elf_nextscn(e, scn)))
			if (gelf_getshdr(scn, &sh) && sh.sh_type == order[o]) {
				seen = true;
				ret = glob_table(e, scn, &sh, pattern, &fs);
			}
	}
	elf_end(e);
	close(fd);
	if (!seen)
		snprintf(err, errsz,
			 "%s has no symbol table (stripped): name its functions by file "
			 "offset, %s:0xOFFSET",
			 path, path);
	funcs_unique(&fs);
	*out = fs.v;
	*n = fs.n;
	*ifuncs = fs.ifuncs;
	return !ret && !seen ? -ENOENT : ret;
}

/**
 * ft_elf_funcs_free() - free what ft_elf_functions() returned
 * @v: the functions (may be NULL)
 * @n: how many
 */
void ft_elf_funcs_free(struct ft_elf_func *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].name);
	free(v);
}
