/* setup.c - config, schema, users and docs root for the commands. */
#include "setup.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "core/path.h"

bool pm_is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* See pm_setup_load(): the nearest folder holding users.yaml marks the
 * docs root when nothing names it. */
static const char *guess_root(struct pm_arena *a, int npaths, char **paths)
{
	if (npaths == 0)
		return ".";
	const char *first = pm_path_normalize(a, paths[0]);
	const char *dir = pm_is_dir(first) ? first : pm_path_dirname(a, first);
	for (const char *d = dir; d;) {
		char *users = pm_path_join(a, d, "users.yaml");
		if (users && access(users, F_OK) == 0)
			return d;
		const char *up = pm_path_join(a, d, "..");
		/* Stop at the file system root, or four levels above the working
		 * folder: no repository is that far out. */
		if (!up || !strcmp(d, "/") || !pm_is_dir(up) || !strncmp(up, "../../../../", 12))
			break;
		d = up;
	}
	return dir;
}

static int load(struct pm_setup *s, const struct pm_setup_flags *f, int npaths, char **paths,
		struct pm_error *err)
{
	int rc = pm_config_find(&s->config, ".", &s->diags, err);
	if (rc)
		return rc;
	const char *dirs[2] = { pm_cli_builtin_dir("schema"),
				f->schema ? f->schema : s->config->schema_dir };
	rc = pm_schema_load(&s->schema, dirs, dirs[1] ? 2 : 1, &s->diags, err);
	if (rc)
		return rc;
	const char *root = f->root ? f->root : s->config->docs_root ? s->config->docs_root
		: guess_root(&s->arena, npaths, paths);
	s->root = pm_path_normalize(&s->arena, root);
	if (!s->root)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	const char *users = f->users ? f->users : s->config->users_file;
	if (!users) {
		char *at = pm_path_join(&s->arena, s->root, "users.yaml");
		if (at && access(at, F_OK) == 0)
			users = at;
	}
	if (users && !f->skip_users && (rc = pm_users_load(&s->users, users, &s->diags, err)))
		return rc;
	pm_parse_opts_default(&s->parse);
	s->parse.limits = s->config->limits;
	s->parse.markdown.id_prefixes = s->schema->prefixes;
	s->parse.markdown.nprefixes = s->schema->nprefixes;
	return 0;
}

int pm_setup_load(struct pm_setup *s, const char *cmd, const struct pm_setup_flags *flags,
		  int npaths, char **paths)
{
	memset(s, 0, sizeof(*s));
	pm_arena_init(&s->arena);
	pm_diags_init(&s->diags, &s->arena);
	struct pm_error err = { 0 };
	if (!load(s, flags, npaths, paths, &err))
		return 0;
	for (size_t i = 0; i < s->diags.n; i++)
		pm_cli_print_diag(stderr, &s->diags.items[i]);
	fprintf(stderr, "pmtool %s: %s\n", cmd, err.msg[0] ? err.msg : "cannot load the settings");
	return PM_EXIT_USAGE;
}

void pm_setup_release(struct pm_setup *s)
{
	pm_users_free(s->users);
	pm_schema_free(s->schema);
	pm_config_free(s->config);
	pm_arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}
