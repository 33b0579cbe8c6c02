/* schema.c - reading the schema folder's YAML files into struct pm_schema. */
#include "schema.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <pcre2.h>
#include <xxhash.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "frontmatter.h"
#include "doclimits.h"
#include "source.h"
#include "suggest.h"

struct pm_regex {
	pcre2_code *code;
};

const char *const pm_rule_names[] = {
	"incident-window", "timeline-order", "action-items", "superseded-status",
	"review-dates",
};
const size_t pm_nrule_names = sizeof(pm_rule_names) / sizeof(pm_rule_names[0]);

static const char *const ftype_names[] = {
	[PM_FT_STRING] = "string", [PM_FT_INTEGER] = "integer", [PM_FT_NUMBER] = "number",
	[PM_FT_BOOL] = "bool", [PM_FT_DATE] = "date", [PM_FT_DATETIME] = "datetime",
	[PM_FT_ENUM] = "enum", [PM_FT_USER] = "user", [PM_FT_REF] = "ref",
	[PM_FT_STRING_LIST] = "string[]", [PM_FT_USER_LIST] = "user[]",
	[PM_FT_REF_LIST] = "ref[]",
};
#define NFTYPES (sizeof(ftype_names) / sizeof(ftype_names[0]))

const char *pm_ftype_name(enum pm_ftype t)
{
	return (size_t)t < NFTYPES ? ftype_names[t] : "?";
}

/* Bounds on a team's pattern: backtracking stops here and counts as no
 * match, so a catastrophic pattern cannot stall a lint. */
#define REGEX_MATCH_LIMIT 100000
#define REGEX_DEPTH_LIMIT 1000

bool pm_regex_match(const struct pm_regex *r, const char *s, size_t len)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->code, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	if (!md || !mc) {
		pcre2_match_data_free(md);
		pcre2_match_context_free(mc);
		return false;
	}
	pcre2_set_match_limit(mc, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(mc, REGEX_DEPTH_LIMIT);
	int rc = pcre2_match(r->code, (PCRE2_SPTR)s, len, 0, 0, md, mc);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	return rc >= 0;
}

struct ld {
	struct pm_schema *s;
	struct pm_diags *diags;
	const char *path;
	bool failed;
};

static void bad(struct ld *l, const struct pm_value *at, const char *hint, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

static void bad(struct ld *l, const struct pm_value *at, const char *hint, const char *fmt,
		...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct pm_diag *dg = pm_diags_add(l->diags, l->path, at ? at->line : 1, at ? at->col : 1,
					  PM_SEV_ERROR, "PM001", "%s", msg);
	if (hint)
		pm_diag_set_hint(l->diags, dg, "%s", hint);
	l->failed = true;
}

/* Reports keys of map that are not in allowed, with a did-you-mean. */
static void check_keys(struct ld *l, const struct pm_value *map, const char *what,
		       const char *const *allowed, size_t n)
{
	for (size_t i = 0; map && i < map->u.map.n; i++) {
		const struct pm_pair *p = &map->u.map.pairs[i];
		size_t k = 0;
		while (k < n && strcmp(allowed[k], p->key))
			k++;
		if (k < n)
			continue;
		const char *sug = pm_suggest(p->key, allowed, n, 1);
		struct pm_value at = { .line = p->line, .col = p->col };
		char hint[128];
		if (sug)
			snprintf(hint, sizeof(hint), "did you mean '%s'?", sug);
		bad(l, &at, sug ? hint : NULL, "unknown key '%s' in %s", p->key, what);
	}
}

static const char *str_of(struct ld *l, const struct pm_value *map, const char *key,
			  bool required, const char *what)
{
	const struct pm_value *v = pm_value_get(map, key);
	if (!v) {
		if (required)
			bad(l, map, NULL, "%s needs '%s'", what, key);
		return NULL;
	}
	if (v->kind == PM_VAL_SEQ || v->kind == PM_VAL_MAP || v->kind == PM_VAL_NULL) {
		bad(l, v, NULL, "'%s' of %s must be text", key, what);
		return NULL;
	}
	return v->raw;
}

static bool bool_of(struct ld *l, const struct pm_value *map, const char *key)
{
	const struct pm_value *v = pm_value_get(map, key);
	if (!v)
		return false;
	if (v->kind != PM_VAL_BOOL) {
		bad(l, v, "write true or false", "'%s' must be true or false", key);
		return false;
	}
	return v->u.b;
}

/* A list of strings (a single scalar counts as a list of one). */
static const char **strs_of(struct ld *l, const struct pm_value *v, size_t *n,
			    const char *what)
{
	*n = 0;
	if (!v)
		return NULL;
	size_t count = v->kind == PM_VAL_SEQ ? v->u.seq.n : 1;
	const char **out = pm_arena_array(&l->s->arena, count ? count : 1, sizeof(*out));
	if (!out)
		return NULL;
	for (size_t i = 0; i < count; i++) {
		const struct pm_value *x = v->kind == PM_VAL_SEQ ? v->u.seq.items[i] : v;
		if (!pm_value_is_scalar(x) || x->kind == PM_VAL_NULL) {
			bad(l, x, NULL, "%s must be a list of text values", what);
			return NULL;
		}
		out[(*n)++] = x->raw;
	}
	return out;
}

static struct pm_regex *compile(struct ld *l, const struct pm_value *at, const char *pattern)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C, &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR buf[160];
		pcre2_get_error_message(code, buf, sizeof(buf));
		bad(l, at, "patterns are PCRE2 (Perl-compatible) regular expressions",
		    "invalid pattern at offset %zu: %s", (size_t)off, (const char *)buf);
		return NULL;
	}
	struct pm_schema *s = l->s;
	struct pm_regex *r = pm_arena_alloc(&s->arena, sizeof(*r));
	if (!r || !PM_ARENA_PUSH(&s->arena, s->regexes, s->nregexes, s->regexes_cap)) {
		pcre2_code_free(re);
		return NULL;
	}
	r->code = re;
	s->regexes[s->nregexes++] = r;
	return r;
}

