/* refresh.c - the incremental update every query command runs first. */
#include "refresh.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "core/path.h"

const char *pm_index_path(struct pm_setup *s, const char *cmd, const char *db, bool create)
{
	if (db) {
		s->index_is_own = false;
		return db;
	}
	s->index_is_own = true;
	char *dir = pm_path_join(&s->arena, s->root, ".pmtool");
	if (!dir)
		return NULL;
	if (!create)
		return pm_path_join(&s->arena, dir, "index.db");
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		char e[128];
		fprintf(stderr, "pmtool %s: cannot create %s: %s\n", cmd, dir,
			pm_errno_text(errno, e, sizeof(e)));
		return NULL;
	}
	/* The index is a cache of the documents: keep it out of git. */
	char *ignore = pm_path_join(&s->arena, dir, ".gitignore");
	int fd = ignore ? open(ignore, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666)
			: -1;
	if (fd >= 0) {
		if (write(fd, "*\n", 2) != 2)
			fprintf(stderr, "pmtool %s: cannot write %s\n", cmd, ignore);
		close(fd);
	}
	return pm_path_join(&s->arena, dir, "index.db");
}

/* A test hook: PMTOOL_TEST_KILL_AFTER=N kills the process with SIGKILL
 * after N documents were written, in the middle of the transaction, to
 * show that the previous index survives. */
static int kill_hook(void *ctx, size_t written)
{
	size_t after = *(size_t *)ctx;
	if (written >= after)
		raise(SIGKILL);
	return 0;
}

int pm_refresh(struct pm_setup *s, const char *cmd, const char *db_path, bool rebuild,
	       struct pm_index_stats *stats)
{
	struct pm_index_opts o = {
		.root = s->root, .db_path = db_path, .rebuild = rebuild, .schema = s->schema,
		.users = s->users, .parse = s->parse, .own_path = s->index_is_own,
		.jobs = s->jobs,
	};
	size_t kill_after = 0;
	const char *hook = getenv("PMTOOL_TEST_KILL_AFTER");
	if (hook && *hook) {
		kill_after = (size_t)strtoul(hook, NULL, 10);
		o.progress = kill_hook;
		o.progress_ctx = &kill_after;
	}
	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_diags walk;
	pm_diags_init(&walk, &a);
	struct pm_error err = { 0 };
	int rc = pm_index_update(&o, stats, &walk, &err);
	pm_diags_sort(&walk);
	for (size_t i = 0; i < walk.n; i++)
		pm_cli_print_diag(stderr, &walk.items[i]);
	pm_arena_release(&a);
	if (rc) {
		fprintf(stderr, "pmtool %s: %s\n", cmd, err.msg);
		return PM_EXIT_USAGE;
	}
	return 0;
}
