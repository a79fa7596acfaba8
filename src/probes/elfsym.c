// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF symbol -> uprobe file offset. The kernel's uprobe place is an offset into the file, and
 * a symbol's value is a virtual address: the loadable segment holding that address says where
 * its bytes sit in the file (offset = vaddr - p_vaddr + p_offset). That holds for non-PIE
 * executables (vaddr 0x400000 and up), PIE executables and shared libraries alike.
 */
#include <errno.h>
#include <fcntl.h>
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

	if (elf_version(EV_CURRENT) == EV_NONE)
		return snprintf(err, errsz, "libelf is unusable"), -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errsz, "cannot open %s: %s", path, strerror(errno));
		return ret;
	}
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		snprintf(err, errsz, "%s is not an ELF executable or shared library", path);
		ret = -ENOEXEC;
	} else if (symbol) {
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