static bool parse_ftype(struct ld *l, const struct pm_value *v, enum pm_ftype *out,
			bool scalar_only)
{
	if (!v) {
		*out = PM_FT_STRING;
		return true;
	}
	for (size_t i = 0; i < NFTYPES; i++) {
		if (v->raw && !strcmp(v->raw, ftype_names[i])) {
			*out = (enum pm_ftype)i;
			if (scalar_only && *out >= PM_FT_STRING_LIST) {
				bad(l, v, NULL, "a table column holds one value, not '%s'", v->raw);
				return false;
			}
			return true;
		}
	}
	const char *sug = v->raw ? pm_suggest(v->raw, ftype_names, NFTYPES, 1) : NULL;
	char hint[160];
	snprintf(hint, sizeof(hint), sug ? "did you mean '%s'?" : "%s", sug ? sug
		 : "types: string, integer, number, bool, date, datetime, enum, user, "
		   "ref, string[], user[], ref[]");
	bad(l, v, hint, "unknown type '%s'", v->raw ? v->raw : "?");
	return false;
}

static void load_field(struct ld *l, struct pm_field_schema *f, const struct pm_pair *p)
{
	static const char *const keys[] = {
		"type", "required", "required_when", "values", "pattern", "min", "max",
		"min_items", "description", "default",
	};
	const struct pm_value *v = p->value;
	f->name = p->key;
	f->line = p->line;
	if (v->kind == PM_VAL_NULL)
		return;	/* "field:" alone is an optional string */
	if (v->kind != PM_VAL_MAP) {
		bad(l, v, "write e.g. 'title: { type: string, required: true }'",
		    "field '%s' must be a mapping", p->key);
		return;
	}
	char what[160];
	snprintf(what, sizeof(what), "field '%s'", p->key);
	check_keys(l, v, what, keys, sizeof(keys) / sizeof(keys[0]));
	parse_ftype(l, pm_value_get(v, "type"), &f->type, false);
	f->required = bool_of(l, v, "required");
	f->description = str_of(l, v, "description", false, what);
	f->default_value = pm_value_get(v, "default");
	const struct pm_value *rw = pm_value_get(v, "required_when");
	if (rw) {
		if (rw->kind != PM_VAL_MAP || rw->u.map.n != 1) {
			bad(l, rw, "write e.g. 'required_when: { status: [resolved] }'",
			    "required_when of '%s' must map one field to its values", p->key);
		} else {
			f->required_when_field = rw->u.map.pairs[0].key;
			f->required_when_values = strs_of(l, rw->u.map.pairs[0].value,
							  &f->nrequired_when, "required_when");
		}
	}
	f->values = strs_of(l, pm_value_get(v, "values"), &f->nvalues, "values");
	if (f->nvalues && f->type != PM_FT_ENUM)
		bad(l, pm_value_get(v, "values"), "set 'type: enum', or remove 'values'",
		    "'values' of field '%s' only applies to enum fields", p->key);
	if (f->type == PM_FT_ENUM && !f->nvalues)
		bad(l, v, "list them: 'values: [a, b]'", "enum field '%s' has no values", p->key);
	f->pattern = str_of(l, v, "pattern", false, what);
	if (f->pattern)
		f->regex = compile(l, pm_value_get(v, "pattern"), f->pattern);
	const struct pm_value *mn = pm_value_get(v, "min"), *mx = pm_value_get(v, "max");
	if (mn && (mn->kind == PM_VAL_INT || mn->kind == PM_VAL_FLOAT)) {
		f->has_min = true;
		f->min = mn->kind == PM_VAL_INT ? (double)mn->u.i : mn->u.f;
	} else if (mn) {
		bad(l, mn, NULL, "min of '%s' must be a number", p->key);
	}
	if (mx && (mx->kind == PM_VAL_INT || mx->kind == PM_VAL_FLOAT)) {
		f->has_max = true;
		f->max = mx->kind == PM_VAL_INT ? (double)mx->u.i : mx->u.f;
	} else if (mx) {
		bad(l, mx, NULL, "max of '%s' must be a number", p->key);
	}
	const struct pm_value *mi = pm_value_get(v, "min_items");
	if (mi && (mi->kind != PM_VAL_INT || mi->u.i < 0))
		bad(l, mi, NULL, "min_items of '%s' must be a whole number", p->key);
	else if (mi)
		f->min_items = (size_t)mi->u.i;
}

