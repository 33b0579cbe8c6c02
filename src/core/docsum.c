/* docsum.c - the summary of a document the corpus-wide checks read. */
#include "docsum.h"

#include <string.h>

#include "codes.h"

/* A copy of v in a: the whole of a scalar, only the kind and position of a
 * list or map below depth 0 (a ref check reports nothing more of it). */
static struct pm_value *copy_value(struct pm_arena *a, const struct pm_value *v, bool top)
{
	struct pm_value *c = pm_arena_alloc(a, sizeof(*c));
	if (!c)
		return NULL;
	c->kind = v->kind;
	c->style = v->style;
	c->line = v->line;
	c->col = v->col;
	c->weight = 1;
	if (pm_value_is_scalar(v)) {
		c->u = v->u;
		if (v->raw) {
			char *raw = pm_arena_strndup(a, v->raw, v->raw_len);
			if (!raw)
				return NULL;
			c->raw = raw;
			c->raw_len = v->raw_len;
		}
		return c;
	}
	if (!top || v->kind != PM_VAL_SEQ)
		return c;	/* n == 0: a shell */
	size_t n = v->u.seq.n;
	c->u.seq.items = pm_arena_array(a, n ? n : 1, sizeof(*c->u.seq.items));
	if (!c->u.seq.items)
		return NULL;
	for (size_t k = 0; k < n; k++)
		if (!(c->u.seq.items[k] = copy_value(a, v->u.seq.items[k], false)))
			return NULL;
	c->u.seq.n = c->u.seq.cap = n;
	return c;
}

int pm_docsum_make(struct pm_docsum *sum, const struct pm_doc *doc, const struct pm_schema *s,
		   struct pm_arena *a)
{
	memset(sum, 0, sizeof(*sum));
	sum->path = pm_arena_strdup(a, doc->path);
	if (!sum->path)
		return PM_ERR_NOMEM;
	/* Unreadable files name no document. */
	const struct pm_type_schema *t = doc->type ? pm_schema_type(s, doc->type) : NULL;
	sum->type = t ? t->name : doc->type ? pm_arena_strdup(a, doc->type) : NULL;
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
		if (sp && !(sum->status = copy_value(a, sp->value, true)))
			return PM_ERR_NOMEM;
	}
	size_t n = 0;
	for (size_t i = 0; i < root->u.map.n; i++) {
		const struct pm_pair *p = &root->u.map.pairs[i];
		bool inverse;
		const struct pm_relation *rel = pm_schema_relation(s, p->key, &inverse);
		const struct pm_field_schema *f = !rel && t ? pm_type_field(t, p->key) : NULL;
		if (rel || (f && (f->type == PM_FT_REF || f->type == PM_FT_REF_LIST)))
			n++;
	}
	if (!n)
		return 0;
	sum->keys = pm_arena_array(a, n, sizeof(*sum->keys));
	if (!sum->keys)
		return PM_ERR_NOMEM;
	for (size_t i = 0; i < root->u.map.n; i++) {
		const struct pm_pair *p = &root->u.map.pairs[i];
		bool inverse;
		const struct pm_relation *rel = pm_schema_relation(s, p->key, &inverse);
		const struct pm_field_schema *f = !rel && t ? pm_type_field(t, p->key) : NULL;
		/* Keys point at the schema's own names: one copy for all. */
		const char *key = rel ? (inverse ? rel->inverse : rel->name)
			: f && (f->type == PM_FT_REF || f->type == PM_FT_REF_LIST) ? f->name : NULL;
		if (!key)
			continue;
		struct pm_pair *q = &sum->keys[sum->nkeys++];
		q->key = key;
		q->line = p->line;
		q->col = p->col;
		if (!(q->value = copy_value(a, p->value, true)))
			return PM_ERR_NOMEM;
	}
	return 0;
}

const struct pm_pair *pm_docsum_pair(const struct pm_docsum *sum, const char *key)
{
	for (size_t i = 0; i < sum->nkeys; i++)
		if (!strcmp(sum->keys[i].key, key))
			return &sum->keys[i];
	return NULL;
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
