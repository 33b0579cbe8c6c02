/* path.c - lexical path handling. */
#include "path.h"

#include <string.h>

char *pm_path_normalize(struct pm_arena *a, const char *path)
{
	size_t n = strlen(path);
	char *out = pm_arena_alloc(a, n + 2);
	if (!out)
		return NULL;
	bool abs = path[0] == '/';
	size_t len = 0;		/* bytes of out used, after a leading '/' */
	size_t base = abs ? 1 : 0;
	if (abs)
		out[len++] = '/';
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *seg = p;
		while (*p && *p != '/')
			p++;
		size_t sl = (size_t)(p - seg);
		if (sl == 0 || (sl == 1 && seg[0] == '.'))
			continue;
		if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			/* Fold into the previous segment unless that is ".." too. */
			size_t start = len;
			while (start > base && out[start - 1] != '/')
				start--;
			bool prev_dotdot = len - start == 2 && out[start] == '.' && out[start + 1] == '.';
			if (len > base && !prev_dotdot) {
				len = start > base ? start - 1 : base;
				continue;
			}
			if (abs)
				continue;	/* "/.." is "/" */
		}
		if (len > base)
			out[len++] = '/';
		memcpy(out + len, seg, sl);
		len += sl;
	}
	if (len == 0)
		out[len++] = '.';
	out[len] = '\0';
	return out;
}

char *pm_path_dirname(struct pm_arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return pm_arena_strdup(a, ".");
	if (slash == path)
		return pm_arena_strdup(a, "/");
	return pm_arena_strndup(a, path, (size_t)(slash - path));
}

char *pm_path_join(struct pm_arena *a, const char *dir, const char *rel)
{
	if (rel[0] == '/' || !strcmp(dir, "."))
		return pm_path_normalize(a, rel);
	char *joined = pm_arena_printf(a, "%s/%s", dir, rel);
	return joined ? pm_path_normalize(a, joined) : NULL;
}

bool pm_path_inside(const char *root, const char *path)
{
	if (!strcmp(root, "."))
		return path[0] != '/' && strcmp(path, "..") && strncmp(path, "../", 3);
	size_t n = strlen(root);
	if (!strcmp(root, "/"))
		return path[0] == '/';
	return !strncmp(path, root, n) && (path[n] == '\0' || path[n] == '/');
}
