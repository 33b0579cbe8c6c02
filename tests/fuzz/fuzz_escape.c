/* fuzz_escape.c - every function that makes text safe for somewhere else.
 *
 * The whole input goes through each escaper; each output is checked
 * against the promise of its context:
 *   HTML ({{x}}, pm_html_escape)  no < > " ' left, every & starts one of the
 *                                 five entities, and decoding gives the input
 *   JSON (pm_json_string)         always valid JSON; reads back as the input,
 *                                 invalid UTF-8 bytes as U+FFFD
 *   DOT labels (pm_dot_escape)    nothing ends the "..." early, no control
 *                                 characters (a line end is the \n escape)
 *   Mermaid (pm_mermaid_escape)   no quote, line end, %, ;, < > & ` \ and no #
 *                                 that does not start a #NNN; entity
 *   lint output (all formats)     a finding whose file, message, hint and code
 *                                 are parts of the input (cut at NUL bytes):
 *                                 JSON and SARIF parse back, GitHub commands
 *                                 stay on one line with properties escaped,
 *                                 text shows no control characters
 * and, as helpers of those, pm_utf8_valid against a reference decoder,
 * pm_path_normalize (idempotent, no empty, "." or inner ".." segments) and
 * the string map against a linear search.
 */
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "graphdraw.h"
#include "json.h"
#include "mustache.h"
#include "path.h"
#include "source.h"
#include "strmap.h"
#include "cmd/lint_output.h"

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* ---- HTML ---- */

static void check_html(const char *s, size_t n)
{
	struct pm_buf b = PM_BUF_INIT;
	pm_html_escape(&b, s, n);
	FUZZ_CHECK(!b.failed);
	static const struct { const char *e; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&#39;", '\'' },
	};
	size_t o = 0;
	for (size_t i = 0; i < b.len; i++) {
		char c = b.data[i];
		FUZZ_CHECK(c != '<' && c != '>' && c != '"' && c != '\'');
		if (c == '&') {
			size_t k;
			for (k = 0; k < 5; k++)
				if (!strncmp(b.data + i, ents[k].e, strlen(ents[k].e)))
					break;
			FUZZ_CHECK(k < 5);
			c = ents[k].c;
			i += strlen(ents[k].e) - 1;
		}
		FUZZ_CHECK(o < n && s[o] == c);
		o++;
	}
	FUZZ_CHECK(o == n);
	pm_buf_release(&b);
}

/* ---- UTF-8 ---- */

/* A plain reference decoder: the first bad byte, or n when valid. */
static size_t ref_utf8_bad(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t need;
		unsigned long cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		if (n - i <= need)
			return i;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return n;
}

static void check_utf8(const char *s, size_t n)
{
	size_t bad = 12345;
	bool ok = pm_utf8_valid(s, n, &bad);
	size_t ref = ref_utf8_bad((const unsigned char *)s, n);
	FUZZ_CHECK(ok == (ref == n));
	if (!ok)
		FUZZ_CHECK(bad == ref);
}

/* ---- JSON ---- */

/* What pm_json_string promises: the input with each bad byte as U+FFFD. */
static void expected_json_text(struct pm_buf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t bad = ref_utf8_bad((const unsigned char *)s + i, n - i);
		pm_buf_add(b, s + i, bad);
		if (i + bad == n)
			break;
		pm_buf_adds(b, "\xEF\xBF\xBD");
		i += bad + 1;
	}
}

static void check_json(const char *s, size_t n)
{
	json_t *j = pm_json_string(s, n);
	FUZZ_CHECK(j);
	char *text = json_dumps(j, JSON_ENCODE_ANY);
	FUZZ_CHECK(text);
	for (const char *p = text; *p; p++)
		FUZZ_CHECK((unsigned char)*p >= 0x20);
	json_error_t e;
	json_t *back = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	FUZZ_CHECK(back && json_is_string(back));
	struct pm_buf want = PM_BUF_INIT;
	expected_json_text(&want, s, n);
	FUZZ_CHECK(json_string_length(back) == want.len);
	FUZZ_CHECK(!want.len || !memcmp(json_string_value(back), want.data, want.len));
	pm_buf_release(&want);
	json_decref(back);
	free(text);
	json_decref(j);
}

/* ---- DOT and Mermaid ---- */

static void check_dot(const char *s)
{
	struct pm_buf b = PM_BUF_INIT;
	pm_dot_escape(&b, s);
	FUZZ_CHECK(!b.failed);
	const char *p = pm_buf_cstr(&b);
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)p[i];
		FUZZ_CHECK(c >= 0x20 && c != 0x7f);
		FUZZ_CHECK(c != '"');
		if (c == '\\') {
			/* An escape pair: \\, \" or \n; never a lone final one. */
			FUZZ_CHECK(i + 1 < b.len);
			FUZZ_CHECK(p[i + 1] == '\\' || p[i + 1] == '"' || p[i + 1] == 'n');
			i++;
		}
	}
	pm_buf_release(&b);
}

