/* dbfile.h - the index as a file: recognised by its inode, replaced whole.
 *
 * A full rebuild writes a new file beside the index and renames it over
 * the old one, instead of emptying the old file inside a transaction:
 * every page it overwrote then went through the rollback journal first
 * (read, copied, written again; a third of a rebuild's time).  A run that
 * waited for the lock on the old file must then notice that the path now
 * names another file, and start again on that one. */
#ifndef PM_DBFILE_H
#define PM_DBFILE_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* Which file a path names, or that it names none. */
struct pm_file_id {
	dev_t dev;
	ino_t ino;
	bool exists;
};

/* Fills *out from stat(path); a path that does not exist gives
 * exists = false. */
void pm_file_id_read(const char *path, struct pm_file_id *out);

bool pm_file_id_same(const struct pm_file_id *a, const struct pm_file_id *b);

/* Whether path is a regular file that can be replaced by renaming another
 * over it: not a symbolic link (rename would replace the link, not the
 * file it points to) and not a file with several names. */
bool pm_file_replaceable(const char *path);

/* Removes path and the files SQLite may have left beside it (-journal,
 * -wal, -shm).  True when path itself is gone (removed, or not there). */
bool pm_file_remove_db(const char *path);

/* Renames from over to, giving it to's permission bits first, and syncs
 * the folder so that the rename survives a crash.  On failure from is
 * left in place and to is untouched. */
int pm_file_replace(const char *from, const char *to, struct pm_error *err);

/* Starting the disk writes of a file being filled, while it is: a rebuild
 * of 100,000 documents leaves 2 GB in the page cache that the commit's
 * fdatasync must otherwise write all at once, 1.8 s with nothing else to
 * do.  pm_writeback_open opens its own descriptor of path (-1 in fd when
 * it cannot; the writes then wait for the commit as before). */
struct pm_writeback {
	int fd;
};

void pm_writeback_open(struct pm_writeback *wb, const char *path);

/* Asks the kernel to start writing what is dirty of the file, without
 * waiting for it (sync_file_range). */
void pm_writeback_start(struct pm_writeback *wb);

void pm_writeback_close(struct pm_writeback *wb);

#endif
