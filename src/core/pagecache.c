/* pagecache.c - SQLite's page cache in memory that faults in huge pages. */
#include "pagecache.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

int pm_pagecache_setup(int page_size, size_t bytes)
{
	int header = 0;
	if (page_size <= 0 || sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &header) != SQLITE_OK)
		return -1;
	size_t slot = ((size_t)page_size + (size_t)header + 7) & ~(size_t)7;
	size_t len = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	if (len < slot)
		return -1;
	/* One huge page more, to start the slab on a huge page's boundary.
	 * Untouched, the mapping costs address space only. */
	char *raw = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return -1;
	char *slab = (char *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	/* A hint: refused where the kernel has no transparent huge pages. */
	(void)madvise(slab, len, MADV_HUGEPAGE);
	if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, slab, (int)slot, (int)(len / slot)) !=
	    SQLITE_OK) {
		munmap(raw, len + HUGE_PAGE);
		return -1;
	}
	return 0;
}