static struct pm_table_schema *load_table(struct ld *l, const struct pm_value *v)
{
	static const char *const keys[] = { "required", "min_rows", "columns" };
	static const char *const ckeys[] = { "name", "type", "required", "values", "description" };
	if (v->kind != PM_VAL_MAP) {
		bad(l, v, NULL, "table must be a mapping with 'columns'");
		return NULL;
	}
	check_keys(l, v, "table", keys, 3);
	struct pm_table_schema *t = pm_arena_alloc(&l->s->arena, sizeof(*t));
	if (!t)
		return NULL;
	t->required = bool_of(l, v, "required");
	const struct pm_value *mr = pm_value_get(v, "min_rows");
	if (mr && mr->kind == PM_VAL_INT && mr->u.i >= 0)
		t->min_rows = (size_t)mr->u.i;
	else if (mr)
		bad(l, mr, NULL, "min_rows must be a whole number");
	const struct pm_value *cols = pm_value_get(v, "columns");
	if (!cols || cols->kind != PM_VAL_SEQ || !cols->u.seq.n) {
		bad(l, cols ? cols : v, NULL, "table needs a list of columns");
		return t;
	}
	t->columns = pm_arena_array(&l->s->arena, cols->u.seq.n, sizeof(*t->columns));
	if (!t->columns)
		return NULL;
	for (size_t i = 0; i < cols->u.seq.n; i++) {
		const struct pm_value *c = cols->u.seq.items[i];
		struct pm_column_schema *col = &t->columns[t->ncolumns];
		if (c->kind == PM_VAL_STRING) {
			col->name = c->raw;
			t->ncolumns++;
			continue;
		}
		if (c->kind != PM_VAL_MAP) {
			bad(l, c, NULL, "a column is a name or a mapping with 'name'");
			continue;
		}
		check_keys(l, c, "column", ckeys, 5);
		col->name = str_of(l, c, "name", true, "column");
		parse_ftype(l, pm_value_get(c, "type"), &col->type, true);
		col->required = bool_of(l, c, "required");
		col->description = str_of(l, c, "description", false, "column");
		col->values = strs_of(l, pm_value_get(c, "values"), &col->nvalues, "values");
		if (col->nvalues && col->type != PM_FT_ENUM)
			bad(l, pm_value_get(c, "values"), "set 'type: enum', or remove 'values'",
			    "'values' of a column only applies to enum columns");
		if (col->type == PM_FT_ENUM && !col->nvalues)
			bad(l, c, NULL, "enum column has no values");
		if (col->name)
			t->ncolumns++;
	}
	return t;
}

