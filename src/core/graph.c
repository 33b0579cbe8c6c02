/* graph.c - resolving relation refs into edges; cycles. */
#include "graph.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codes.h"
#include "cycles.h"
#include "path.h"
#include "suggest.h"

struct builder {
	struct pm_graph *g;
	struct pm_diags *diags;
	const char *root;
	const struct pm_graph_node *doc;	/* the declaring document */
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
 * when it names none, REF_BAD when it is malformed (reported too). */
#define REF_BAD (PM_NODE_MISSING - 1)

static size_t resolve(struct builder *b, const struct pm_value *v, const char *key)
{
	const struct pm_graph *g = b->g;
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
		size_t t;
		if (pm_graph_find_id(g, ref, &t))
			return t;
		struct pm_diag *dg = report(b, v, PM_C_UNRESOLVED_REF,
					    "'%s' names %s, which no document has", key, ref);
		/* A did-you-mean over every ID is linear; only a typo deserves it.
		 * ADR-005 is not a typo of ADR-001: a different number names a
		 * different document, so only IDs with the same number count. */
		const char *best = NULL;
		const char *num = strrchr(ref, '-');
		size_t best_d = 3;
		for (size_t i = 0; num && i < g->nnodes && best_d > 1; i++) {
			const char *id = g->nodes[i].id;
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
	size_t t;
	if (pm_graph_find_path(b->g, target, &t))
		return t;
	struct pm_diag *dg = report(b, v, PM_C_UNRESOLVED_REF, "'%s' path '%s' names no "
				    "document", key, ref);
	pm_diag_set_hint(b->diags, dg, "paths resolve from the folder of the file that "
			 "holds them");
	return PM_NODE_MISSING;
}

/* An edge's key (relation, ends) -> its index: open addressing over two
 * arrays, half full at most.  Returns 1 when inserted, 0 when there (*at
 * set), -1 when out of memory. */
static int pairs_put(struct pm_graph *g, uint64_t key, size_t value, size_t *at)
{
	key++;	/* 0 marks a free slot */
	if (2 * (g->npairs + 1) > g->pairs_cap) {
		size_t cap = g->pairs_cap ? 2 * g->pairs_cap : 1024;
		uint64_t *keys = calloc(cap, sizeof(*keys));
		uint32_t *vals = malloc(cap * sizeof(*vals));
		if (!keys || !vals) {
			free(keys);
			free(vals);
			return -1;
		}
		for (size_t i = 0; i < g->pairs_cap; i++) {
			if (!g->pair_keys[i])
				continue;
			size_t j = (size_t)(g->pair_keys[i] * 0x9E3779B97F4A7C15u >> 20) & (cap - 1);
			while (keys[j])
				j = (j + 1) & (cap - 1);
			keys[j] = g->pair_keys[i];
			vals[j] = g->pair_vals[i];
		}
		free(g->pair_keys);
		free(g->pair_vals);
		g->pair_keys = keys;
		g->pair_vals = vals;
		g->pairs_cap = cap;
	}
	size_t j = (size_t)(key * 0x9E3779B97F4A7C15u >> 20) & (g->pairs_cap - 1);
	while (g->pair_keys[j] && g->pair_keys[j] != key)
		j = (j + 1) & (g->pairs_cap - 1);
	if (g->pair_keys[j]) {
		*at = g->pair_vals[j];
		return 0;
	}
	if (value > UINT32_MAX)
		return -1;
	g->pair_keys[j] = key;
	g->pair_vals[j] = (uint32_t)value;
	g->npairs++;
	return 1;
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
	size_t at;
	int rc;
	size_t ri = (size_t)(rel - g->schema->relations);
	if (dst != PM_NODE_MISSING && ri < 256 && ka < (1u << 28) && kb < (1u << 28)) {
		/* Resolved edges, nearly all of them: a number as the key. */
		rc = pairs_put(g, (uint64_t)ri << 56 | (uint64_t)ka << 28 | kb, g->nedges, &at);
	} else {
		char *key = dst == PM_NODE_MISSING
			? pm_arena_printf(&g->arena, "%s|%zu|%d|%s", rel->name, src, inverse, v->raw)
			: pm_arena_printf(&g->arena, "%s|%zu|%zu", rel->name, ka, kb);
		if (!key)
			return PM_ERR_NOMEM;
		rc = pm_strmap_put(&g->seen, key, g->nedges, &at);
	}
	if (rc < 0)
		return PM_ERR_NOMEM;
	if (rc == 0) {
		struct pm_edge *e = &g->edges[at];
		bool other_side = rel->symmetric ? b->doc_i != e->declared_in : inverse;
		/* The other side says it too: remember where (the first
		 * declaration keeps line and col). */
		if (other_side ? !e->declared_inverse : !e->declared_forward) {
			e->second_in = b->doc_i;
			e->second_line = v->line;
			e->second_col = v->col;
		}
		if (other_side)
			e->declared_inverse = true;
		else
			e->declared_forward = true;
		return 0;
	}
	/* The heap, not the arena: the arena would keep every outgrown block. */
	struct pm_edge *edges = pm_grow(g->edges, g->nedges, &g->cap, sizeof(*edges), 64);
	if (!edges)
		return PM_ERR_NOMEM;
	g->edges = edges;
	struct pm_edge *e = &g->edges[g->nedges++];
	memset(e, 0, sizeof(*e));
	e->source = src;
	e->target = dst;
	e->rel = rel;
	/* The declaring value need not outlive this call (the index reads
	 * refs a key at a time): keep the text only where it is the name. */
	e->ref = dst == PM_NODE_MISSING ? pm_arena_strdup(&g->arena, v->raw ? v->raw : "") : NULL;
	if (dst == PM_NODE_MISSING && !e->ref)
		return PM_ERR_NOMEM;
	e->declared_forward = !inverse || dst == PM_NODE_MISSING;
	e->declared_inverse = inverse && dst != PM_NODE_MISSING;
	e->declared_in = b->doc_i;
	e->line = v->line;
	e->col = v->col;
	e->via_inverse = inverse;
	return 0;
}

static int check_types(struct builder *b, const struct pm_relation *rel, bool inverse,
		       size_t other, const struct pm_value *v, const char *key)
{
	const char *mine = b->doc->type, *theirs = b->g->nodes[other].type;
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

/* One frontmatter key of one document: a relation becomes edges, a ref
 * field is resolved; any other key is left alone. */
static int declare(struct builder *b, const struct pm_pair *p)
{
	const struct pm_schema *s = b->g->schema;
	bool inverse;
	const struct pm_relation *rel = pm_schema_relation(s, p->key, &inverse);
	const struct pm_value *v = p->value;
	size_t n = v->kind == PM_VAL_SEQ ? v->u.seq.n : 1;
	/* "caused_by:" or "caused_by: ''" left empty declares nothing. */
	if (v->kind == PM_VAL_NULL || (v->kind == PM_VAL_STRING && !v->raw_len))
		return 0;
	if (!rel) {
		/* A field of type ref or ref[] is no relation, but what it names
		 * must exist all the same. */
		const struct pm_type_schema *t = pm_schema_type(s, b->doc->type);
		const struct pm_field_schema *f = t ? pm_type_field(t, p->key) : NULL;
		if (!f || (f->type != PM_FT_REF && f->type != PM_FT_REF_LIST))
			return 0;
		for (size_t k = 0; k < n; k++) {
			const struct pm_value *item = v->kind == PM_VAL_SEQ ? v->u.seq.items[k] : v;
			if (item->kind == PM_VAL_STRING && item->raw_len)
				resolve(b, item, p->key);
		}
		return 0;
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
			if (!report(b, item, PM_C_SELF_REF, "'%s' names the document itself (%s)",
				    p->key, b->doc->id))
				return PM_ERR_NOMEM;
			continue;
		}
		int rc = t != PM_NODE_MISSING ? check_types(b, rel, inverse, t, item, p->key) : 0;
		if (!rc)
			rc = add_edge(b, rel, inverse, t, item);
		if (rc)
			return rc;
	}
	return 0;
}

static int by_id_order(const void *a, const void *b, void *ctx)
{
	const struct pm_graph_node *nodes = ctx;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	int c = strcmp(nodes[i].id, nodes[j].id);
	return c ? c : (i > j) - (i < j);
}

int pm_graph_begin(struct pm_graph *g, const struct pm_schema *s, const char *root,
		   const struct pm_graph_node *nodes, size_t n, struct pm_error *err)
{
	memset(g, 0, sizeof(*g));
	pm_arena_init(&g->arena);
	pm_strmap_init(&g->seen);
	pm_strmap_init(&g->paths);
	g->schema = s;
	g->nodes = nodes;
	g->nnodes = n;
	if (n >= PM_NODE_MISSING - 1)
		return pm_error_set(err, PM_ERR_LIMIT, "%zu documents: a graph holds at most %u",
				    n, (unsigned)(PM_NODE_MISSING - 2));
	g->root = pm_path_normalize(&g->arena, root ? root : ".");
	if (!g->root)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	g->by_id = malloc((n ? n : 1) * sizeof(*g->by_id));
	if (!g->by_id)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (nodes[i].id)
			g->by_id[g->nby_id++] = (uint32_t)i;
	qsort_r(g->by_id, g->nby_id, sizeof(*g->by_id), by_id_order, (void *)nodes);
	return 0;
}

bool pm_graph_find_id(const struct pm_graph *g, const char *id, size_t *node)
{
	/* The first of equal IDs in index order: nodes come in path order,
	 * so a duplicated ID names its first path. */
	size_t lo = 0, hi = g->nby_id;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(g->nodes[g->by_id[mid]].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == g->nby_id || strcmp(g->nodes[g->by_id[lo]].id, id))
		return false;
	*node = g->by_id[lo];
	return true;
}

bool pm_graph_find_path(struct pm_graph *g, const char *path, size_t *node)
{
	/* Nodes in path order (as the walk gives them, for lint and the
	 * index) are searched in place: no 4 MB map at 100,000 documents. */
	if (!g->paths_built) {
		g->paths_sorted = true;
		for (size_t i = 0; g->paths_sorted && i < g->nnodes; i++)
			g->paths_sorted = g->nodes[i].path &&
					  (!i || strcmp(g->nodes[i - 1].path, g->nodes[i].path) < 0);
	}
	if (g->paths_sorted) {
		g->paths_built = true;
		size_t lo = 0, hi = g->nnodes;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(g->nodes[mid].path, path);
			if (!c) {
				*node = mid;
				return true;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return false;
	}
	/* Otherwise a map, built on first use: refs by ID, the common kind,
	 * never need it. */
	if (!g->paths_built) {
		for (size_t i = 0; i < g->nnodes; i++)
			if (g->nodes[i].path && pm_strmap_put(&g->paths, g->nodes[i].path, i, NULL) < 0) {
				pm_strmap_release(&g->paths);
				pm_strmap_init(&g->paths);
				return false;
			}
		g->paths_built = true;
	}
	return pm_strmap_get(&g->paths, path, node);
}

int pm_graph_declare(struct pm_graph *g, size_t node, const struct pm_pair *pair,
		     struct pm_diags *diags)
{
	if (g->sealed)
		return PM_ERR_INVALID;
	struct builder b = { .g = g, .diags = diags, .root = g->root, .doc = &g->nodes[node],
			     .doc_i = node };
	return declare(&b, pair);
}

void pm_graph_seal(struct pm_graph *g)
{
	free(g->pair_keys);
	free(g->pair_vals);
	g->pair_keys = NULL;
	g->pair_vals = NULL;
	g->npairs = g->pairs_cap = 0;
	pm_strmap_release(&g->seen);
	pm_strmap_init(&g->seen);
	if (g->nedges && g->nedges < g->cap) {
		struct pm_edge *e = realloc(g->edges, g->nedges * sizeof(*e));
		if (e) {
			g->edges = e;
			g->cap = g->nedges;
		}
	}
	g->sealed = true;
}

int pm_graph_build(struct pm_graph *g, const struct pm_docsum *sums, size_t n,
		   const struct pm_schema *s, const char *root, struct pm_diags *diags,
		   struct pm_error *err)
{
	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_graph_node *nodes = pm_arena_array(&a, n ? n : 1, sizeof(*nodes));
	if (!nodes) {
		pm_arena_release(&a);
		memset(g, 0, sizeof(*g));
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		nodes[i] = (struct pm_graph_node){ sums[i].id, sums[i].path, sums[i].type };
	int rc = pm_graph_begin(g, s, root, nodes, n, err);
	/* The node table must live as long as the graph: hand the arena over. */
	g->nodes_arena = a;
	/* Each key becomes a frontmatter pair again in a buffer used over. */
	struct pm_value *vals = NULL;
	struct pm_value **items = NULL;
	size_t cap = 0;
	for (size_t i = 0; !rc && i < n; i++)
		for (size_t k = 0; k < sums[i].nkeys && !rc; k++) {
			const struct pm_sumkey *key = &sums[i].keys[k];
			if (key->n + 1 > cap) {
				size_t want = key->n + 1 > 2 * cap ? key->n + 1 : 2 * cap;
				struct pm_value *v = realloc(vals, want * sizeof(*v));
				if (v)
					vals = v;
				struct pm_value **it = v ? realloc(items, want * sizeof(*it)) : NULL;
				if (it)
					items = it;
				if (!v || !it) {
					rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
					break;
				}
				cap = want;
			}
			struct pm_pair pair = pm_docsum_pair(key, vals, items);
			if (pm_graph_declare(g, i, &pair, diags))
				rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		}
	free(vals);
	free(items);
	pm_graph_seal(g);
	return rc;
}

void pm_graph_release(struct pm_graph *g)
{
	if (!g)
		return;
	free(g->edges);
	free(g->pair_keys);
	free(g->pair_vals);
	pm_strmap_release(&g->seen);
	free(g->by_id);
	pm_strmap_release(&g->paths);
	pm_arena_release(&g->nodes_arena);
	pm_arena_release(&g->arena);
	memset(g, 0, sizeof(*g));
}

unsigned char *pm_graph_mark_ends(const struct pm_graph *g, const struct pm_relation *rel,
				  bool as_source)
{
	unsigned char *marks = calloc(g->nnodes ? g->nnodes : 1, 1);
	for (size_t k = 0; marks && k < g->nedges; k++) {
		const struct pm_edge *e = &g->edges[k];
		size_t end = as_source ? e->source : e->target;
		if (e->rel == rel && end != PM_NODE_MISSING)
			marks[end] = 1;
	}
	return marks;
}

/* ---- cycles ------------------------------------------------------------- */

struct cycle_ctx {
	const struct pm_graph *g;
	const struct pm_relation *rel;
	const size_t *edge_of;	/* the finder's edge index -> g->edges index */
	struct pm_diags *diags;
	struct pm_arena *a;
};

static int report_cycle(void *ctx, const size_t *nodes, size_t len, size_t closing)
{
	struct cycle_ctx *cc = ctx;
	struct pm_buf b = PM_BUF_INIT;
	for (size_t k = 0; k <= len; k++)
		pm_buf_printf(&b, "%s%s", k ? " -> " : "", cc->g->nodes[nodes[k % len]].id);
	char *loop = b.failed ? NULL : pm_arena_strdup(cc->a, pm_buf_cstr(&b));
	pm_buf_release(&b);
	if (!loop)
		return PM_ERR_NOMEM;
	const struct pm_edge *back = &cc->g->edges[cc->edge_of[closing]];
	const struct pm_graph_node *at = &cc->g->nodes[back->declared_in];
	struct pm_diag *dg = pm_diags_add(cc->diags, at->path, back->line, back->col, PM_SEV_ERROR,
					  PM_C_CYCLE, "'%s' loops: %s", cc->rel->name, loop);
	if (!dg)
		return PM_ERR_NOMEM;
	pm_diag_set_hint(cc->diags, dg, "following '%s' must never lead back to where it "
			 "started; remove one link of the loop", cc->rel->name);
	return 0;
}

int pm_graph_check_cycles(const struct pm_graph *g, struct pm_diags *diags)
{
	size_t m = g->nedges ? g->nedges : 1;
	size_t *src = malloc(m * sizeof(*src)), *dst = malloc(m * sizeof(*dst));
	size_t *edge_of = malloc(m * sizeof(*edge_of));
	struct pm_arena a;
	pm_arena_init(&a);
	int rc = src && dst && edge_of ? 0 : PM_ERR_NOMEM;
	for (size_t r = 0; r < g->schema->nrelations && !rc; r++) {
		const struct pm_relation *rel = &g->schema->relations[r];
		if (!rel->acyclic)
			continue;
		size_t n = 0;
		for (size_t k = 0; k < g->nedges; k++) {
			const struct pm_edge *e = &g->edges[k];
			if (e->rel != rel || e->target == PM_NODE_MISSING)
				continue;
			src[n] = e->source;
			dst[n] = e->target;
			edge_of[n++] = k;
		}
		struct cycle_ctx cc = { g, rel, edge_of, diags, &a };
		rc = pm_find_cycles(g->nnodes, n, src, dst, report_cycle, &cc);
		if (rc == -1)
			rc = PM_ERR_NOMEM;
	}
	free(src);
	free(dst);
	free(edge_of);
	pm_arena_release(&a);
	return rc;
}
