/* config.c - finding and reading .pmtool.yaml; filtering findings by it. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "codes.h"
#include "frontmatter.h"
#include "source.h"
#include "suggest.h"
#include "value.h"

/* Folders tried on the way up before giving up (deeper trees are absurd). */
#define MAX_WALK 256
/* The config is a few lines; a megabyte is generous. */
#define MAX_CONFIG_SIZE (1u << 20)

static const char *const top_keys[] = {
	"docs_root", "schema", "users", "templates", "disable", "severity", "limits",
};
#define NTOP_KEYS (sizeof(top_keys) / sizeof(top_keys[0]))

static const struct {
	const char *name;
	size_t offset;
} limit_keys[] = {
	{ "max_file_size", offsetof(struct pm_limits, max_file_size) },
	{ "max_frontmatter", offsetof(struct pm_limits, max_frontmatter) },
	{ "max_yaml_depth", offsetof(struct pm_limits, max_yaml_depth) },
	{ "max_yaml_aliases", offsetof(struct pm_limits, max_yaml_aliases) },
	{ "max_yaml_nodes", offsetof(struct pm_limits, max_yaml_nodes) },
	{ "max_table_columns", offsetof(struct pm_limits, max_table_columns) },
	{ "max_table_rows", offsetof(struct pm_limits, max_table_rows) },
	{ "max_sections", offsetof(struct pm_limits, max_sections) },
	{ "max_markup", offsetof(struct pm_limits, max_markup) },
	{ "max_section_depth", offsetof(struct pm_limits, max_section_depth) },
	{ "max_output_line", offsetof(struct pm_limits, max_output_line) },
};
#define NLIMIT_KEYS (sizeof(limit_keys) / sizeof(limit_keys[0]))

static const char *const severity_words[] = { "error", "warning", "note", "off" };
#define NSEVERITY_WORDS (sizeof(severity_words) / sizeof(severity_words[0]))

/* The code or name closest to word, or NULL.  Points into the code table. */
static const char *suggest_code(const char *word)
{
	size_t n;
	const struct pm_code_info *t = pm_code_table(&n);
	const char **cand = malloc(2 * n * sizeof(*cand));
	if (!cand)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		cand[2 * i] = t[i].code;
		cand[2 * i + 1] = t[i].name;
	}
	const char *s = pm_suggest(word, cand, 2 * n, 1);
	free(cand);
	return s;
}

static size_t code_index(const struct pm_code_info *ci)
{
	size_t n;
	return (size_t)(ci - pm_code_table(&n));
}

/* Loading state for one file. */
struct ld {
	struct pm_config *c;
	struct pm_diags *diags;
	size_t disabled_cap;
	bool failed;
	bool nomem;
};

