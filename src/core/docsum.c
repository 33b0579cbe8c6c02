/* docsum.c - the summary of a document the corpus-wide checks read. */
#include "docsum.h"

#include <stdint.h>
#include <string.h>

#include "codes.h"

static int copy_scalar(struct pm_sumval *c, struct pm_arena *a, const struct pm_value *v)
{
	c->kind = (uint8_t)v->kind;
	c->style = (uint8_t)v->style;
	c->line = v->line;
	c->col = v->col;
	if (pm_value_is_scalar(v) && v->raw) {
		if (v->raw_len > UINT32_MAX || !(c->raw = pm_arena_strndup(a, v->raw, v->raw_len)))
			return PM_ERR_NOMEM;
		c->raw_len = (uint32_t)v->raw_len;
	}
	return 0;
}

static bool graph_reads(const struct pm_schema *s, const struct pm_type_schema *t,
			const char *key, const char **name)
{
	bool inverse;
	const struct pm_relation *rel = pm_schema_relation(s, key, &inverse);
	const struct pm_field_schema *f = !rel && t ? pm_type_field(t, key) : NULL;
	/* Keys point at the schema's own names: one copy for all. */
	*name = rel ? (inverse ? rel->inverse : rel->name)
		: f && (f->type == PM_FT_REF || f->type == PM_FT_REF_LIST) ? f->name : NULL;
	return *name != NULL;
}

int pm_docsum_make(struct pm_docsum *sum, const struct pm_doc *doc, const char *path,
		   const struct pm_schema *s, struct pm_arena *a)
{
	memset(sum, 0, sizeof(*sum));
	sum->path = path ? path : pm_arena_strdup(a, doc->path);
	if (!sum->path)
		return PM_ERR_NOMEM;
	const struct pm_type_schema *t = doc->type ? pm_schema_type(s, doc->type) : NULL;
	sum->type = t ? t->name : doc->type ? pm_arena_strdup(a, doc->type) : NULL;
	/* Unreadable files name no document. */
	if (doc->id && doc->src.data && !(sum->id = pm_arena_strdup(a, doc->id)))
		return PM_ERR_NOMEM;
	sum->id_line = sum->id_col = 1;
	const struct pm_value *root = doc->fm.root;
	if (!root)
		return 0;
	const struct pm_pair *idp = doc->id_from_field ? pm_value_pair(root, "id") : NULL;
	if (idp) {
		sum->id_line = idp->line;
		sum->id_col = idp->value->col;
	}
	if (t && pm_type_rule(t, "superseded-status")) {
		const struct pm_pair *sp = pm_value_pair(root, "status");
		struct pm_sumval *sv = sp ? pm_arena_alloc(a, sizeof(*sv)) : NULL;
		if (sp && (!sv || copy_scalar(sv, a, sp->value)))
			return PM_ERR_NOMEM;
		sum->status = sv;
	}
	size_t n = 0;
	const char *name;
	for (size_t i = 0; i < root->u.map.n; i++)
		n += graph_reads(s, t, root->u.map.pairs[i].key, &name);
	if (!n)
		return 0;
	sum->keys = pm_arena_array(a, n, sizeof(*sum->keys));
	if (!sum->keys)
		return PM_ERR_NOMEM;
	for (size_t i = 0; i < root->u.map.n; i++) {
		const struct pm_pair *p = &root->u.map.pairs[i];
		if (!graph_reads(s, t, p->key, &name))
			continue;
		const struct pm_value *v = p->value;
		struct pm_sumkey *k = &sum->keys[sum->nkeys++];
		k->key = name;
		k->line = p->line;
		k->col = p->col;
		k->vline = v->line;
		k->vcol = v->col;
		k->top_kind = (uint8_t)v->kind;
		k->n = v->kind == PM_VAL_SEQ ? (uint32_t)v->u.seq.n : 1;
		k->items = pm_arena_array(a, k->n ? k->n : 1, sizeof(*k->items));
		if (!k->items)
			return PM_ERR_NOMEM;
		for (uint32_t j = 0; j < k->n; j++)
			if (copy_scalar(&k->items[j], a, v->kind == PM_VAL_SEQ ? v->u.seq.items[j] : v))
				return PM_ERR_NOMEM;
	}
	return 0;
}

bool pm_docsum_has(const struct pm_docsum *sum, const char *key)
{
	for (size_t i = 0; i < sum->nkeys; i++)
		if (!strcmp(sum->keys[i].key, key))
			return true;
	return false;
}

static void fill(struct pm_value *v, const struct pm_sumval *c)
{
	memset(v, 0, sizeof(*v));
	v->kind = (enum pm_value_kind)c->kind;
	v->style = (enum pm_scalar_style)c->style;
	v->line = c->line;
	v->col = c->col;
	v->weight = 1;
	v->raw = c->raw;
	v->raw_len = c->raw_len;
}

struct pm_pair pm_docsum_pair(const struct pm_sumkey *k, struct pm_value *vals,
			      struct pm_value **items)
{
	struct pm_pair p = { .key = k->key, .line = k->line, .col = k->col, .value = &vals[0] };
	if (k->top_kind != PM_VAL_SEQ) {
		fill(&vals[0], &k->items[0]);
		return p;
	}
	memset(&vals[0], 0, sizeof(vals[0]));
	vals[0].kind = PM_VAL_SEQ;
	vals[0].line = k->vline;
	vals[0].col = k->vcol;
	vals[0].weight = 1 + k->n;
	for (uint32_t j = 0; j < k->n; j++) {
		fill(&vals[j + 1], &k->items[j]);
		items[j] = &vals[j + 1];
	}
	vals[0].u.seq.items = items;
	vals[0].u.seq.n = vals[0].u.seq.cap = k->n;
	return p;
}

struct pm_diag *pm_report_duplicate_id(struct pm_diags *diags, const char *path,
				       uint32_t line, uint32_t col, const char *id,
				       const char *first_path)
{
	struct pm_diag *dg = pm_diags_add(diags, path, line, col, PM_SEV_ERROR, PM_C_DUPLICATE_ID,
					  "duplicate ID '%s': also the ID of %s", id, first_path);
	if (dg)
		pm_diag_set_hint(diags, dg, "give one of them another file name or 'id:' field");
	return dg;
}
