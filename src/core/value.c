/* value.c - lookups on the frontmatter value tree. */
#include "value.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"

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

struct pm_value *pm_value_new(struct pm_arena *a, enum pm_value_kind kind)
{
	struct pm_value *v = pm_arena_alloc(a, sizeof(*v));
	if (v) {
		v->kind = kind;
		v->weight = 1;
	}
	return v;
}

static struct pm_value *with_raw(struct pm_arena *a, enum pm_value_kind kind, const char *raw)
{
	struct pm_value *v = pm_value_new(a, kind);
	if (v && raw) {
		v->raw = pm_arena_strdup(a, raw);
		v->raw_len = v->raw ? strlen(v->raw) : 0;
		if (!v->raw)
			return NULL;
	}
	return v;
}

struct pm_value *pm_value_str(struct pm_arena *a, const char *s)
{
	if (!s)
		return pm_value_new(a, PM_VAL_NULL);
	struct pm_value *v = with_raw(a, PM_VAL_STRING, s);
	if (v)
		v->style = PM_STYLE_QUOTED;
	return v;
}

struct pm_value *pm_value_int(struct pm_arena *a, int64_t i)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)i);
	struct pm_value *v = with_raw(a, PM_VAL_INT, buf);
	if (v)
		v->u.i = i;
	return v;
}

struct pm_value *pm_value_num(struct pm_arena *a, double f)
{
	char buf[40];
	snprintf(buf, sizeof(buf), "%.15g", f);
	struct pm_value *v = with_raw(a, PM_VAL_FLOAT, buf);
	if (v)
		v->u.f = f;
	return v;
}

struct pm_value *pm_value_bool(struct pm_arena *a, bool b)
{
	struct pm_value *v = with_raw(a, PM_VAL_BOOL, b ? "true" : "false");
	if (v)
		v->u.b = b;
	return v;
}

struct pm_value *pm_value_push(struct pm_arena *a, struct pm_value *seq, struct pm_value *item)
{
	if (!seq || !item || seq->kind != PM_VAL_SEQ ||
	    !PM_ARENA_PUSH(a, seq->u.seq.items, seq->u.seq.n, seq->u.seq.cap))
		return NULL;
	seq->u.seq.items[seq->u.seq.n++] = item;
	seq->weight += item->weight;
	return item;
}

struct pm_value *pm_value_set(struct pm_arena *a, struct pm_value *map, const char *key,
			      struct pm_value *value)
{
	if (!map || !value || map->kind != PM_VAL_MAP ||
	    !PM_ARENA_PUSH(a, map->u.map.pairs, map->u.map.n, map->u.map.cap))
		return NULL;
	struct pm_pair *p = &map->u.map.pairs[map->u.map.n];
	p->key = pm_arena_strdup(a, key);
	p->value = value;
	if (!p->key)
		return NULL;
	map->u.map.n++;
	map->weight += value->weight;
	return value;
}
