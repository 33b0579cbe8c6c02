/* pagecache.h - SQLite's page cache in memory that faults in huge pages.
 *
 * SQLite takes each page of its cache from malloc.  Memory fresh from the
 * kernel costs a page fault per 4 KiB at first touch; an update of 1% of
 * 10,000 documents reads a thousand 16 KiB pages of the index, and on this
 * project's virtual machines those faults were a fifth of its time.  The
 * slab given here is one mapping, marked for transparent huge pages, so a
 * fault brings 2 MiB at once; where the kernel gives none it behaves as
 * malloc'd memory did.  Pages past the slab still come from malloc. */
#ifndef PM_PAGECACHE_H
#define PM_PAGECACHE_H

#include <stddef.h>

/* Gives SQLite a slab of about bytes (in whole huge pages) cut into slots
 * for pages of up to page_size bytes.  To be called once, before SQLite
 * is first used (sqlite3_config's rule); 0 when SQLite took it, -1 when it
 * did not (nothing changes then).  SQLite writes into every slot when it
 * starts, so the whole slab is resident from then on, to the end of the
 * process. */
int pm_pagecache_setup(int page_size, size_t bytes);

#endif
