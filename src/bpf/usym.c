// SPDX-License-Identifier: GPL-2.0-only
/*
 * User-space addresses -> "function+0xoff", for the BPF backend's user stacks: the address
 * is found in the process's /proc/PID/maps, turned into a file offset, then into the ELF
 * virtual address of the segment holding it, and looked up in .symtab (or .dynsym, all a
 * stripped library keeps). Needs the process alive at the time the snapshot is read; ELF
 * files are loaded once per snapshot.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf/usym.h"

struct usym {
	uint64_t addr, size;
	char *name;
};

/* One ELF file's function symbols, sorted, and its loadable segments. */
struct uelf {
	char *path;
	struct usym *syms;
	size_t nsyms;
	GElf_Phdr *loads;
	size_t nloads;
};

/**
 * struct ft_usyms - a cache of the ELF files symbolised so far
 * @elfs: the files
 * @nelfs: how many
 */
struct ft_usyms {
	struct uelf *elfs;
	size_t nelfs;
};

/**
 * ft_usyms_alloc() - an empty cache
 *
 * Return: the cache, freed with ft_usyms_free(), or NULL.
 */
struct ft_usyms *ft_usyms_alloc(void)
{
	return calloc(1, sizeof(struct ft_usyms));
}

/**
 * ft_usyms_free() - free the cache; NULL is allowed
 * @u: the cache
 */
void ft_usyms_free(struct ft_usyms *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->nelfs; i++) {
		for (size_t s = 0; s < u->elfs[i].nsyms; s++)
			free(u->elfs[i].syms[s].name);
		free(u->elfs[i].syms);
		free(u->elfs[i].loads);
		free(u->elfs[i].path);
	}
	free(u->elfs);
	free(u);
}

static int sym_cmp(const void *a, const void *b)
{
	const struct usym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The function symbols of one symbol table section. */
static void read_syms(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, struct uelf *f)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	struct usym *v = d ? realloc(f->syms, (f->nsyms + n) * sizeof(*v)) : NULL;
	GElf_Sym s;

	if (!v)
		return;
	f->syms = v;
	for (size_t i = 0; i < n; i++) {
		const char *name;

		if (!gelf_getsym(d, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC ||
		    !s.st_value)
			continue;
		name = elf_strptr(e, sh->sh_link, s.st_name);
		if (!name || !(v[f->nsyms].name = strdup(name)))
			continue;
		v[f->nsyms].addr = s.st_value;
		v[f->nsyms].size = s.st_size;
		f->nsyms++;
	}
}

static void load_elf(Elf *e, struct uelf *f)
{
	Elf_Scn *scn = NULL, *dyn = NULL;
	GElf_Shdr sh, dynsh;
	size_t np = 0;
	bool symtab = false;

	while ((scn = elf_nextscn(e, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB) {
			read_syms(e, scn, &sh, f);
			symtab = true;
		} else if (sh.sh_type == SHT_DYNSYM) {
			dyn = scn;
			dynsh = sh;
		}
	}
	if (!symtab && dyn)
		read_syms(e, dyn, &dynsh, f);
	qsort(f->syms, f->nsyms, sizeof(*f->syms), sym_cmp);
	if (elf_getphdrnum(e, &np) || !(f->loads = calloc(np ? np : 1, sizeof(*f->loads))))
		return;
	for (size_t i = 0; i < np; i++)
		if (gelf_getphdr(e, (int)i, &f->loads[f->nloads]) &&
		    f->loads[f->nloads].p_type == PT_LOAD)
			f->nloads++;
}

static struct uelf *elf_get(struct ft_usyms *u, const char *path)
{
	struct uelf *v, *f;
	Elf *e;
	int fd;

	for (size_t i = 0; i < u->nelfs; i++)
		if (!strcmp(u->elfs[i].path, path))
			return &u->elfs[i];
	v = realloc(u->elfs, (u->nelfs + 1) * sizeof(*v));
	if (!v)
		return NULL;
	u->elfs = v;
	f = &v[u->nelfs];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	if (!f->path)
		return NULL;
	u->nelfs++;
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	e = fd < 0 ? NULL : elf_begin(fd, ELF_C_READ, NULL);
	if (e) {
		load_elf(e, f);
		elf_end(e);
	}
	if (fd >= 0)
		close(fd);
	return f;
}

/* The mapping of @pid that holds @addr: its file and the file offset of @addr. */
static int find_map(uint32_t pid, uint64_t addr, char *path, size_t size, uint64_t *off)
{
	char maps[64], line[4096 + 128], file[4096];
	unsigned long long lo, hi, pgoff;
	int found = -ENOENT;
	FILE *f;

	snprintf(maps, sizeof(maps), "/proc/%u/maps", pid);
	f = fopen(maps, "re");
	if (!f)
		return -errno;
	while (found && fgets(line, sizeof(line), f)) {
		file[0] = '\0';
		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %4095[^\n]", &lo, &hi, &pgoff, file) <
			    3 ||
		    addr < lo || addr >= hi || file[0] != '/')
			continue;
		snprintf(path, size, "/proc/%u/root%s", pid, file);
		*off = addr - lo + pgoff;
		found = 0;
	}
	fclose(f);
	return found;
}

/**
 * ft_usyms_lookup() - the function of a process holding a user-space address
 * @u: the cache
 * @pid: the process (its maps are read now: it must still run)
 * @addr: the address
 * @buf: set to "function+0xoff"
 * @size: size of @buf
 *
 * Return: @buf, or NULL when the process, its file or the symbol is not found.
 */
const char *ft_usyms_lookup(struct ft_usyms *u, uint32_t pid, uint64_t addr, char *buf, size_t size)
{
	char path[4096 + 64];
	struct uelf *f;
	uint64_t off = 0, va = 0;
	size_t lo = 0, hi;
	bool inload = false;

	if (find_map(pid, addr, path, sizeof(path), &off) || !(f = elf_get(u, path)))
		return NULL;
	for (size_t i = 0; i < f->nloads && !inload; i++)
		if (off >= f->loads[i].p_offset &&
		    off < f->loads[i].p_offset + f->loads[i].p_filesz) {
			va = off - f->loads[i].p_offset + f->loads[i].p_vaddr;
			inload = true;
		}
	hi = f->nsyms;
	while (inload && lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (f->syms[mid].addr <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!inload || !lo || va >= f->syms[lo - 1].addr + (f->syms[lo - 1].size ?: 1))
		return NULL;
	snprintf(buf, size, "%s+0x%" PRIx64, f->syms[lo - 1].name, va - f->syms[lo - 1].addr);
	return buf;
}
