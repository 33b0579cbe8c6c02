/* frontmatter.c - the --- block: splitting it off and loading it with libyaml. */
#include "frontmatter.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "codes.h"

/* ---- splitting ---------------------------------------------------------- */

/* True when the line at [p, end) is exactly `mark` plus optional blanks. */
static bool is_fence(const char *p, const char *end, const char *mark)
{
	size_t n = strlen(mark);
	if ((size_t)(end - p) < n || memcmp(p, mark, n))
		return false;
	for (p += n; p < end; p++)
		if (*p != ' ' && *p != '\t')
			return false;
	return true;
}

static size_t line_end(const struct pm_source *src, uint32_t line)
{
	size_t len;
	const char *p = pm_source_line(src, line, &len);
	return p ? (size_t)(p - src->data) + len : src->len;
}

void pm_frontmatter_split(const struct pm_source *src, struct pm_frontmatter *fm)
{
	memset(fm, 0, sizeof(*fm));
	fm->body_start = src->bom;
	fm->body_line = 1;
	size_t len;
	const char *first = pm_source_line(src, 1, &len);
	if (!first || !is_fence(first, first + len, "---"))
		return;
	fm->present = true;
	fm->open_line = 1;
	for (uint32_t l = 2; l <= src->nlines; l++) {
		const char *p = pm_source_line(src, l, &len);
		if (is_fence(p, p + len, "---") || is_fence(p, p + len, "...")) {
			fm->closed = true;
			fm->close_line = l;
			fm->yaml_start = pm_source_line_offset(src, 2);
			fm->yaml_end = pm_source_line_offset(src, l);
			fm->body_line = l + 1;
			fm->body_start = l < src->nlines ? pm_source_line_offset(src, l + 1)
							 : line_end(src, l);
			return;
		}
	}
}

/* ---- scalar resolution (YAML 1.2 core schema) --------------------------- */

static bool all_digits(const char *s, size_t n, int base)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = base == 8 ? (c >= '0' && c <= '7')
			: base == 16 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
					(c >= 'A' && c <= 'F'))
			: (c >= '0' && c <= '9');
		if (!ok)
			return false;
	}
	return true;
}

static bool eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && !memcmp(s, lit, n);
}

/* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static bool is_core_float(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	size_t int_digits = 0, frac_digits = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, int_digits++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, frac_digits++;
	}
	if (int_digits == 0 && frac_digits == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t exp = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, exp++;
		if (!exp)
			return false;
	}
	return i == n;
}

static void resolve_plain(struct pm_value *v)
{
	const char *s = v->raw;
	size_t n = v->raw_len;
	if (n == 0 || eq(s, n, "~") || eq(s, n, "null") || eq(s, n, "Null") ||
	    eq(s, n, "NULL")) {
		v->kind = PM_VAL_NULL;
		return;
	}
	if (eq(s, n, "true") || eq(s, n, "True") || eq(s, n, "TRUE")) {
		v->kind = PM_VAL_BOOL;
		v->u.b = true;
		return;
	}
	if (eq(s, n, "false") || eq(s, n, "False") || eq(s, n, "FALSE")) {
		v->kind = PM_VAL_BOOL;
		v->u.b = false;
		return;
	}
	int base = 0;
	size_t skip = 0;
	if (n > 2 && s[0] == '0' && s[1] == 'o' && all_digits(s + 2, n - 2, 8))
		base = 8, skip = 2;
	else if (n > 2 && s[0] == '0' && s[1] == 'x' && all_digits(s + 2, n - 2, 16))
		base = 16, skip = 2;
	else if (all_digits(s + (s[0] == '-' || s[0] == '+'), n - (s[0] == '-' || s[0] == '+'), 10))
		base = 10;
	if (base) {
		errno = 0;
		char *end;
		long long x = strtoll(s + skip, &end, base);
		if (errno == 0 && end == s + n) {
			v->kind = PM_VAL_INT;
			v->u.i = x;
			return;
		}
		/* Out of 64-bit range: kept as a float, as documented.  strtod
		 * reads decimal and 0x but not 0o, so octal is summed here. */
		v->kind = PM_VAL_FLOAT;
		if (base == 8) {
			v->u.f = 0;
			for (size_t k = skip; k < n; k++)
				v->u.f = v->u.f * 8 + (s[k] - '0');
		} else {
			v->u.f = strtod(s, NULL);
		}
		return;
	}
	if (is_core_float(s, n)) {
		v->kind = PM_VAL_FLOAT;
		v->u.f = strtod(s, NULL);
		return;
	}
	const char *t = s + (s[0] == '-' || s[0] == '+');
	size_t tn = n - (size_t)(t - s);
	if (eq(t, tn, ".inf") || eq(t, tn, ".Inf") || eq(t, tn, ".INF")) {
		v->kind = PM_VAL_FLOAT;
		v->u.f = s[0] == '-' ? -INFINITY : INFINITY;
		return;
	}
	if (eq(s, n, ".nan") || eq(s, n, ".NaN") || eq(s, n, ".NAN")) {
		v->kind = PM_VAL_FLOAT;
		v->u.f = NAN;
		return;
	}
	v->kind = PM_VAL_STRING;
}