static struct pm_section_schema *load_sections(struct ld *l, const struct pm_value *v,
					       size_t *n, int depth)
{
	static const char *const keys[] = { "name", "required", "description", "table", "sections",
					    "min_items", "non_empty" };
	*n = 0;
	if (!v)
		return NULL;
	if (v->kind != PM_VAL_SEQ) {
		bad(l, v, "write '- name: Summary' items", "sections must be a list");
		return NULL;
	}
	if (depth > 6) {
		bad(l, v, NULL, "sections nest deeper than Markdown headings can");
		return NULL;
	}
	struct pm_section_schema *out = pm_arena_array(&l->s->arena, v->u.seq.n ? v->u.seq.n : 1,
						       sizeof(*out));
	if (!out)
		return NULL;
	for (size_t i = 0; i < v->u.seq.n; i++) {
		const struct pm_value *sv = v->u.seq.items[i];
		struct pm_section_schema *sec = &out[*n];
		if (sv->kind == PM_VAL_STRING) {
			sec->name = sv->raw;
			(*n)++;
			continue;
		}
		if (sv->kind != PM_VAL_MAP) {
			bad(l, sv, NULL, "a section is a name or a mapping with 'name'");
			continue;
		}
		check_keys(l, sv, "section", keys, sizeof(keys) / sizeof(keys[0]));
		sec->name = str_of(l, sv, "name", true, "section");
		sec->required = bool_of(l, sv, "required");
		sec->non_empty = bool_of(l, sv, "non_empty");
		const struct pm_value *mi = pm_value_get(sv, "min_items");
		if (mi && (mi->kind != PM_VAL_INT || mi->u.i < 0))
			bad(l, mi, NULL, "min_items of a section must be a whole number");
		else if (mi)
			sec->min_items = (size_t)mi->u.i;
		sec->description = str_of(l, sv, "description", false, "section");
		const struct pm_value *t = pm_value_get(sv, "table");
		if (t)
			sec->table = load_table(l, t);
		sec->sections = load_sections(l, pm_value_get(sv, "sections"), &sec->nsections,
					      depth + 1);
		if (sec->name)
			(*n)++;
	}
	return out;
}