static void check_mermaid(const char *s)
{
	struct pm_buf b = PM_BUF_INIT;
	pm_mermaid_escape(&b, s);
	FUZZ_CHECK(!b.failed);
	const char *p = pm_buf_cstr(&b);
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)p[i];
		FUZZ_CHECK(c >= 0x20 && c != 0x7f);
		FUZZ_CHECK(!strchr("\"%;<>&`\\", c));
		if (c == '#') {
			size_t k = i + 1;
			while (k < b.len && p[k] >= '0' && p[k] <= '9')
				k++;
			FUZZ_CHECK(k > i + 1 && k < b.len && p[k] == ';');
			i = k;
		}
	}
	pm_buf_release(&b);
}

/* ---- paths ---- */

static void check_path(const char *s)
{
	struct pm_arena a;
	pm_arena_init(&a);
	char *n = pm_path_normalize(&a, s);
	FUZZ_CHECK(n && n[0]);
	char *again = pm_path_normalize(&a, n);
	FUZZ_CHECK(again && !strcmp(n, again));
	/* ".." only as a run of leading segments of a relative path; no
	 * empty or "." segment anywhere. */
	const char *p = n;
	if (*p != '/')
		while (!strncmp(p, "../", 3))
			p += 3;
	else
		p++;
	if (!strcmp(p, ".."))
		p += 2;
	for (const char *seg = p; *seg;) {
		size_t l = strcspn(seg, "/");
		FUZZ_CHECK(l > 0 || !strcmp(n, "/"));
		FUZZ_CHECK(!(l == 1 && seg[0] == '.') || !strcmp(n, "."));
		FUZZ_CHECK(!(l == 2 && seg[0] == '.' && seg[1] == '.'));
		seg += l;
		if (*seg == '/')
			seg++;
	}
	/* A relative path joined under a root stays inside it unless it climbs. */
	char *joined = pm_path_join(&a, "docs", s);
	FUZZ_CHECK(joined);
	if (s[0] != '/' && strncmp(n, "../", 3) && strcmp(n, ".."))
		FUZZ_CHECK(pm_path_inside("docs", joined));
	if (pm_path_inside("docs", joined))
		FUZZ_CHECK(strcmp(joined, "docs/..") && strncmp(joined, "docs/../", 8) &&
			   joined[0] != '/');
	pm_arena_release(&a);
}

/* ---- the string map ---- */

static void check_strmap(const char *s, size_t n)
{
	/* Keys: the input cut at NUL and line ends, at most 512 of them. */
	char *copy = malloc(n + 1);
	FUZZ_CHECK(copy);
	memcpy(copy, s, n);
	copy[n] = '\0';
	const char *keys[512];
	size_t nkeys = 0;
	for (size_t i = 0; i <= n && nkeys < 512;) {
		size_t l = strcspn(copy + i, "\n");
		copy[i + l] = '\0';
		keys[nkeys++] = copy + i;
		i += l + 1;
	}
	struct pm_strmap m;
	pm_strmap_init(&m);
	for (size_t i = 0; i < nkeys; i++) {
		size_t first = SIZE_MAX, ex = 77;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(keys[k], keys[i])) {
				first = k;
				break;
			}
		int rc = pm_strmap_put(&m, keys[i], i, &ex);
		FUZZ_CHECK(rc == (first == SIZE_MAX ? 1 : 0));
		if (rc == 0)
			FUZZ_CHECK(ex == first);
	}
	for (size_t i = 0; i < nkeys; i++) {
		size_t v = SIZE_MAX;
		FUZZ_CHECK(pm_strmap_get(&m, keys[i], &v));
		FUZZ_CHECK(v <= i && !strcmp(keys[v], keys[i]));
	}
	size_t v;
	FUZZ_CHECK(!pm_strmap_get(&m, "\x01never a key\x02", &v) || nkeys == 0 ||
		   !strcmp(keys[v], "\x01never a key\x02"));
	pm_strmap_release(&m);
	free(copy);
}

/* ---- lint output ---- */

static char *print(enum pm_lint_format fmt, const struct pm_lint_report *r, size_t *len)
{
	char *s = NULL;
	FILE *f = open_memstream(&s, len);
	FUZZ_CHECK(f);
	FUZZ_CHECK(pm_lint_print(f, fmt, r) == 0);
	fclose(f);
	return s;
}

static const char *the_line;

