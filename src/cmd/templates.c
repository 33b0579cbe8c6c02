/* templates.c - template lookup with a team's folder over the built-in one. */
#include "templates.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "core/mustache.h"
#include "core/path.h"

void pm_templates_init(struct pm_templates *t, const char *team_dir)
{
	pm_arena_init(&t->arena);
	t->dirs[0] = team_dir ? pm_arena_strdup(&t->arena, team_dir) : NULL;
	t->dirs[1] = pm_arena_strdup(&t->arena, pm_cli_builtin_dir("templates"));
}

void pm_templates_release(struct pm_templates *t)
{
	pm_arena_release(&t->arena);
}

static bool safe_name(const char *name)
{
	if (!*name || name[0] == '/' || strstr(name, ".."))
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.' || *p == '/'))
			return false;
	return true;
}

const char *pm_templates_read(struct pm_templates *t, const char *name, size_t *len)
{
	if (!safe_name(name))
		return NULL;
	for (int i = 0; i < 2; i++) {
		if (!t->dirs[i])
			continue;
		char *path = pm_path_join(&t->arena, t->dirs[i], name);
		int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) : -1;
		if (fd < 0)
			continue;
		struct stat st;
		char *buf = NULL;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (4 << 20) &&
		    (buf = pm_arena_alloc(&t->arena, (size_t)st.st_size + 1))) {
			ssize_t n = read(fd, buf, (size_t)st.st_size);
			if (n >= 0) {
				buf[n] = '\0';
				*len = (size_t)n;
				close(fd);
				return buf;
			}
		}
		close(fd);
	}
	return NULL;
}

static const char *load_partial(void *ctx, const char *name, size_t *len)
{
	struct pm_templates *t = ctx;
	/* "layout" is layout.mustache; "new/body" is new/body.mustache. */
	const char *dot = strrchr(name, '.');
	const char *slash = strrchr(name, '/');
	if (dot && (!slash || dot > slash))
		return pm_templates_read(t, name, len);
	char file[256];
	snprintf(file, sizeof(file), "%s.mustache", name);
	return pm_templates_read(t, file, len);
}

int pm_templates_render(struct pm_templates *t, const char *name, const struct pm_value *data,
			struct pm_buf *out, struct pm_error *err)
{
	size_t len;
	const char *src = pm_templates_read(t, name, &len);
	if (!src)
		return pm_error_set(err, PM_ERR_NOTFOUND, "no template '%s' in %s%s%s", name,
				    t->dirs[0] ? t->dirs[0] : "", t->dirs[0] ? " or " : "", t->dirs[1]);
	struct pm_mustache *m = NULL;
	int rc = pm_mustache_compile(&m, name, src, len, err);
	if (!rc) {
		struct pm_mustache_partials p = { load_partial, t };
		rc = pm_mustache_render(m, data, &p, out, err);
	}
	pm_mustache_free(m);
	return rc;
}