static void load_type(struct ld *l, struct pm_type_schema *t, const struct pm_value *root,
		      const char *file_type)
{
	static const char *const keys[] = { "type", "prefix", "description", "fields",
					    "sections", "rules" };
	check_keys(l, root, "a type schema", keys, 6);
	struct pm_arena *a = &l->s->arena;
	t->path = l->path;
	t->name = str_of(l, root, "type", false, "the type");
	if (!t->name)
		t->name = file_type;
	t->prefix = str_of(l, root, "prefix", false, "the type");
	if (!t->prefix) {
		char *p = pm_arena_strdup(a, t->name);
		for (char *c = p; c && *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		t->prefix = p;
	}
	t->description = str_of(l, root, "description", false, "the type");
	const struct pm_value *fields = pm_value_get(root, "fields");
	if (fields && fields->kind != PM_VAL_MAP) {
		bad(l, fields, NULL, "fields must be a mapping of field names");
	} else if (fields) {
		t->fields = pm_arena_array(a, fields->u.map.n ? fields->u.map.n : 1,
					   sizeof(*t->fields));
		for (size_t i = 0; t->fields && i < fields->u.map.n; i++)
			load_field(l, &t->fields[t->nfields++], &fields->u.map.pairs[i]);
		/* required_when must name a field of the type */
		for (size_t i = 0; i < t->nfields; i++) {
			const char *w = t->fields[i].required_when_field;
			if (w && !pm_type_field(t, w)) {
				struct pm_value at = { .line = t->fields[i].line, .col = 1 };
				bad(l, &at, NULL, "required_when of '%s' names unknown field '%s'",
				    t->fields[i].name, w);
			}
		}
	}
	t->sections = load_sections(l, pm_value_get(root, "sections"), &t->nsections, 1);
	const struct pm_value *rules = pm_value_get(root, "rules");
	if (rules && rules->kind != PM_VAL_MAP) {
		bad(l, rules, NULL, "rules must be a mapping of rule names to parameters");
	} else if (rules) {
		t->rules = pm_arena_array(a, rules->u.map.n ? rules->u.map.n : 1, sizeof(*t->rules));
		for (size_t i = 0; t->rules && i < rules->u.map.n; i++) {
			const struct pm_pair *p = &rules->u.map.pairs[i];
			size_t k = 0;
			while (k < pm_nrule_names && strcmp(pm_rule_names[k], p->key))
				k++;
			if (k == pm_nrule_names) {
				const char *sug = pm_suggest(p->key, pm_rule_names, pm_nrule_names, 1);
				struct pm_value at = { .line = p->line, .col = p->col };
				char hint[128];
				snprintf(hint, sizeof(hint), "did you mean '%s'?", sug ? sug : "");
				bad(l, &at, sug ? hint : NULL, "unknown rule '%s'", p->key);
				continue;
			}
			if (p->value->kind == PM_VAL_BOOL && !p->value->u.b)
				continue;	/* "rule: false" switches it off */
			t->rules[t->nrules].name = p->key;
			t->rules[t->nrules++].params = p->value;
		}
	}
}

static void load_relations(struct ld *l, const struct pm_value *root)
{
	static const char *const keys[] = { "id_pattern", "relations" };
	static const char *const rkeys[] = { "name", "inverse", "symmetric", "cardinality",
					     "acyclic", "sources", "targets", "description" };
	check_keys(l, root, "relations.yaml", keys, 2);
	struct pm_schema *s = l->s;
	const char *idp = str_of(l, root, "id_pattern", false, "relations.yaml");
	if (idp) {
		s->id_pattern = idp;
		s->id_regex = compile(l, pm_value_get(root, "id_pattern"), idp);
	}
	const struct pm_value *rels = pm_value_get(root, "relations");
	if (!rels)
		return;
	if (rels->kind != PM_VAL_SEQ) {
		bad(l, rels, NULL, "relations must be a list");
		return;
	}
	s->relations = pm_arena_array(&s->arena, rels->u.seq.n ? rels->u.seq.n : 1,
				      sizeof(*s->relations));
	for (size_t i = 0; s->relations && i < rels->u.seq.n; i++) {
		const struct pm_value *rv = rels->u.seq.items[i];
		if (rv->kind != PM_VAL_MAP) {
			bad(l, rv, NULL, "a relation is a mapping with 'name'");
			continue;
		}
		check_keys(l, rv, "relation", rkeys, 8);
		struct pm_relation *r = &s->relations[s->nrelations];
		r->name = str_of(l, rv, "name", true, "relation");
		r->inverse = str_of(l, rv, "inverse", false, "relation");
		r->symmetric = bool_of(l, rv, "symmetric");
		r->acyclic = bool_of(l, rv, "acyclic");
		r->description = str_of(l, rv, "description", false, "relation");
		const char *card = str_of(l, rv, "cardinality", false, "relation");
		r->many = !card || !strcmp(card, "many");
		if (card && strcmp(card, "one") && strcmp(card, "many"))
			bad(l, pm_value_get(rv, "cardinality"), NULL,
			    "cardinality is 'one' or 'many', not '%s'", card);
		if (r->symmetric && r->inverse)
			bad(l, rv, NULL, "a symmetric relation has no inverse");
		r->sources = strs_of(l, pm_value_get(rv, "sources"), &r->nsources, "sources");
		r->targets = strs_of(l, pm_value_get(rv, "targets"), &r->ntargets, "targets");
		if (r->name)
			s->nrelations++;
	}
}

static int load_file(struct pm_schema *s, const char *dir, const char *name,
		     struct pm_diags *diags, struct pm_error *err)
{
	struct ld l = { .s = s, .diags = diags };
	l.path = pm_arena_printf(&s->arena, "%s/%s", dir, name);
	if (!l.path)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	struct pm_source src;
	struct pm_limits lim = PM_LIMITS_DEFAULT;
	lim.max_yaml_nodes = 100000;
	int rc = pm_source_read(&src, &s->arena, l.path, lim.max_file_size, err);
	if (rc)
		return pm_error_set(err, rc, "%s: %s", l.path, err->msg);
	/* The index re-reads everything when the schema changes. */
	s->fingerprint = XXH3_64bits_withSeed(src.data, src.len,
					      s->fingerprint ^ XXH3_64bits(name, strlen(name)));
	struct pm_value *root = NULL;
	rc = pm_yaml_load(&root, &src, &s->arena, &lim, diags);
	if (rc == PM_ERR_NOMEM)
		return pm_error_set(err, rc, "out of memory");
	if (rc)
		return PM_ERR_INVALID;
	if (!root || root->kind != PM_VAL_MAP) {
		bad(&l, root, NULL, "a schema file must be a mapping");
		return PM_ERR_INVALID;
	}
	if (!strcmp(name, "relations.yaml")) {
		load_relations(&l, root);
	} else {
		char *type = pm_arena_strndup(&s->arena, name, strlen(name) - 5);
		struct pm_type_schema *t = &s->types[s->ntypes];
		memset(t, 0, sizeof(*t));
		load_type(&l, t, root, type);
		for (size_t i = 0; i < s->ntypes; i++)
			if (!strcmp(s->types[i].name, t->name))
				bad(&l, root, NULL, "type '%s' is defined twice (also in %s)",
				    t->name, s->types[i].path);
		s->ntypes++;
	}
	return l.failed ? PM_ERR_INVALID : 0;
}

struct schema_file {
	const char *dir, *name;
};

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct schema_file *)a)->name, ((const struct schema_file *)b)->name);
}