#define TAG_PREFIX "tag:yaml.org,2002:"

static void resolve_scalar(struct pm_value *v, const char *tag)
{
	if (tag && !strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX))) {
		const char *t = tag + strlen(TAG_PREFIX);
		if (!strcmp(t, "str")) {
			v->kind = PM_VAL_STRING;
			return;
		}
		/* !!int, !!float, !!bool, !!null: resolve the text as if plain;
		 * a mismatch is left for the schema to report as a type error. */
		resolve_plain(v);
		return;
	}
	if ((tag && !strcmp(tag, "!")) || v->style != PM_STYLE_PLAIN) {
		v->kind = PM_VAL_STRING;
		return;
	}
	resolve_plain(v);
}

/* ---- the event loader --------------------------------------------------- */

struct frame {
	struct pm_value *value;		/* the collection being built */
	char *anchor;			/* registered when the node completes */
	size_t cap;
	bool have_key;			/* mappings: a key awaits its value */
	struct pm_pair key;
	/* Big mappings (a users file): pair index + 1 by key hash, so the
	 * duplicate check stays linear; arena-owned, NULL while small. */
	uint32_t *hidx;
	size_t hcap, hn;		/* hn: pairs entered in the table */
};

struct anchor {
	const char *name;
	struct pm_value *value;
};

struct loader {
	const struct pm_source *src;
	struct pm_arena *a;
	const struct pm_limits *lim;
	struct pm_diags *diags;
	uint32_t line0;			/* file line of the YAML's first line */
	size_t start;			/* offset of the YAML in the file */
	struct frame *stack;
	size_t depth, stack_cap;
	struct anchor *anchors;
	size_t nanchors, anchors_cap;
	size_t aliases;
	struct pm_value *root;
};

static void mark_pos(const struct loader *ld, yaml_mark_t m, uint32_t *line,
		     uint32_t *col)
{
	*line = ld->line0 + (uint32_t)m.line;
	*col = (uint32_t)m.column + 1;
}