static const char *source_line(void *ctx, const char *path, uint32_t line, size_t *len)
{
	(void)ctx;
	(void)path;
	(void)line;
	*len = strlen(the_line);
	return the_line;
}

static void check_lint_output(const char *s, size_t n)
{
	/* file \0 message \0 hint \0 code: C strings cut from a copy. */
	char *copy = malloc(n + 1);
	FUZZ_CHECK(copy);
	memcpy(copy, s, n);
	copy[n] = '\0';
	const char *part[4] = { "", "", NULL, NULL };
	for (size_t i = 0, k = 0; k < 4 && i < n; k++) {
		part[k] = copy + i;
		i += strlen(copy + i) + 1;
	}
	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_diags ds;
	pm_diags_init(&ds, &a);
	struct pm_diag *d = pm_diags_add(&ds, part[0], 3, 7, (enum pm_severity)(n % 3),
					 part[3], "%s", part[1]);
	FUZZ_CHECK(d);
	if (part[2])
		pm_diag_set_hint(&ds, d, "%s", part[2]);
	pm_diags_add(&ds, part[0], 0, 0, PM_SEV_ERROR, NULL, "%s", part[1]);
	the_line = copy;
	struct pm_lint_report r = {
		.diags = &ds, .nfiles = 1, .source_line = source_line, .tool_version = part[1],
	};
	size_t len;
	json_error_t e;

	char *out = print(PM_LINT_JSON, &r, &len);
	json_t *j = json_loadb(out, len, 0, &e);
	FUZZ_CHECK(j);
	json_t *d0 = json_array_get(json_object_get(j, "diagnostics"), 0);
	struct pm_buf want = PM_BUF_INIT;
	expected_json_text(&want, ds.items[0].message, strlen(ds.items[0].message));
	const char *msg = json_string_value(json_object_get(d0, "message"));
	FUZZ_CHECK(msg && strlen(msg) == want.len && !memcmp(msg, pm_buf_cstr(&want), want.len));
	pm_buf_release(&want);
	json_decref(j);
	free(out);

	out = print(PM_LINT_SARIF, &r, &len);
	j = json_loadb(out, len, 0, &e);
	FUZZ_CHECK(j);
	json_t *res = json_array_get(json_object_get(json_array_get(json_object_get(j, "runs"), 0),
						     "results"), 0);
	FUZZ_CHECK(res);
	json_t *loc = json_object_get(json_array_get(json_object_get(res, "locations"), 0),
				      "physicalLocation");
	const char *uri = json_string_value(json_object_get(json_object_get(loc, "artifactLocation"),
							    "uri"));
	/* A finding with no file has no location; any other has a URI
	 * reference with every unsafe byte percent-encoded. */
	FUZZ_CHECK(!part[0][0] == !uri);
	for (const char *p = uri; p && *p; p++)
		FUZZ_CHECK(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/%:", *p));
	json_decref(j);
	free(out);

	out = print(PM_LINT_GITHUB, &r, &len);
	size_t lines = 0;
	for (size_t k = 0; k < len; k++) {
		FUZZ_CHECK(out[k] != '\r');
		lines += out[k] == '\n';
	}
	FUZZ_CHECK(lines == ds.n);
	/* The properties end at the first "::" after the command; the file
	 * and title cannot hold ',' or ':' of their own. */
	const char *props = strchr(out + 2, ' ');
	FUZZ_CHECK(props);
	const char *stop = strstr(props, "::");
	FUZZ_CHECK(stop);
	size_t commas = 0;
	for (const char *p = props; p < stop; p++)
		commas += *p == ',';
	FUZZ_CHECK(commas == 3);	/* file=,line=,col=,title= */
	free(out);

	r.color = n % 2;
	out = print(PM_LINT_TEXT, &r, &len);
	for (size_t k = 0; k < len; k++) {
		unsigned char u = (unsigned char)out[k];
		if (u == 0x1b && r.color)
			continue;	/* our own colours */
		FUZZ_CHECK(u == '\n' || u == '\t' || (u >= 0x20 && u != 0x7f));
		if (u == 0xC2 && k + 1 < len)
			FUZZ_CHECK(!((unsigned char)out[k + 1] >= 0x80 &&
				     (unsigned char)out[k + 1] <= 0x9F));
	}
	free(out);
	pm_arena_release(&a);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	if (size > 1 << 16)
		return 0;
	char *cstr = malloc(size + 1);
	FUZZ_CHECK(cstr);
	memcpy(cstr, data, size);
	cstr[size] = '\0';

	check_html(s, size);
	check_utf8(s, size);
	check_json(s, size);
	check_dot(cstr);
	check_mermaid(cstr);
	check_path(cstr);
	check_strmap(s, size);
	check_lint_output(s, size);
	free(cstr);
	return 0;
}
