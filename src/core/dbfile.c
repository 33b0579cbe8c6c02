/* dbfile.c - the index as a file: recognised by its inode, replaced whole. */
#include "dbfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void pm_file_id_read(const char *path, struct pm_file_id *out)
{
	struct stat st;
	memset(out, 0, sizeof(*out));
	if (stat(path, &st) == 0) {
		out->dev = st.st_dev;
		out->ino = st.st_ino;
		out->exists = true;
	}
}

bool pm_file_id_same(const struct pm_file_id *a, const struct pm_file_id *b)
{
	if (a->exists != b->exists)
		return false;
	return !a->exists || (a->dev == b->dev && a->ino == b->ino);
}

bool pm_file_replaceable(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1;
}

bool pm_file_remove_db(const char *path)
{
	bool gone = unlink(path) == 0 || errno == ENOENT;
	static const char *const sides[] = { "-journal", "-wal", "-shm" };
	char side[4096];
	for (size_t k = 0; k < sizeof(sides) / sizeof(sides[0]); k++)
		if (snprintf(side, sizeof(side), "%s%s", path, sides[k]) < (int)sizeof(side))
			unlink(side);
	return gone;
}

/* The folder part of path ("." when it has none), in out. */
static void folder_of(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, size, ".");
	else if (slash == path)
		snprintf(out, size, "/");
	else
		snprintf(out, size, "%.*s", (int)(slash - path), path);
}

int pm_file_replace(const char *from, const char *to, struct pm_error *err)
{
	struct stat st;
	if (stat(to, &st) == 0 && chmod(from, st.st_mode & 07777) < 0)
		return pm_error_set(err, PM_ERR_IO, "cannot set the mode of %s: %s", from,
				    strerror(errno));
	if (rename(from, to) < 0)
		return pm_error_set(err, PM_ERR_IO, "cannot rename %s to %s: %s", from, to,
				    strerror(errno));
	/* The rename is done; a folder that cannot be synced (some file
	 * systems refuse fsync on a folder) only weakens crash safety. */
	char dir[4096];
	folder_of(to, dir, sizeof(dir));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

void pm_writeback_open(struct pm_writeback *wb, const char *path)
{
	wb->fd = path && *path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
}

void pm_writeback_start(struct pm_writeback *wb)
{
	/* The file's pages, whichever descriptor wrote them; a failure only
	 * leaves the writes to the commit. */
	if (wb->fd >= 0)
		(void)sync_file_range(wb->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

void pm_writeback_close(struct pm_writeback *wb)
{
	if (wb->fd >= 0)
		close(wb->fd);
	wb->fd = -1;
}
