/* value.c - lookups on the frontmatter value tree. */
#include "value.h"

#include <string.h>

const struct pm_pair *pm_value_pair(const struct pm_value *map, const char *key)
{
	if (!map || map->kind != PM_VAL_MAP)
		return NULL;
	for (size_t i = 0; i < map->u.map.n; i++)
		if (!strcmp(map->u.map.pairs[i].key, key))
			return &map->u.map.pairs[i];
	return NULL;
}

const struct pm_value *pm_value_get(const struct pm_value *map, const char *key)
{
	const struct pm_pair *p = pm_value_pair(map, key);
	return p ? p->value : NULL;
}

const char *pm_value_kind_name(enum pm_value_kind kind)
{
	static const char *const names[] = {
		"null", "bool", "integer", "float", "string", "sequence", "mapping",
	};
	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

bool pm_value_is_scalar(const struct pm_value *v)
{
	return v && v->kind != PM_VAL_SEQ && v->kind != PM_VAL_MAP;
}
