/* lint_output.c - lint findings as text, JSON, SARIF and GitHub workflow
 * commands. */
#include "lint_output.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/codes.h"
#include "core/doclimits.h"
#include "core/error.h"
#include "core/json.h"
#include "core/source.h"

int pm_lint_format_parse(const char *s, enum pm_lint_format *out)
{
	static const struct {
		const char *name;
		enum pm_lint_format fmt;
	} formats[] = {
		{ "text", PM_LINT_TEXT },
		{ "json", PM_LINT_JSON },
		{ "sarif", PM_LINT_SARIF },
		{ "github", PM_LINT_GITHUB },
	};
	for (size_t i = 0; s && i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(s, formats[i].name)) {
			*out = formats[i].fmt;
			return 0;
		}
	return -1;
}

static const char *code_of(const struct pm_diag *d)
{
	return d->code ? d->code : "PM000";
}

static int finish(FILE *f)
{
	return fflush(f) || ferror(f) ? PM_ERR_IO : 0;
}

/* Bytes of the valid UTF-8 sequence at s[0..n), 0 when none starts there
 * (file names can hold any byte). */
static size_t utf8_seq(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t need = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 :
		      c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	return need && need <= n && pm_utf8_valid(s, need, NULL) ? need : 0;
}

/* The longest line of source, message or hint printed for one finding. */
static size_t max_line(const struct pm_lint_report *r)
{
	struct pm_limits def = PM_LIMITS_DEFAULT;
	return r->max_line ? r->max_line : def.max_output_line;
}

/* Bytes of s that hold at most max code points. */
static size_t prefix_cps(const char *s, size_t n, size_t max)
{
	size_t i = 0;
	for (size_t cp = 0; i < n && cp < max; cp++) {
		size_t k = utf8_seq(s + i, n - i);
		i += k ? k : 1;
	}
	return i;
}

/* s cut to max code points with an ellipsis, in malloc'd memory; NULL when
 * memory runs out.  Cut at a whole code point. */
static char *capped(const char *s, size_t max)
{
	size_t n = strlen(s), keep = prefix_cps(s, n, max);
	char *out = malloc(keep + 4);
	if (!out)
		return NULL;
	memcpy(out, s, keep);
	if (keep < n)
		memcpy(out + keep, "\xE2\x80\xA6", 3), keep += 3;	/* U+2026 */
	out[keep] = '\0';
	return out;
}

/* ---- text ---- */

struct palette {
	const char *bold, *error, *warning, *note, *gutter, *reset;
};

static const struct palette plain = { "", "", "", "", "", "" };
static const struct palette ansi = {
	"\033[1m", "\033[1;31m", "\033[1;33m", "\033[1;36m", "\033[36m", "\033[0m",
};

/* Writes n bytes of s, with C0 and C1 control characters, DEL and bytes that
 * are not UTF-8 shown as '?' (one code point for one, so columns still line
 * up); tabs are kept. */
static void put_clean(FILE *f, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_seq(s + i, n - i);
		if (!k || (k == 2 && u[i] == 0xC2 && u[i + 1] <= 0x9F) ||
		    (u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7F) {
			fputc('?', f);
		} else {
			fwrite(s + i, 1, k, f);
		}
		i += k ? k : 1;
	}
}

/* put_clean() of at most max code points of s, then an ellipsis. */
static void puts_clean_max(FILE *f, const char *s, size_t max)
{
	if (!s)
		return;
	size_t n = strlen(s), keep = prefix_cps(s, n, max);
	put_clean(f, s, keep);
	if (keep < n)
		fputs("\xE2\x80\xA6", f);
}

static void puts_clean(FILE *f, const char *s)
{
	if (s)
		put_clean(f, s, strlen(s));
}