static int fail(struct loader *ld, yaml_mark_t m, const char *code,
		const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(struct loader *ld, yaml_mark_t m, const char *code,
		const char *hint, const char *fmt, ...)
{
	uint32_t line, col;
	mark_pos(ld, m, &line, &col);
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct pm_diag *dg = pm_diags_add(ld->diags, ld->src->path, line, col,
					  PM_SEV_ERROR, code, "%s", msg);
	if (!dg)
		return PM_ERR_NOMEM;
	if (hint)
		pm_diag_set_hint(ld->diags, dg, "%s", hint);
	return PM_ERR_INVALID;
}

static struct pm_value *new_value(struct loader *ld, yaml_mark_t m)
{
	struct pm_value *v = pm_arena_alloc(ld->a, sizeof(*v));
	if (v) {
		mark_pos(ld, m, &v->line, &v->col);
		v->weight = 1;
	}
	return v;
}

static int register_anchor(struct loader *ld, const char *name, struct pm_value *v)
{
	if (!name)
		return 0;
	/* A redefined anchor replaces the old one from here on (YAML 1.2). */
	if (!PM_ARENA_PUSH(ld->a, ld->anchors, ld->nanchors, ld->anchors_cap))
		return PM_ERR_NOMEM;
	ld->anchors[ld->nanchors].name = pm_arena_strdup(ld->a, name);
	ld->anchors[ld->nanchors++].value = v;
	return 0;
}

static struct pm_value *find_anchor(struct loader *ld, const char *name)
{
	for (size_t i = ld->nanchors; i-- > 0;)
		if (!strcmp(ld->anchors[i].name, name))
			return ld->anchors[i].value;
	return NULL;
}

/* Places a finished node: as the root, a sequence item, a mapping key or a
 * mapping value. */
static size_t key_hash(const char *k)
{
	size_t h = 14695981039346656037u;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211u;
	return h;
}

/* The index of key among the mapping's pairs, or -1.  Up to 16 pairs a
 * plain scan; past that a hash table, grown to stay at most a quarter
 * full. */
static long find_key(struct loader *ld, struct frame *f, const struct pm_value *map,
		     const char *key, bool *nomem)
{
	size_t n = map->u.map.n;
	if (n < 16) {
		for (size_t i = 0; i < n; i++)
			if (!strcmp(map->u.map.pairs[i].key, key))
				return (long)i;
		return -1;
	}
	if (n > UINT32_MAX - 1) {
		*nomem = true;
		return -1;
	}
	if (4 * (n + 1) > f->hcap) {
		size_t cap = 64;
		while (cap < 8 * (n + 1))
			cap *= 2;
		uint32_t *t = pm_arena_array(ld->a, cap, sizeof(*t));
		if (!t) {
			*nomem = true;
			return -1;
		}
		f->hidx = t;
		f->hcap = cap;
		f->hn = 0;
	}
	/* Enter the pairs added since the table was last used. */
	for (; f->hn < n; f->hn++) {
		size_t j = key_hash(map->u.map.pairs[f->hn].key) & (f->hcap - 1);
		while (f->hidx[j])
			j = (j + 1) & (f->hcap - 1);
		f->hidx[j] = (uint32_t)f->hn + 1;
	}
	for (size_t j = key_hash(key) & (f->hcap - 1); f->hidx[j]; j = (j + 1) & (f->hcap - 1))
		if (!strcmp(map->u.map.pairs[f->hidx[j] - 1].key, key))
			return (long)f->hidx[j] - 1;
	return -1;
}

static int attach(struct loader *ld, struct pm_value *v, yaml_mark_t m,
		  bool is_scalar_event)
{
	if (ld->depth == 0) {
		ld->root = v;
		return 0;
	}
	struct frame *f = &ld->stack[ld->depth - 1];
	struct pm_value *parent = f->value;
	if (parent->weight + v->weight > ld->lim->max_yaml_nodes ||
	    parent->weight + v->weight < parent->weight)
		return fail(ld, m, PM_C_YAML_LIMIT, "write the values out instead of aliasing them",
			    "frontmatter expands to more than %zu nodes (an alias "
			    "counts every node it repeats)", ld->lim->max_yaml_nodes);
	if (parent->kind == PM_VAL_SEQ) {
		if (!PM_ARENA_PUSH(ld->a, parent->u.seq.items, parent->u.seq.n, f->cap))
			return PM_ERR_NOMEM;
		parent->u.seq.items[parent->u.seq.n++] = v;
		parent->weight += v->weight;
		return 0;
	}
	if (!f->have_key) {
		if (!is_scalar_event)
			return fail(ld, m, PM_C_YAML_UNSUPPORTED,
				    "write the key as text, e.g. 'name: value'",
				    "complex key: a mapping key must be a plain string");
		f->key.key = pm_arena_strndup(ld->a, v->raw, v->raw_len);
		if (!f->key.key)
			return PM_ERR_NOMEM;
		f->key.line = v->line;
		f->key.col = v->col;
		bool nomem = false;
		long dup = find_key(ld, f, parent, f->key.key, &nomem);
		if (nomem)
			return PM_ERR_NOMEM;
		if (dup >= 0) {
			const struct pm_pair *first = &parent->u.map.pairs[dup];
			return fail(ld, m, PM_C_DUPLICATE_KEY,
				    "remove one of the two; YAML keeps neither reliably",
				    "duplicate key '%s' (lines %u and %u)", f->key.key,
				    (unsigned)first->line, (unsigned)f->key.line);
		}
		f->have_key = true;
		return 0;
	}
	if (!PM_ARENA_PUSH(ld->a, parent->u.map.pairs, parent->u.map.n, f->cap))
		return PM_ERR_NOMEM;
	f->key.value = v;
	parent->u.map.pairs[parent->u.map.n++] = f->key;
	parent->weight += v->weight;
	f->have_key = false;
	return 0;
}

static int on_scalar(struct loader *ld, yaml_event_t *ev)
{
	struct pm_value *v = new_value(ld, ev->start_mark);
	if (!v)
		return PM_ERR_NOMEM;
	v->raw = pm_arena_strndup(ld->a, (const char *)ev->data.scalar.value,
				  ev->data.scalar.length);
	if (!v->raw)
		return PM_ERR_NOMEM;
	v->raw_len = ev->data.scalar.length;
	switch (ev->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		v->style = PM_STYLE_QUOTED;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		v->style = PM_STYLE_BLOCK;
		break;
	default:
		v->style = PM_STYLE_PLAIN;
	}
	resolve_scalar(v, (const char *)ev->data.scalar.tag);
	int rc = register_anchor(ld, (const char *)ev->data.scalar.anchor, v);
	return rc ? rc : attach(ld, v, ev->start_mark, true);
}

static int on_start(struct loader *ld, yaml_event_t *ev, enum pm_value_kind kind)
{
	if (ld->depth >= ld->lim->max_yaml_depth)
		return fail(ld, ev->start_mark, PM_C_YAML_LIMIT, "flatten the structure",
			    "frontmatter nests deeper than %zu levels",
			    ld->lim->max_yaml_depth);
	if (ld->depth > 0) {
		struct frame *f = &ld->stack[ld->depth - 1];
		if (f->value->kind == PM_VAL_MAP && !f->have_key)
			return fail(ld, ev->start_mark, PM_C_YAML_UNSUPPORTED,
				    "write the key as text, e.g. 'name: value'",
				    "complex key: a mapping key must be a plain string");
	}
	struct pm_value *v = new_value(ld, ev->start_mark);
	if (!v)
		return PM_ERR_NOMEM;
	v->kind = kind;
	if (!PM_ARENA_PUSH(ld->a, ld->stack, ld->depth, ld->stack_cap))
		return PM_ERR_NOMEM;
	struct frame *f = &ld->stack[ld->depth++];
	memset(f, 0, sizeof(*f));
	f->value = v;
	const yaml_char_t *anchor = kind == PM_VAL_SEQ ? ev->data.sequence_start.anchor
						      : ev->data.mapping_start.anchor;
	if (anchor && !(f->anchor = pm_arena_strdup(ld->a, (const char *)anchor)))
		return PM_ERR_NOMEM;
	return 0;
}

static int on_end(struct loader *ld, yaml_event_t *ev)
{
	struct frame f = ld->stack[--ld->depth];
	/* Registered only now, so an alias inside its own anchor is undefined
	 * rather than a cycle. */
	int rc = register_anchor(ld, f.anchor, f.value);
	return rc ? rc : attach(ld, f.value, ev->start_mark, false);
}

static int on_alias(struct loader *ld, yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct pm_value *v = find_anchor(ld, name);
	if (!v)
		return fail(ld, ev->start_mark, PM_C_YAML_UNSUPPORTED,
			    "define the anchor with '&name' before using it, outside "
			    "the node it names", "undefined alias '*%s'", name);
	if (++ld->aliases > ld->lim->max_yaml_aliases)
		return fail(ld, ev->start_mark, PM_C_YAML_LIMIT,
			    "write the values out instead of aliasing them",
			    "frontmatter uses more than %zu aliases",
			    ld->lim->max_yaml_aliases);
	return attach(ld, v, ev->start_mark, pm_value_is_scalar(v));
}

static int syntax_error(struct loader *ld, yaml_parser_t *p)
{
	if (p->error == YAML_MEMORY_ERROR)
		return PM_ERR_NOMEM;
	const char *problem = p->problem ? p->problem : "syntax error";
	if (p->error == YAML_READER_ERROR) {
		/* The reader (a control character, a NUL) sets no mark, only
		 * the byte offset. */
		uint32_t line, col;
		pm_source_position(ld->src, ld->start + p->problem_offset, &line, &col);
		struct pm_diag *dg = pm_diags_add(ld->diags, ld->src->path, line, col,
						  PM_SEV_ERROR, PM_C_YAML_SYNTAX,
						  "invalid YAML: %s", problem);
		return dg ? PM_ERR_INVALID : PM_ERR_NOMEM;
	}
	yaml_mark_t m = p->problem_mark;
	if (!p->context)
		return fail(ld, m, PM_C_YAML_SYNTAX, NULL, "invalid YAML: %s", problem);
	/* libyaml notices an unclosed quote or bracket only at the end of the
	 * frontmatter; where it was opened is where the mistake is. */
	bool at_end = strstr(problem, "end of stream") != NULL;
	yaml_mark_t other = at_end ? p->problem_mark : p->context_mark;
	if (at_end)
		m = p->context_mark;
	uint32_t line, col;
	mark_pos(ld, other, &line, &col);
	return fail(ld, m, PM_C_YAML_SYNTAX, NULL, "invalid YAML: %s %s (%s line %u, column %u)",
		    problem, p->context, at_end ? "reached the end at" : "which started at",
		    (unsigned)line, (unsigned)col);
}

static int run_events(struct loader *ld, yaml_parser_t *p)
{
	int docs = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev))
			return syntax_error(ld, p);
		int rc = 0;
		bool done = false;
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				rc = fail(ld, ev.start_mark, PM_C_YAML_UNSUPPORTED, NULL,
					  "frontmatter holds more than one YAML document");
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(ld, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_start(ld, &ev, PM_VAL_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_start(ld, &ev, PM_VAL_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = on_end(ld, &ev);
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(ld, &ev);
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (rc)
			return rc;
		if (done)
			return 0;
	}
}

/* Runs the loader over src->data[start..end), whose first line is file line
 * line0, into *root (NULL for an empty stream). */
static int load_range(const struct pm_source *src, size_t start, size_t end,
		      uint32_t line0, struct pm_arena *a, const struct pm_limits *lim,
		      struct pm_diags *diags, struct pm_value **root)
{
	struct loader ld = {
		.src = src, .a = a, .lim = lim, .diags = diags, .line0 = line0, .start = start,
	};
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return PM_ERR_NOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)src->data + start,
				     end - start);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	int rc = run_events(&ld, &p);
	yaml_parser_delete(&p);
	*root = rc ? NULL : ld.root;
	return rc;
}

