/* graph.c - resolving relation refs into edges; cycles. */
#include "graph.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "path.h"
#include "suggest.h"

struct builder {
	struct pm_graph *g;
	struct pm_diags *diags;
	const char *root;
	const struct pm_doc *doc;
	size_t doc_i;
};

static bool type_allowed(const char *const *types, size_t n, const char *type)
{
	if (!n)
		return true;
	for (size_t i = 0; type && i < n; i++)
		if (!strcmp(types[i], type))
			return true;
	return false;
}

static struct pm_diag *report(struct builder *b, const struct pm_value *at, const char *code,
			      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static struct pm_diag *report(struct builder *b, const struct pm_value *at, const char *code,
			      const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pm_diags_add(b->diags, b->doc->path, at->line, at->col, PM_SEV_ERROR, code, "%s",
			    msg);
}

/* PREFIX-NNN: upper-case letters (and digits), a dash, digits. */
static bool looks_like_id(const char *s)
{
	size_t i = 0;
	while ((s[i] >= 'A' && s[i] <= 'Z') || (i && s[i] >= '0' && s[i] <= '9'))
		i++;
	if (!i || s[i] != '-' || !s[i + 1])
		return false;
	for (i++; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Resolves one ref to a document index; PM_NODE_MISSING after reporting
 * when it names none, SIZE_MAX - 1 when it is malformed (reported too). */
#define REF_BAD (PM_NODE_MISSING - 1)

static size_t resolve(struct builder *b, const struct pm_value *v, const char *key)
{
	const struct pm_corpus *c = b->g->corpus;
	const struct pm_schema *s = b->g->schema;
	if (v->kind != PM_VAL_STRING || !v->raw_len) {
		struct pm_diag *dg = report(b, v, PM_C_REF_FORMAT,
					    "'%s' holds %s %s, not a document ref", key,
					    v->kind == PM_VAL_INT ? "an" : "a",
					    pm_value_kind_name(v->kind));
		pm_diag_set_hint(b->diags, dg, "write an ID such as \"ADR-001\" or a path "
				 "such as \"./adr-001.md\"");
		return REF_BAD;
	}
	const char *ref = v->raw;
	/* id_pattern names the IDs refs may use; PREFIX-NNN of any type always
	 * counts, so a team's new type works without editing it. */
	bool is_id = looks_like_id(ref) ||
		     (s->id_regex && pm_regex_match(s->id_regex, ref, v->raw_len));
	if (is_id) {
		struct pm_doc *t = pm_corpus_find(c, ref);
		if (t)
			return pm_corpus_index(c, t);
		struct pm_diag *dg = report(b, v, PM_C_UNRESOLVED_REF,
					    "'%s' names %s, which no document has", key, ref);
		/* A did-you-mean over every ID is linear; only a typo deserves it.
		 * ADR-005 is not a typo of ADR-001: a different number names a
		 * different document, so only IDs with the same number count. */
		const char *best = NULL;
		const char *num = strrchr(ref, '-');
		size_t best_d = 3;
		for (size_t i = 0; num && i < c->ndocs && best_d > 1; i++) {
			const char *id = c->docs[i]->id;
			const char *inum = id ? strrchr(id, '-') : NULL;
			if (!inum || strcmp(inum, num))
				continue;
			size_t d = pm_edit_distance(ref, id, 0, best_d - 1);
			if (d < best_d) {
				best_d = d;
				best = id;
			}
		}
		if (best)
			pm_diag_set_hint(b->diags, dg, "did you mean '%s'?", best);
		else
			pm_diag_set_hint(b->diags, dg, "create the document, or fix the ID");
		return PM_NODE_MISSING;
	}
	if (ref[0] == '/' || strstr(ref, "://")) {
		report(b, v, PM_C_REF_ESCAPES, "'%s' names '%s': refs must be relative paths "
		       "inside the docs root", key, ref);
		return REF_BAD;
	}
	size_t n = v->raw_len;
	if (n < 3 || strcmp(ref + n - 3, ".md") || strchr(ref, '%') || strchr(ref, '\\')) {
		struct pm_diag *dg = report(b, v, PM_C_REF_FORMAT,
					    "'%s' value '%s' is neither a document ID nor a "
					    "relative .md path", key, ref);
		pm_diag_set_hint(b->diags, dg, "write an ID such as \"ADR-001\" or a path such "
				 "as \"./adr-001.md\"");
		return REF_BAD;
	}
	struct pm_arena *a = &b->g->arena;
	char *dir = pm_path_dirname(a, b->doc->path);
	char *target = dir ? pm_path_join(a, dir, ref) : NULL;
	if (!target)
		return REF_BAD;
	if (!pm_path_inside(b->root, target)) {
		report(b, v, PM_C_REF_ESCAPES, "'%s' path '%s' leads outside the docs root",
		       key, ref);
		return REF_BAD;
	}
	struct pm_doc *t = pm_corpus_find_path(c, target);
	if (t)
		return pm_corpus_index(c, t);
	struct pm_diag *dg = report(b, v, PM_C_UNRESOLVED_REF, "'%s' path '%s' names no "
				    "document", key, ref);
	pm_diag_set_hint(b->diags, dg, "paths resolve from the folder of the file that "
			 "holds them");
	return PM_NODE_MISSING;
}

static int add_edge(struct builder *b, const struct pm_relation *rel, bool inverse,
		    size_t other, const struct pm_value *v)
{
	struct pm_graph *g = b->g;
	size_t src = inverse ? other : b->doc_i, dst = inverse ? b->doc_i : other;
	if (other == PM_NODE_MISSING) {
		src = b->doc_i;
		dst = PM_NODE_MISSING;
	}
	size_t ka = src, kb = dst;
	if (rel->symmetric && ka > kb && kb != PM_NODE_MISSING) {
		ka = dst;
		kb = src;
	}
	char *key = dst == PM_NODE_MISSING
		? pm_arena_printf(&g->arena, "%s|%zu|%d|%s", rel->name, src, inverse, v->raw)
		: pm_arena_printf(&g->arena, "%s|%zu|%zu", rel->name, ka, kb);
	if (!key)
		return PM_ERR_NOMEM;
	size_t at;
	int rc = pm_strmap_put(&g->seen, key, g->nedges, &at);
	if (rc < 0)
		return PM_ERR_NOMEM;
	if (rc == 0) {
		struct pm_edge *e = &g->edges[at];
		if (rel->symmetric ? b->doc_i != e->declared_in : inverse)
			e->declared_inverse = true;
		else
			e->declared_forward = true;
		return 0;
	}
	if (!PM_ARENA_PUSH(&g->arena, g->edges, g->nedges, g->cap))
		return PM_ERR_NOMEM;
	struct pm_edge *e = &g->edges[g->nedges++];
	memset(e, 0, sizeof(*e));
	e->source = src;
	e->target = dst;
	e->rel = rel;
	e->ref = v->raw;
	e->declared_forward = !inverse || dst == PM_NODE_MISSING;
	e->declared_inverse = inverse && dst != PM_NODE_MISSING;
	e->declared_in = b->doc_i;
	e->line = v->line;
	e->col = v->col;
	return 0;
}

static int check_types(struct builder *b, const struct pm_relation *rel, bool inverse,
		       size_t other, const struct pm_value *v, const char *key)
{
	const struct pm_corpus *c = b->g->corpus;
	const char *mine = b->doc->type, *theirs = c->docs[other]->type;
	const char *src_t = inverse ? theirs : mine, *dst_t = inverse ? mine : theirs;
	if (!type_allowed(rel->sources, rel->nsources, src_t)) {
		const char *code = inverse ? PM_C_TARGET_TYPE : PM_C_SOURCE_TYPE;
		if (!report(b, v, code, "'%s' may not start at a document of type '%s'",
			    rel->name, src_t ? src_t : "(none)"))
			return PM_ERR_NOMEM;
	}
	if (!type_allowed(rel->targets, rel->ntargets, dst_t)) {
		const char *code = inverse ? PM_C_SOURCE_TYPE : PM_C_TARGET_TYPE;
		if (!report(b, v, code, "'%s' may not point at a document of type '%s'",
			    rel->name, dst_t ? dst_t : "(none)"))
			return PM_ERR_NOMEM;
	}
	(void)key;
	return 0;
}

static int scan_doc(struct builder *b)
{
	const struct pm_value *root = b->doc->fm.root;
	const struct pm_schema *s = b->g->schema;
	for (size_t i = 0; root && i < root->u.map.n; i++) {
		const struct pm_pair *p = &root->u.map.pairs[i];
		bool inverse;
		const struct pm_relation *rel = pm_schema_relation(s, p->key, &inverse);
		const struct pm_value *v = p->value;
		size_t n = v->kind == PM_VAL_SEQ ? v->u.seq.n : 1;
		/* "caused_by:" or "caused_by: ''" left empty declares nothing. */
		if (v->kind == PM_VAL_NULL || (v->kind == PM_VAL_STRING && !v->raw_len))
			continue;
		if (!rel) {
			/* A field of type ref or ref[] is no relation, but what it
			 * names must exist all the same. */
			const struct pm_type_schema *t = pm_schema_type(s, b->doc->type);
			const struct pm_field_schema *f = t ? pm_type_field(t, p->key) : NULL;
			if (!f || (f->type != PM_FT_REF && f->type != PM_FT_REF_LIST))
				continue;
			for (size_t k = 0; k < n; k++) {
				const struct pm_value *item = v->kind == PM_VAL_SEQ ? v->u.seq.items[k] : v;
				if (item->kind == PM_VAL_STRING && item->raw_len)
					resolve(b, item, p->key);
			}
			continue;
		}
		if (!rel->many && n > 1) {
			struct pm_diag *dg = pm_diags_add(b->diags, b->doc->path, v->line, v->col,
							  PM_SEV_ERROR, PM_C_TOO_MANY_REFS,
							  "'%s' takes one document, not %zu", p->key, n);
			if (!dg)
				return PM_ERR_NOMEM;
		}
		for (size_t k = 0; k < n; k++) {
			const struct pm_value *item = v->kind == PM_VAL_SEQ ? v->u.seq.items[k] : v;
			size_t t = resolve(b, item, p->key);
			if (t == REF_BAD)
				continue;
			if (t == b->doc_i) {
				if (!report(b, item, PM_C_SELF_REF, "'%s' names the document itself "
					    "(%s)", p->key, b->doc->id))
					return PM_ERR_NOMEM;
				continue;
			}
			if (t != PM_NODE_MISSING) {
				int rc = check_types(b, rel, inverse, t, item, p->key);
				if (rc)
					return rc;
			}
			int rc = add_edge(b, rel, inverse, t, item);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int pm_graph_build(struct pm_graph *g, const struct pm_corpus *c, const struct pm_schema *s,
		   const char *root, struct pm_diags *diags, struct pm_error *err)
{
	memset(g, 0, sizeof(*g));
	pm_arena_init(&g->arena);
	pm_strmap_init(&g->seen);
	g->corpus = c;
	g->schema = s;
	struct builder b = { .g = g, .diags = diags };
	b.root = pm_path_normalize(&g->arena, root ? root : ".");
	if (!b.root)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < c->ndocs; i++) {
		b.doc = c->docs[i];
		b.doc_i = i;
		if (!b.doc->fm.root)
			continue;
		if (scan_doc(&b))
			return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	return 0;
}

void pm_graph_release(struct pm_graph *g)
{
	if (!g)
		return;
	pm_strmap_release(&g->seen);
	pm_arena_release(&g->arena);
	memset(g, 0, sizeof(*g));
}

unsigned char *pm_graph_mark_ends(const struct pm_graph *g, const struct pm_relation *rel,
				  bool as_source)
{
	unsigned char *marks = calloc(g->corpus->ndocs ? g->corpus->ndocs : 1, 1);
	for (size_t k = 0; marks && k < g->nedges; k++) {
		const struct pm_edge *e = &g->edges[k];
		size_t end = as_source ? e->source : e->target;
		if (e->rel == rel && end != PM_NODE_MISSING)
			marks[end] = 1;
	}
	return marks;
}

/* ---- cycles ------------------------------------------------------------- */

struct dfs_frame {
	size_t node;
	size_t next;	/* next adjacency slot to try */
};

static int report_cycle(const struct pm_graph *g, const struct pm_relation *rel,
			const size_t *stack_nodes, size_t from, size_t depth,
			const struct pm_edge *back, struct pm_diags *diags,
			struct pm_strmap *reported, struct pm_arena *a)
{
	const struct pm_corpus *c = g->corpus;
	/* The same loop found from another start is one finding: key it by the
	 * rotation that starts at its smallest node. */
	size_t len = depth - from, min_at = from;
	for (size_t i = from; i < depth; i++)
		if (stack_nodes[i] < stack_nodes[min_at])
			min_at = i;
	char *key = pm_arena_printf(a, "%s", rel->name);
	char *loop = pm_arena_strdup(a, "");
	for (size_t k = 0; key && loop && k <= len; k++) {
		size_t node = stack_nodes[from + (min_at - from + k) % len];
		key = pm_arena_printf(a, "%s|%zu", key, node);
		loop = pm_arena_printf(a, "%s%s%s", loop, k ? " -> " : "", c->docs[node]->id);
	}
	if (!key || !loop)
		return PM_ERR_NOMEM;
	int rc = pm_strmap_put(reported, key, 0, NULL);
	if (rc <= 0)
		return rc < 0 ? PM_ERR_NOMEM : 0;
	const struct pm_doc *at = c->docs[back->declared_in];
	struct pm_diag *dg = pm_diags_add(diags, at->path, back->line, back->col, PM_SEV_ERROR,
					  PM_C_CYCLE, "'%s' loops: %s", rel->name, loop);
	if (!dg)
		return PM_ERR_NOMEM;
	pm_diag_set_hint(diags, dg, "following '%s' must never lead back to where it "
			 "started; remove one link of the loop", rel->name);
	return 0;
}

static int cycles_of(const struct pm_graph *g, const struct pm_relation *rel,
		     struct pm_diags *diags, struct pm_strmap *reported, struct pm_arena *a)
{
	size_t n = g->corpus->ndocs;
	/* Adjacency in compressed rows: edge indexes grouped by source. */
	size_t *start = calloc(n + 1, sizeof(*start));
	size_t *adj = malloc((g->nedges ? g->nedges : 1) * sizeof(*adj));
	unsigned char *color = calloc(n ? n : 1, 1);	/* 0 new, 1 on stack, 2 done */
	struct dfs_frame *stack = malloc((n ? n : 1) * sizeof(*stack));
	size_t *stack_nodes = malloc((n ? n : 1) * sizeof(*stack_nodes));
	int rc = 0;
	if (!start || !adj || !color || !stack || !stack_nodes) {
		rc = PM_ERR_NOMEM;
		goto out;
	}
	for (size_t k = 0; k < g->nedges; k++)
		if (g->edges[k].rel == rel && g->edges[k].target != PM_NODE_MISSING)
			start[g->edges[k].source + 1]++;
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	size_t *fill = calloc(n ? n : 1, sizeof(*fill));
	if (!fill) {
		rc = PM_ERR_NOMEM;
		goto out;
	}
	for (size_t k = 0; k < g->nedges; k++) {
		const struct pm_edge *e = &g->edges[k];
		if (e->rel == rel && e->target != PM_NODE_MISSING)
			adj[start[e->source] + fill[e->source]++] = k;
	}
	free(fill);
	/* Iterative DFS: a hostile corpus with a 100,000-long chain must not
	 * overflow the C stack. */
	for (size_t root = 0; root < n && !rc; root++) {
		if (color[root])
			continue;
		size_t depth = 0;
		stack[depth] = (struct dfs_frame){ root, start[root] };
		stack_nodes[depth++] = root;
		color[root] = 1;
		while (depth && !rc) {
			struct dfs_frame *f = &stack[depth - 1];
			if (f->next == start[f->node + 1]) {
				color[f->node] = 2;
				depth--;
				continue;
			}
			const struct pm_edge *e = &g->edges[adj[f->next++]];
			size_t t = e->target;
			if (color[t] == 0) {
				color[t] = 1;
				stack[depth] = (struct dfs_frame){ t, start[t] };
				stack_nodes[depth++] = t;
			} else if (color[t] == 1) {
				size_t from = depth;
				while (from > 0 && stack_nodes[from - 1] != t)
					from--;
				rc = report_cycle(g, rel, stack_nodes, from - 1, depth, e, diags,
						  reported, a);
			}
		}
	}
out:
	free(start);
	free(adj);
	free(color);
	free(stack);
	free(stack_nodes);
	return rc;
}

int pm_graph_check_cycles(const struct pm_graph *g, struct pm_diags *diags)
{
	struct pm_strmap reported;
	struct pm_arena a;
	pm_strmap_init(&reported);
	pm_arena_init(&a);
	int rc = 0;
	for (size_t r = 0; r < g->schema->nrelations && !rc; r++)
		if (g->schema->relations[r].acyclic)
			rc = cycles_of(g, &g->schema->relations[r], diags, &reported, &a);
	pm_strmap_release(&reported);
	pm_arena_release(&a);
	return rc;
}