static unsigned digits(uint32_t n)
{
	unsigned d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* The source line under a finding, with a caret under its column.  The
 * padding copies the line's tabs, one space for any other code point, and
 * stops one past the end of the line. */
static void print_snippet(FILE *f, const struct pm_lint_report *r, const struct pm_diag *d,
			  const struct palette *p)
{
	if (!r->source_line || d->line == 0)
		return;
	size_t len = 0;
	const char *s = r->source_line(r->ctx, d->path, d->line, &len);
	if (!s)
		return;
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	/* A line longer than the limit is shown as a window of that many code
	 * points around the column: a finding on a 4 MiB line must not print
	 * 4 MiB, once per finding. */
	size_t max = max_line(r), from = 0, cp_from = 1;
	size_t total = 0;
	for (size_t i = 0; i < len && total <= max; total++) {
		size_t k = utf8_seq(s + i, len - i);
		i += k ? k : 1;
	}
	bool cut_left = false, cut_right = false;
	if (total > max) {
		size_t want = d->col > max / 2 ? d->col - max / 2 : 1;
		while (from < len && cp_from < want) {
			size_t k = utf8_seq(s + from, len - from);
			from += k ? k : 1;
			cp_from++;
		}
		cut_left = from > 0;
		size_t keep = prefix_cps(s + from, len - from, max);
		cut_right = from + keep < len;
		len = from + keep;
	}
	int w = (int)digits(d->line);
	fprintf(f, "%s %u |%s ", p->gutter, (unsigned)d->line, p->reset);
	if (cut_left)
		fputs("\xE2\x80\xA6", f);
	put_clean(f, s + from, len - from);
	if (cut_right)
		fputs("\xE2\x80\xA6", f);
	fputc('\n', f);
	if (d->col == 0 || d->col < cp_from)
		return;
	fprintf(f, "%s %*s |%s ", p->gutter, w, "", p->reset);
	if (cut_left)
		fputc(' ', f);
	uint32_t cp = (uint32_t)cp_from;
	for (size_t i = from; i < len && cp < d->col;) {
		size_t k = utf8_seq(s + i, len - i);
		fputc(s[i] == '\t' ? '\t' : ' ', f);
		i += k ? k : 1;
		cp++;
	}
	fprintf(f, "%s^%s\n", p->gutter, p->reset);
}

static void print_text_diag(FILE *f, const struct pm_lint_report *r,
			    const struct pm_diag *d, const struct palette *p)
{
	const char *sev_color = d->severity == PM_SEV_ERROR ? p->error :
				d->severity == PM_SEV_WARNING ? p->warning : p->note;
	fputs(p->bold, f);
	puts_clean(f, d->path);
	if (d->line && d->col)
		fprintf(f, ":%u:%u", (unsigned)d->line, (unsigned)d->col);
	else if (d->line)
		fprintf(f, ":%u", (unsigned)d->line);
	fprintf(f, ":%s %s%s[", p->reset, sev_color, pm_severity_name(d->severity));
	puts_clean(f, code_of(d));
	fprintf(f, "]%s: ", p->reset);
	puts_clean_max(f, d->message, max_line(r));
	fputc('\n', f);
	print_snippet(f, r, d, p);
	if (d->hint) {
		fprintf(f, "  %s= hint:%s ", p->bold, p->reset);
		puts_clean_max(f, d->hint, max_line(r));
		fputc('\n', f);
	}
	fputc('\n', f);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static int print_text(FILE *f, const struct pm_lint_report *r)
{
	const struct palette *p = r->color ? &ansi : &plain;
	const struct pm_diags *ds = r->diags;
	for (size_t i = 0; ds && i < ds->n; i++)
		if (!r->quiet || ds->items[i].severity == PM_SEV_ERROR)
			print_text_diag(f, r, &ds->items[i], p);
	size_t e = ds ? pm_diags_count(ds, PM_SEV_ERROR) : 0;
	size_t w = ds ? pm_diags_count(ds, PM_SEV_WARNING) : 0;
	fprintf(f, "%zu file%s, %zu error%s, %zu warning%s\n", r->nfiles, plural(r->nfiles),
		e, plural(e), w, plural(w));
	return finish(f);
}

/* ---- JSON and SARIF ---- */

/* json_object_set_new that fails cleanly on a NULL value or object. */
static bool put(json_t *obj, const char *key, json_t *val)
{
	if (!obj || !val) {
		json_decref(val);
		return false;
	}
	return json_object_set_new(obj, key, val) == 0;
}

static bool append(json_t *arr, json_t *val)
{
	if (!arr || !val) {
		json_decref(val);
		return false;
	}
	return json_array_append_new(arr, val) == 0;
}

static json_t *text(const char *s)
{
	return s ? pm_json_string(s, strlen(s)) : json_null();
}

static int dump(FILE *f, json_t *root)
{
	if (!root)
		return PM_ERR_NOMEM;
	char *s = pm_json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return PM_ERR_NOMEM;
	int rc = fputs(s, f) == EOF || fputc('\n', f) == EOF ? PM_ERR_IO : 0;
	free(s);
	return rc ? rc : finish(f);
}

/* A message or hint longer than the limit, cut; the string itself when it
 * fits.  *tmp is what to free. */
static const char *fit(const char *s, size_t max, char **tmp)
{
	*tmp = NULL;
	if (!s || prefix_cps(s, strlen(s), max) == strlen(s))
		return s;
	*tmp = capped(s, max);
	return *tmp;
}

/* One finding as JSON, its message and hint cut to the line limit. */
static json_t *diag_json(const struct pm_diag *d, size_t max)
{
	char *m, *h;
	struct pm_diag cut = *d;
	cut.message = fit(d->message, max, &m);
	cut.hint = fit(d->hint, max, &h);
	json_t *j = (d->message && !cut.message) || (d->hint && !cut.hint) ? NULL
		    : pm_json_diag(&cut);
	free(m);
	free(h);
	return j;
}

static int print_json(FILE *f, const struct pm_lint_report *r)
{
	const struct pm_diags *ds = r->diags;
	json_t *root = json_object(), *list = json_array();
	bool ok = root && list &&
		  put(root, "files", json_integer((json_int_t)r->nfiles)) &&
		  put(root, "errors", json_integer(ds ? (json_int_t)pm_diags_count(ds, PM_SEV_ERROR) : 0)) &&
		  put(root, "warnings", json_integer(ds ? (json_int_t)pm_diags_count(ds, PM_SEV_WARNING) : 0));
	for (size_t i = 0; ok && ds && i < ds->n; i++)
		ok = append(list, diag_json(&ds->items[i], max_line(r)));
	if (!put(root, "diagnostics", list) || !ok) {
		json_decref(root);
		return PM_ERR_NOMEM;
	}
	return dump(f, root);
}

static const char *sarif_level(enum pm_severity s)
{
	return s == PM_SEV_ERROR ? "error" : s == PM_SEV_WARNING ? "warning" : "note";
}

/* "missing-field" -> "MissingField": SARIF's rule names are identifiers. */
static json_t *pascal_case(const char *kebab)
{
	size_t n = strlen(kebab);
	char *s = malloc(n + 1);
	if (!s)
		return NULL;
	size_t k = 0;
	bool up = true;
	for (size_t i = 0; i < n; i++) {
		char c = kebab[i];
		if (c == '-') {
			up = true;
			continue;
		}
		s[k++] = up && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
		up = false;
	}
	s[k] = '\0';
	json_t *j = json_string(s);
	free(s);
	return j;
}

/* A path as a URI reference: relative paths stay relative ("./" dropped),
 * absolute ones become file:// URIs; every byte outside RFC 3986's
 * unreserved set and '/' is percent-encoded. */
static json_t *uri_of(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	while (path[0] == '.' && path[1] == '/') {
		path += 2;
		while (*path == '/')
			path++;
	}
	size_t n = strlen(path);
	char *s = malloc(3 * n + 8);
	if (!s)
		return NULL;
	size_t k = 0;
	if (path[0] == '/') {
		memcpy(s, "file://", 7);
		k = 7;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			s[k++] = (char)c;
		} else {
			s[k++] = '%';
			s[k++] = hex[c >> 4];
			s[k++] = hex[c & 15];
		}
	}
	s[k] = '\0';
	json_t *j = json_string(s);
	free(s);
	return j;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* json_pack's "o" steals its value, also when packing fails (jansson >=
 * 2.11), and fails on a NULL one: so a NULL from any builder below simply
 * propagates and nothing leaks. */

static json_t *sarif_rule(const char *code)
{
	const struct pm_code_info *ci = pm_code_lookup(code);
	if (!ci)
		return json_pack("{s:o,s:o}", "id", text(code), "name", text(code));
	return json_pack("{s:o,s:o,s:{s:s},s:{s:s}}", "id", text(code),
			 "name", pascal_case(ci->name),
			 "shortDescription", "text", ci->summary,
			 "defaultConfiguration", "level", sarif_level(ci->severity));
}

static json_t *message_text(const struct pm_diag *d, size_t max)
{
	char *m, *h;
	const char *msg = fit(d->message, max, &m), *hint = fit(d->hint, max, &h);
	json_t *j = NULL;
	if (!msg || (d->hint && !hint))
		goto out;
	if (!hint) {
		j = text(msg);
		goto out;
	}
	size_t n = strlen(msg) + strlen(hint) + 16;
	char *s = malloc(n);
	if (!s)
		goto out;
	snprintf(s, n, "%s (hint: %s)", msg, hint);
	j = pm_json_string(s, strlen(s));
	free(s);
out:
	free(m);
	free(h);
	return j;
}

static json_t *sarif_location(const struct pm_diag *d)
{
	json_t *art = json_pack("{s:o}", "uri", uri_of(d->path));
	/* GitHub code scanning places a result only with a region, so a finding
	 * about the whole file (no line) points at its first line. */
	if (!d->line)
		return json_pack("{s:{s:o,s:{s:i}}}", "physicalLocation", "artifactLocation",
				 art, "region", "startLine", 1);
	json_t *region = d->col ?
		json_pack("{s:I,s:I}", "startLine", (json_int_t)d->line,
			  "startColumn", (json_int_t)d->col) :
		json_pack("{s:I}", "startLine", (json_int_t)d->line);
	return json_pack("{s:{s:o,s:o}}", "physicalLocation", "artifactLocation", art,
			 "region", region);
}

static json_t *sarif_result(const struct pm_diag *d, size_t rule_index, size_t max)
{
	json_t *o = json_pack("{s:o,s:I,s:s,s:{s:o}}", "ruleId", text(code_of(d)),
			      "ruleIndex", (json_int_t)rule_index,
			      "level", sarif_level(d->severity),
			      "message", "text", message_text(d, max));
	if (!o || !d->path || !*d->path)
		return o;	/* no file to point at: a result without location */
	if (!put(o, "locations", json_pack("[o]", sarif_location(d)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int print_sarif(FILE *f, const struct pm_lint_report *r)
{
	const struct pm_diags *ds = r->diags;
	size_t n = ds ? ds->n : 0, nrules = 0;
	const char **codes = malloc((n ? n : 1) * sizeof(*codes));
	json_t *rules = json_array(), *results = json_array();
	bool ok = codes && rules && results;
	/* One rule per code used, in code order; ruleIndex points into them. */
	for (size_t i = 0; ok && i < n; i++) {
		const char *c = code_of(&ds->items[i]);
		size_t k = 0;
		while (k < nrules && strcmp(codes[k], c))
			k++;
		if (k == nrules)
			codes[nrules++] = c;
	}
	if (ok)
		qsort(codes, nrules, sizeof(*codes), cmp_str);
	for (size_t k = 0; ok && k < nrules; k++)
		ok = append(rules, sarif_rule(codes[k]));
	for (size_t i = 0; ok && i < n; i++) {
		const char *c = code_of(&ds->items[i]);
		const char **hit = bsearch(&c, codes, nrules, sizeof(*codes), cmp_str);
		ok = hit && append(results, sarif_result(&ds->items[i], (size_t)(hit - codes), max_line(r)));
	}
	free(codes);
	if (!ok) {
		json_decref(rules);
		json_decref(results);
		return PM_ERR_NOMEM;
	}
	json_t *driver = json_pack("{s:s,s:s}", "name", "pmtool",
				   "informationUri", "https://github.com/pmtool/pmtool");
	if (driver && r->tool_version && !put(driver, "version", text(r->tool_version))) {
		json_decref(driver);
		driver = NULL;
	}
	if (!put(driver, "rules", rules)) {	/* put consumes rules either way */
		json_decref(driver);
		driver = NULL;
	}
	json_t *root = json_pack("{s:s,s:s,s:[{s:{s:o},s:s,s:o}]}",
				 "$schema", "https://json.schemastore.org/sarif-2.1.0.json",
				 "version", "2.1.0",
				 "runs", "tool", "driver", driver,
				 "columnKind", "unicodeCodePoints",
				 "results", results);
	return dump(f, root);
}

/* ---- GitHub workflow commands ---- */

/* Escapes per the runner's rules: '%', CR and LF always; ':' and ','
 * too in property values.  Other control characters become '?', bytes that
 * are not UTF-8 U+FFFD.  At most max code points are written (0: no
 * limit), then an ellipsis. */
static void gh_escape(FILE *f, const char *s, bool property, size_t max)
{
	size_t n = s ? strlen(s) : 0, cps = 0;
	for (size_t i = 0; i < n; i++, cps++) {
		if (max && cps == max) {
			fputs("\xE2\x80\xA6", f);
			return;
		}
		size_t k = utf8_seq(s + i, n - i);
		if (!k) {
			fputs("\xEF\xBF\xBD", f);
			continue;
		}
		if (k > 1) {
			fwrite(s + i, 1, k, f);
			i += k - 1;
			continue;
		}
		switch (s[i]) {
		case '%':
			fputs("%25", f);
			break;
		case '\r':
			fputs("%0D", f);
			break;
		case '\n':
			fputs("%0A", f);
			break;
		case ':':
			fputs(property ? "%3A" : ":", f);
			break;
		case ',':
			fputs(property ? "%2C" : ",", f);
			break;
		default:
			/* Other control characters (an escape sequence in a file
			 * name) have no escape here: '?', as in text. */
			fputc((unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i], f);
		}
	}
}

static int print_github(FILE *f, const struct pm_lint_report *r)
{
	const struct pm_diags *ds = r->diags;
	for (size_t i = 0; ds && i < ds->n; i++) {
		const struct pm_diag *d = &ds->items[i];
		const char *cmd = d->severity == PM_SEV_ERROR ? "error" :
				  d->severity == PM_SEV_WARNING ? "warning" : "notice";
		fprintf(f, "::%s file=", cmd);
		gh_escape(f, d->path, true, 0);
		if (d->line) {
			fprintf(f, ",line=%u", (unsigned)d->line);
			if (d->col)
				fprintf(f, ",col=%u", (unsigned)d->col);
		}
		fputs(",title=", f);
		gh_escape(f, code_of(d), true, 0);
		fputs("::", f);
		gh_escape(f, d->message, false, max_line(r));
		if (d->hint) {
			fputs(" (hint: ", f);
			gh_escape(f, d->hint, false, max_line(r));
			fputc(')', f);
		}
		fputc('\n', f);
	}
	return finish(f);
}

int pm_lint_print(FILE *f, enum pm_lint_format fmt, const struct pm_lint_report *r)
{
	switch (fmt) {
	case PM_LINT_TEXT:
		return print_text(f, r);
	case PM_LINT_JSON:
		return print_json(f, r);
	case PM_LINT_SARIF:
		return print_sarif(f, r);
	case PM_LINT_GITHUB:
		return print_github(f, r);
	}
	return PM_ERR_INVALID;
}
