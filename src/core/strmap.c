/* strmap.c - FNV-1a hashed, linearly probed string map. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void pm_strmap_init(struct pm_strmap *m)
{
	m->slots = NULL;
	m->cap = m->n = 0;
}

void pm_strmap_release(struct pm_strmap *m)
{
	if (!m)
		return;
	free(m->slots);
	pm_strmap_init(m);
}

static struct pm_strmap_slot *find(struct pm_strmap_slot *slots, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);
	while (slots[i].key && strcmp(slots[i].key, key))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(struct pm_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	struct pm_strmap_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find(slots, cap, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int pm_strmap_put(struct pm_strmap *m, const char *key, size_t value, size_t *existing)
{
	/* Keep the load under a half so probes stay short. */
	if ((m->n + 1) * 2 > m->cap && grow(m))
		return -1;
	struct pm_strmap_slot *s = find(m->slots, m->cap, key);
	if (s->key) {
		if (existing)
			*existing = s->value;
		return 0;
	}
	s->key = key;
	s->value = value;
	m->n++;
	return 1;
}

bool pm_strmap_get(const struct pm_strmap *m, const char *key, size_t *value)
{
	if (!m->cap)
		return false;
	const struct pm_strmap_slot *s = find(m->slots, m->cap, key);
	if (!s->key)
		return false;
	*value = s->value;
	return true;
}
