/* users.c - loading users.yaml and checking handles against it. */
#include "users.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "codes.h"
#include "frontmatter.h"
#include "doclimits.h"
#include "source.h"
#include "suggest.h"
#include "value.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char **keys_of(struct pm_arena *a, const struct pm_value *map, size_t *n)
{
	*n = 0;
	if (!map || map->kind != PM_VAL_MAP)
		return NULL;
	const char **out = pm_arena_array(a, map->u.map.n ? map->u.map.n : 1, sizeof(*out));
	for (size_t i = 0; out && i < map->u.map.n; i++)
		out[(*n)++] = map->u.map.pairs[i].key;
	if (out && *n > 1)
		qsort(out, *n, sizeof(*out), cmp_str);
	return out;
}

int pm_users_load(struct pm_users **out, const char *path, struct pm_diags *diags,
		  struct pm_error *err)
{
	struct pm_users *u = calloc(1, sizeof(*u));
	*out = u;
	if (!u)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	pm_arena_init(&u->arena);
	u->path = pm_arena_strdup(&u->arena, path);
	struct pm_source src;
	struct pm_limits lim = PM_LIMITS_DEFAULT;
	lim.max_yaml_nodes = 1000000;
	int rc = pm_source_read(&src, &u->arena, path, 64u << 20, err);
	if (rc)
		return pm_error_set(err, rc, "users file %s: %s", path, err->msg);
	u->fingerprint = XXH3_64bits(src.data, src.len);
	struct pm_value *root = NULL;
	rc = pm_yaml_load(&root, &src, &u->arena, &lim, diags);
	if (rc)
		return pm_error_set(err, rc, "users file %s has errors", path);
	const struct pm_value *users = pm_value_get(root, "users");
	if (!root || root->kind != PM_VAL_MAP || (users && users->kind != PM_VAL_MAP)) {
		pm_diags_add(diags, path, root ? root->line : 1, root ? root->col : 1,
			     PM_SEV_ERROR, PM_C_SCHEMA,
			     "users file must map 'users' to a mapping of handles");
		return pm_error_set(err, PM_ERR_INVALID, "users file %s has errors", path);
	}
	u->users = keys_of(&u->arena, users, &u->nusers);
	u->teams = keys_of(&u->arena, pm_value_get(root, "teams"), &u->nteams);
	return 0;
}

void pm_users_free(struct pm_users *u)
{
	if (!u)
		return;
	pm_arena_release(&u->arena);
	free(u);
}

static bool handle_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

static size_t handle_len(const char *s)
{
	size_t n = 0;
	if (!isalnum((unsigned char)s[0]) && s[0] != '_')
		return 0;
	while (handle_char(s[n]))
		n++;
	return n;
}

bool pm_user_syntax(const char *s)
{
	if (!s || s[0] != '@')
		return false;
	size_t n = handle_len(s + 1);
	if (!n)
		return false;
	if (s[1 + n] == '\0')
		return true;
	if (s[1 + n] != '/')
		return false;
	size_t m = handle_len(s + 2 + n);
	return m && s[2 + n + m] == '\0';
}

static bool has(const char *const *list, size_t n, const char *s, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(list[mid], s, len);
		if (c == 0 && list[mid][len] != '\0')
			c = 1;
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool pm_users_known(const struct pm_users *u, const char *s)
{
	if (!pm_user_syntax(s))
		return false;
	s++;
	const char *slash = strchr(s, '/');
	if (!slash)
		return has(u->users, u->nusers, s, strlen(s));
	const char *b = slash + 1;
	return has(u->teams, u->nteams, b, strlen(b)) ||
	       (has(u->teams, u->nteams, s, (size_t)(slash - s)) &&
		has(u->users, u->nusers, b, strlen(b)));
}

const char *pm_users_suggest(const struct pm_users *u, const char *s)
{
	if (s[0] == '@')
		s++;
	return pm_suggest(s, u->users, u->nusers, 1);
}
