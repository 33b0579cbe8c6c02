/* diag.c - the list of findings. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pm_diags_init(struct pm_diags *d, struct pm_arena *arena)
{
	d->arena = arena;
	d->items = NULL;
	d->n = d->cap = 0;
}

static char *vformat(struct pm_arena *a, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return NULL;
	char *p = pm_arena_alloc(a, (size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

struct pm_diag *pm_diags_add(struct pm_diags *d, const char *path,
			     uint32_t line, uint32_t col,
			     enum pm_severity sev, const char *code,
			     const char *fmt, ...)
{
	if (!PM_ARENA_PUSH(d->arena, d->items, d->n, d->cap))
		return NULL;
	struct pm_diag *dg = &d->items[d->n];
	memset(dg, 0, sizeof(*dg));
	dg->path = pm_arena_strdup(d->arena, path ? path : "");
	dg->line = line;
	dg->col = col;
	dg->severity = sev;
	dg->code = code;
	va_list ap;
	va_start(ap, fmt);
	dg->message = vformat(d->arena, fmt, ap);
	va_end(ap);
	if (!dg->path || !dg->message)
		return NULL;
	d->n++;
	return dg;
}

void pm_diag_set_hint(struct pm_diags *d, struct pm_diag *dg,
		      const char *fmt, ...)
{
	if (!dg)
		return;
	va_list ap;
	va_start(ap, fmt);
	dg->hint = vformat(d->arena, fmt, ap);
	va_end(ap);
}

int pm_diags_append(struct pm_diags *d, const struct pm_diags *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct pm_diag *s = &src->items[i];
		struct pm_diag *dg = pm_diags_add(d, s->path, s->line, s->col,
						  s->severity, s->code, "%s",
						  s->message);
		if (!dg)
			return -1;
		if (s->hint)
			pm_diag_set_hint(d, dg, "%s", s->hint);
	}
	return 0;
}

static int cmp_diag(const void *pa, const void *pb)
{
	const struct pm_diag *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	c = strcmp(a->code ? a->code : "", b->code ? b->code : "");
	if (c)
		return c;
	return strcmp(a->message, b->message);
}

void pm_diags_sort(struct pm_diags *d)
{
	if (d->n > 1)
		qsort(d->items, d->n, sizeof(*d->items), cmp_diag);
}

size_t pm_diags_count(const struct pm_diags *d, enum pm_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->items[i].severity == sev;
	return n;
}

const char *pm_severity_name(enum pm_severity sev)
{
	switch (sev) {
	case PM_SEV_ERROR:
		return "error";
	case PM_SEV_WARNING:
		return "warning";
	case PM_SEV_NOTE:
		return "note";
	}
	return "error";
}