int pm_yaml_load(struct pm_value **out, const struct pm_source *src,
		 struct pm_arena *a, const struct pm_limits *lim,
		 struct pm_diags *diags)
{
	size_t bad;
	if (!pm_utf8_valid(src->data, src->len, &bad)) {
		uint32_t line, col;
		pm_source_position(src, bad, &line, &col);
		return pm_diags_add(diags, src->path, line, col, PM_SEV_ERROR,
				    PM_C_INVALID_UTF8, "invalid UTF-8 byte 0x%02x",
				    (unsigned char)src->data[bad]) ? PM_ERR_INVALID : PM_ERR_NOMEM;
	}
	return load_range(src, src->bom, src->len, 1, a, lim, diags, out);
}

int pm_frontmatter_load(struct pm_frontmatter *fm, const struct pm_source *src,
			struct pm_arena *a, const struct pm_limits *lim,
			struct pm_diags *diags)
{
	fm->root = NULL;
	if (!fm->present || !fm->closed)
		return PM_ERR_INVALID;
	size_t len = fm->yaml_end - fm->yaml_start;
	if (len > lim->max_frontmatter) {
		struct pm_diag *dg = pm_diags_add(diags, src->path, fm->open_line, 1,
						  PM_SEV_ERROR, PM_C_YAML_LIMIT,
						  "frontmatter is %zu bytes, over the limit of %zu",
						  len, lim->max_frontmatter);
		if (!dg)
			return PM_ERR_NOMEM;
		pm_diag_set_hint(diags, dg, "move long text into the Markdown body");
		return PM_ERR_INVALID;
	}
	struct pm_value *root;
	int rc = load_range(src, fm->yaml_start, fm->yaml_end, fm->open_line + 1, a, lim,
			    diags, &root);
	if (rc)
		return rc;
	if (!root) {
		/* An empty block is an empty mapping: every field is missing. */
		root = pm_arena_alloc(a, sizeof(*root));
		if (!root)
			return PM_ERR_NOMEM;
		root->kind = PM_VAL_MAP;
		root->line = fm->open_line;
		root->col = 1;
		root->weight = 1;
	}
	if (root->kind != PM_VAL_MAP) {
		struct pm_diag *dg = pm_diags_add(diags, src->path, root->line,
						  root->col, PM_SEV_ERROR,
						  PM_C_NOT_MAPPING,
						  "frontmatter is a %s, not a mapping",
						  pm_value_kind_name(root->kind));
		if (!dg)
			return PM_ERR_NOMEM;
		pm_diag_set_hint(diags, dg, "write one 'key: value' per line");
		return PM_ERR_INVALID;
	}
	fm->root = root;
	return 0;
}