/* Lists dir's *.yaml files into files; a name already listed (from an
 * earlier dir) is taken over by this dir. */
static int list_dir(struct pm_schema *s, const char *dir, struct schema_file **files, size_t *n,
		    size_t *cap, struct pm_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return pm_error_set(err, PM_ERR_IO, "cannot open schema folder %s: %s", dir,
				    strerror(errno));
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		size_t i = 0;
		while (i < *n && strcmp((*files)[i].name, e->d_name))
			i++;
		if (i == *n) {
			if (!PM_ARENA_PUSH(&s->arena, *files, *n, *cap) ||
			    !((*files)[i].name = pm_arena_strdup(&s->arena, e->d_name))) {
				rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
				break;
			}
			(*n)++;
		}
		(*files)[i].dir = dir;
	}
	closedir(d);
	return rc;
}

int pm_schema_load(struct pm_schema **out, const char *const *dirs, size_t ndirs,
		   struct pm_diags *diags, struct pm_error *err)
{
	struct pm_schema *s = calloc(1, sizeof(*s));
	*out = s;
	if (!s)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	pm_arena_init(&s->arena);
	s->dir = pm_arena_strdup(&s->arena, ndirs ? dirs[ndirs - 1] : ".");
	struct schema_file *files = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < ndirs; i++) {
		int rc = list_dir(s, dirs[i], &files, &n, &cap, err);
		if (rc)
			return rc;
	}
	if (n > 1)
		qsort(files, n, sizeof(*files), cmp_file);
	s->types = pm_arena_array(&s->arena, n ? n : 1, sizeof(*s->types));
	if (!s->types)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	int worst = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = load_file(s, files[i].dir, files[i].name, diags, err);
		if (rc == PM_ERR_NOMEM || rc == PM_ERR_IO)
			return rc;
		if (rc)
			worst = rc;
	}
	if (!s->ntypes && !worst)
		return pm_error_set(err, PM_ERR_INVALID, "schema folder %s has no type files "
				    "(*.yaml besides relations.yaml)", s->dir);
	s->prefixes = pm_arena_array(&s->arena, s->ntypes ? s->ntypes : 1, sizeof(*s->prefixes));
	for (size_t i = 0; s->prefixes && i < s->ntypes; i++)
		s->prefixes[s->nprefixes++] = s->types[i].prefix;
	if (worst)
		pm_error_set(err, worst, "the schema in %s has errors", s->dir);
	return worst;
}

void pm_schema_free(struct pm_schema *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nregexes; i++)
		pcre2_code_free(s->regexes[i]->code);
	pm_arena_release(&s->arena);
	free(s);
}

const struct pm_type_schema *pm_schema_type(const struct pm_schema *s, const char *name)
{
	for (size_t i = 0; name && i < s->ntypes; i++)
		if (!strcmp(s->types[i].name, name))
			return &s->types[i];
	return NULL;
}

const struct pm_relation *pm_schema_relation(const struct pm_schema *s, const char *key,
					     bool *inverse)
{
	for (size_t i = 0; i < s->nrelations; i++) {
		const struct pm_relation *r = &s->relations[i];
		if (!strcmp(r->name, key)) {
			*inverse = false;
			return r;
		}
		if (r->inverse && !strcmp(r->inverse, key)) {
			*inverse = true;
			return r;
		}
	}
	return NULL;
}

const struct pm_field_schema *pm_type_field(const struct pm_type_schema *t, const char *name)
{
	for (size_t i = 0; i < t->nfields; i++)
		if (!strcmp(t->fields[i].name, name))
			return &t->fields[i];
	return NULL;
}

const struct pm_rule *pm_type_rule(const struct pm_type_schema *t, const char *name)
{
	for (size_t i = 0; i < t->nrules; i++)
		if (!strcmp(t->rules[i].name, name))
			return &t->rules[i];
	return NULL;
}