static void bad(struct ld *l, uint32_t line, uint32_t col, const char *hint,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void bad(struct ld *l, uint32_t line, uint32_t col, const char *hint,
		const char *fmt, ...)
{
	l->failed = true;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = n < 0 ? NULL : malloc((size_t)n + 1);
	if (!msg) {
		l->nomem = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	struct pm_diag *dg = pm_diags_add(l->diags, l->c->path, line, col, PM_SEV_ERROR,
					  PM_C_CONFIG, "%s", msg);
	free(msg);
	if (!dg)
		l->nomem = true;
	else if (hint)
		pm_diag_set_hint(l->diags, dg, "%s", hint);
}

/* A did-you-mean hint in the config's arena, or NULL. */
static const char *mean_hint(struct ld *l, const char *sug)
{
	if (!sug)
		return NULL;
	const char *h = pm_arena_printf(&l->c->arena, "did you mean '%s'?", sug);
	if (!h)
		l->nomem = true;
	return h;
}

/* True for a string scalar without NUL bytes (raw is then a C string). */
static bool is_text(const struct pm_value *v)
{
	return v->kind == PM_VAL_STRING && strlen(v->raw) == v->raw_len;
}

/* Joins base and a relative path; an absolute one is kept as written. */
static const char *resolve(struct ld *l, const char *value)
{
	const char *base = l->c->base;
	const char *r;
	if (value[0] == '/' || !strcmp(base, "."))
		r = pm_arena_strdup(&l->c->arena, value);
	else
		r = pm_arena_printf(&l->c->arena, "%s%s%s", base,
				    base[strlen(base) - 1] == '/' ? "" : "/", value);
	if (!r)
		l->nomem = true;
	return r;
}

/* A path value: text (a number is a folder name too); null means unset. */
static const char *path_value(struct ld *l, const struct pm_pair *p)
{
	const struct pm_value *v = p->value;
	if (v->kind == PM_VAL_NULL)
		return NULL;
	bool scalar_name = v->kind == PM_VAL_INT || v->kind == PM_VAL_FLOAT;
	if (!is_text(v) && !scalar_name) {
		bad(l, v->line, v->col, "write a path relative to the config file",
		    "'%s' must be a path, not a %s", p->key, pm_value_kind_name(v->kind));
		return NULL;
	}
	if (!v->raw_len) {
		bad(l, v->line, v->col, "remove the key to use the default", "'%s' is empty",
		    p->key);
		return NULL;
	}
	return resolve(l, v->raw);
}

/* The code a value names, or NULL after reporting it. */
static const struct pm_code_info *code_value(struct ld *l, const struct pm_value *v,
					     const char *key, uint32_t line, uint32_t col)
{
	if (!is_text(v)) {
		bad(l, line, col, "write a code such as 'PM307' or a name such as "
		    "'unknown-field'", "'%s' takes codes or names, not a %s", key,
		    pm_value_kind_name(v->kind));
		return NULL;
	}
	const struct pm_code_info *ci = pm_code_lookup(v->raw);
	if (!ci)
		bad(l, line, col, mean_hint(l, suggest_code(v->raw)),
		    "unknown code '%s' in '%s'", v->raw, key);
	return ci;
}

static void add_disabled(struct ld *l, const char *as_written)
{
	struct pm_config *c = l->c;
	if (!PM_ARENA_PUSH(&c->arena, c->disabled, c->ndisabled, l->disabled_cap) ||
	    !(c->disabled[c->ndisabled] = pm_arena_strdup(&c->arena, as_written))) {
		l->nomem = true;
		return;
	}
	c->ndisabled++;
}

static void load_disable(struct ld *l, const struct pm_pair *p)
{
	const struct pm_value *v = p->value;
	if (v->kind == PM_VAL_NULL)
		return;
	if (v->kind != PM_VAL_SEQ) {
		if (code_value(l, v, p->key, v->line, v->col))
			add_disabled(l, v->raw);
		return;
	}
	for (size_t i = 0; i < v->u.seq.n; i++) {
		const struct pm_value *item = v->u.seq.items[i];
		if (code_value(l, item, p->key, item->line, item->col))
			add_disabled(l, item->raw);
	}
}

static void load_severity(struct ld *l, const struct pm_pair *p)
{
	const struct pm_value *v = p->value;
	struct pm_config *c = l->c;
	if (v->kind == PM_VAL_NULL)
		return;
	if (v->kind != PM_VAL_MAP) {
		bad(l, v->line, v->col, "write 'severity: {PM502: error, unknown-field: off}'",
		    "'severity' must be a mapping of codes to severities, not a %s",
		    pm_value_kind_name(v->kind));
		return;
	}
	size_t ncodes;
	pm_code_table(&ncodes);
	const char **seen = calloc(ncodes, sizeof(*seen));
	c->overrides = pm_arena_array(&c->arena, v->u.map.n ? v->u.map.n : 1,
				      sizeof(*c->overrides));
	if (!seen || !c->overrides) {
		free(seen);
		l->nomem = true;
		return;
	}
	for (size_t i = 0; i < v->u.map.n; i++) {
		const struct pm_pair *q = &v->u.map.pairs[i];
		struct pm_value key = { .kind = PM_VAL_STRING, .raw = q->key,
					.raw_len = strlen(q->key) };
		const struct pm_code_info *ci = code_value(l, &key, "severity", q->line, q->col);
		const struct pm_value *sv = q->value;
		size_t w = NSEVERITY_WORDS;
		if (is_text(sv))
			for (w = 0; w < NSEVERITY_WORDS && strcmp(severity_words[w], sv->raw); w++)
				;
		if (w == NSEVERITY_WORDS) {
			const char *sug = is_text(sv) ? pm_suggest(sv->raw, severity_words,
								   NSEVERITY_WORDS, 1) : NULL;
			/* "warn" is too far from "warning" for an edit, but a prefix. */
			for (size_t k = 0; !sug && is_text(sv) && sv->raw_len && k < NSEVERITY_WORDS; k++)
				if (!strncmp(severity_words[k], sv->raw, sv->raw_len))
					sug = severity_words[k];
			bad(l, sv->line, sv->col,
			    sug ? mean_hint(l, sug) : "use error, warning, note or off",
			    "severity of '%s' must be error, warning, note or off", q->key);
			continue;
		}
		if (!ci)
			continue;
		size_t k = code_index(ci);
		if (seen[k]) {
			bad(l, q->line, q->col, NULL, "severity of %s is set twice (also as '%s')",
			    ci->code, seen[k]);
			continue;
		}
		seen[k] = q->key;
		if (!strcmp(severity_words[w], "off")) {
			add_disabled(l, q->key);
			continue;
		}
		c->overrides[c->noverrides].code = ci->code;
		c->overrides[c->noverrides].severity = w == 0 ? PM_SEV_ERROR :
						       w == 1 ? PM_SEV_WARNING : PM_SEV_NOTE;
		c->noverrides++;
	}
	free(seen);
}

static void load_limits(struct ld *l, const struct pm_pair *p)
{
	const struct pm_value *v = p->value;
	if (v->kind == PM_VAL_NULL)
		return;
	if (v->kind != PM_VAL_MAP) {
		bad(l, v->line, v->col, "write 'limits: {max_file_size: 1048576}'",
		    "'limits' must be a mapping, not a %s", pm_value_kind_name(v->kind));
		return;
	}
	const char *names[NLIMIT_KEYS];
	for (size_t k = 0; k < NLIMIT_KEYS; k++)
		names[k] = limit_keys[k].name;
	for (size_t i = 0; i < v->u.map.n; i++) {
		const struct pm_pair *q = &v->u.map.pairs[i];
		size_t k = 0;
		while (k < NLIMIT_KEYS && strcmp(names[k], q->key))
			k++;
		if (k == NLIMIT_KEYS) {
			bad(l, q->line, q->col, mean_hint(l, pm_suggest(q->key, names,
									NLIMIT_KEYS, 1)),
			    "unknown limit '%s'", q->key);
			continue;
		}
		const struct pm_value *n = q->value;
		if (n->kind != PM_VAL_INT || n->u.i <= 0 || (uint64_t)n->u.i > SIZE_MAX) {
			bad(l, n->line, n->col, "write a whole number such as 1000",
			    "limit '%s' must be a positive integer", q->key);
			continue;
		}
		size_t *field = (size_t *)((char *)&l->c->limits + limit_keys[k].offset);
		*field = (size_t)n->u.i;
	}
}

static void load_root(struct ld *l, const struct pm_value *root)
{
	struct pm_config *c = l->c;
	for (size_t i = 0; i < root->u.map.n; i++) {
		const struct pm_pair *p = &root->u.map.pairs[i];
		if (!strcmp(p->key, "docs_root"))
			c->docs_root = path_value(l, p);
		else if (!strcmp(p->key, "schema"))
			c->schema_dir = path_value(l, p);
		else if (!strcmp(p->key, "users"))
			c->users_file = path_value(l, p);
		else if (!strcmp(p->key, "templates"))
			c->templates_dir = path_value(l, p);
		else if (!strcmp(p->key, "disable"))
			load_disable(l, p);
		else if (!strcmp(p->key, "severity"))
			load_severity(l, p);
		else if (!strcmp(p->key, "limits"))
			load_limits(l, p);
		else
			bad(l, p->line, p->col,
			    mean_hint(l, pm_suggest(p->key, top_keys, NTOP_KEYS, 1)),
			    "unknown key '%s' in %s", p->key, PM_CONFIG_NAME);
	}
}

/* The folder of a path, lexically: "a/b/f" -> "a/b", "f" -> ".", "/f" -> "/". */
static const char *folder_of(struct pm_arena *a, const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	if (n == 0)
		return pm_arena_strdup(a, ".");
	while (n > 1 && path[n - 1] == '/')
		n--;
	return pm_arena_strndup(a, path, n);
}

static struct pm_config *config_new(void)
{
	struct pm_config *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	pm_arena_init(&c->arena);
	struct pm_limits def = PM_LIMITS_DEFAULT;
	c->limits = def;
	return c;
}

/* Reads path into c (fresh from config_new()). */
static int load_into(struct pm_config *c, const char *path, struct pm_diags *diags,
		     struct pm_error *err)
{
	struct ld l = { .c = c, .diags = diags };
	c->path = pm_arena_strdup(&c->arena, path);
	c->base = c->path ? folder_of(&c->arena, c->path) : NULL;
	if (!c->base)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	struct pm_source src;
	struct pm_error rerr = { 0 };
	int rc = pm_source_read(&src, &c->arena, path, MAX_CONFIG_SIZE, &rerr);
	if (rc)
		return pm_error_set(err, rc == PM_ERR_NOMEM ? rc : PM_ERR_IO, "%s: %s", path,
				    rerr.msg);
	struct pm_limits lim = PM_LIMITS_DEFAULT;
	struct pm_value *root = NULL;
	size_t first = diags->n;
	rc = pm_yaml_load(&root, &src, &c->arena, &lim, diags);
	/* Whatever the YAML layer found is a problem of the config file. */
	for (size_t i = first; i < diags->n; i++)
		diags->items[i].code = PM_C_CONFIG;
	if (rc == PM_ERR_NOMEM)
		return pm_error_set(err, rc, "out of memory");
	if (rc)
		return PM_ERR_INVALID;
	if (!root)
		return 0;	/* an empty file: every default */
	if (root->kind != PM_VAL_MAP) {
		bad(&l, root->line, root->col, "write one 'key: value' per line",
		    "%s is a %s, not a mapping", PM_CONFIG_NAME, pm_value_kind_name(root->kind));
	} else {
		load_root(&l, root);
	}
	if (l.nomem)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	return l.failed ? PM_ERR_INVALID : 0;
}

int pm_config_load(struct pm_config **out, const char *path, struct pm_diags *diags,
		   struct pm_error *err)
{
	struct pm_config *c = config_new();
	*out = c;
	if (!c)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	return load_into(c, path, diags, err);
}

/* Lexically tidies a path into a malloc'd string: drops empty and "."
 * components and folds "name/.." pairs; "" becomes ".", "/.." becomes "/". */
static char *tidy(const char *path)
{
	size_t n = strlen(path);
	char *o = malloc(n + 2);
	if (!o)
		return NULL;
	size_t root = path[0] == '/', len = root;
	if (root)
		o[0] = '/';
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t cl = (size_t)(p - s);
		if (cl == 0 || (cl == 1 && s[0] == '.'))
			continue;
		if (cl == 2 && s[0] == '.' && s[1] == '.') {
			size_t k = len;
			while (k > root && o[k - 1] != '/')
				k--;
			bool last_dotdot = len - k == 2 && o[k] == '.' && o[k + 1] == '.';
			if (len > root && !last_dotdot) {
				len = k > root ? k - 1 : root;
				continue;
			}
			if (root)
				continue;
		}
		if (len > root)
			o[len++] = '/';
		memcpy(o + len, s, cl);
		len += cl;
	}
	if (len == 0)
		o[len++] = '.';
	o[len] = '\0';
	return o;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* The folder above a tidy dir as a new malloc'd string, or NULL at the
 * root (*nomem tells the two apart). */
static char *parent_of(const char *dir, bool *nomem)
{
	size_t len = strlen(dir);
	*nomem = false;
	if (!strcmp(dir, "/"))
		return NULL;
	size_t k = len;
	while (k > 0 && dir[k - 1] != '/')
		k--;
	bool up = !strcmp(dir, ".") || (len - k == 2 && !strcmp(dir + k, ".."));
	char *p = malloc(len + 4);
	if (!p) {
		*nomem = true;
		return NULL;
	}
	if (!up) {
		/* "a/b" -> "a", "b" -> ".", "/a" -> "/" */
		if (k == 0)
			strcpy(p, ".");
		else if (k == 1)
			strcpy(p, "/");
		else {
			memcpy(p, dir, k - 1);
			p[k - 1] = '\0';
		}
		return p;
	}
	/* "." or "../..": going further up is only possible below the root. */
	if (!strcmp(dir, "."))
		strcpy(p, "..");
	else
		snprintf(p, len + 4, "%s/..", dir);
	if (same_file(dir, p)) {
		free(p);
		return NULL;
	}
	return p;
}

static char *candidate(const char *dir)
{
	size_t n = strlen(dir) + sizeof(PM_CONFIG_NAME) + 1;
	char *p = malloc(n);
	if (!p)
		return NULL;
	if (!strcmp(dir, "."))
		snprintf(p, n, "%s", PM_CONFIG_NAME);
	else
		snprintf(p, n, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", PM_CONFIG_NAME);
	return p;
}

int pm_config_find(struct pm_config **out, const char *start_dir, struct pm_diags *diags,
		   struct pm_error *err)
{
	struct pm_config *c = config_new();
	*out = c;
	if (!c)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	if (!start_dir || !*start_dir)
		start_dir = ".";
	struct stat st;
	if (stat(start_dir, &st) < 0)
		return pm_error_set(err, PM_ERR_IO, "cannot look for %s from %s: %s",
				    PM_CONFIG_NAME, start_dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return pm_error_set(err, PM_ERR_IO, "cannot look for %s from %s: not a folder",
				    PM_CONFIG_NAME, start_dir);
	char *dir = tidy(start_dir);
	int rc = dir ? 0 : pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	for (int depth = 0; dir && depth < MAX_WALK; depth++) {
		char *file = candidate(dir);
		if (!file) {
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
			break;
		}
		/* A folder we may not search on the way up is passed by. */
		if (stat(file, &st) == 0) {
			rc = load_into(c, file, diags, err);
			free(file);
			break;
		}
		free(file);
		bool nomem;
		char *up = parent_of(dir, &nomem);
		free(dir);
		dir = up;
		if (nomem)
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	free(dir);
	return rc;
}

void pm_config_free(struct pm_config *c)
{
	if (!c)
		return;
	pm_arena_release(&c->arena);
	free(c);
}

/* What the filter does with one code. */
enum { KEEP = -1, DROP = -2 };

/* Marks every code of the comma-separated list as DROP in state; returns
 * PM_ERR_INVALID for an unknown one. */
static int mark_extra(signed char *state, const char *list, struct pm_error *err)
{
	char *copy = malloc(strlen(list) + 1);
	if (!copy)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	strcpy(copy, list);
	int rc = 0;
	for (char *p = copy; *p;) {
		char *tok = p;
		while (*p && *p != ',')
			p++;
		char *end = p;
		if (*p)
			p++;
		while (tok < end && (*tok == ' ' || *tok == '\t'))
			tok++;
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		if (!*tok)
			continue;
		const struct pm_code_info *ci = pm_code_lookup(tok);
		if (!ci) {
			const char *sug = suggest_code(tok);
			rc = pm_error_set(err, PM_ERR_INVALID, "unknown code '%s'%s%s%s", tok,
					  sug ? " (did you mean '" : "", sug ? sug : "",
					  sug ? "'?)" : "");
			break;
		}
		state[code_index(ci)] = DROP;
	}
	free(copy);
	return rc;
}

int pm_config_filter(const struct pm_config *c, const char *extra_disabled,
		     struct pm_diags *diags, struct pm_error *err)
{
	size_t ncodes;
	const struct pm_code_info *table = pm_code_table(&ncodes);
	signed char *state = malloc(ncodes);
	if (!state)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	memset(state, KEEP, ncodes);
	int rc = 0;
	for (size_t i = 0; c && i < c->noverrides; i++) {
		const struct pm_code_info *ci = pm_code_lookup(c->overrides[i].code);
		if (ci)
			state[code_index(ci)] = (signed char)c->overrides[i].severity;
	}
	for (size_t i = 0; c && i < c->ndisabled; i++) {
		const struct pm_code_info *ci = pm_code_lookup(c->disabled[i]);
		if (ci)
			state[code_index(ci)] = DROP;
	}
	if (extra_disabled && (rc = mark_extra(state, extra_disabled, err)))
		goto out;
	size_t kept = 0;
	for (size_t i = 0; i < diags->n; i++) {
		struct pm_diag d = diags->items[i];
		const struct pm_code_info *ci = d.code ? pm_code_lookup(d.code) : NULL;
		signed char s = ci ? state[ci - table] : KEEP;
		if (s == DROP)
			continue;
		if (s != KEEP)
			d.severity = (enum pm_severity)s;
		diags->items[kept++] = d;
	}
	diags->n = kept;
out:
	free(state);
	return rc;
}
