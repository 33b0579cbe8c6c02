/* fuzz_frontmatter.c - the frontmatter splitter and the YAML loader.
 *
 * The input is a whole file.  It is wrapped as a source (BOM, line table),
 * split, and its block loaded with the default limits; then the whole input
 * is loaded again as a YAML file (schema files and users.yaml go that way).
 * Every loaded tree is walked, and the frontmatter's turned into JSON
 * (show --format json).
 *
 * Properties checked: the split's offsets are ordered and inside the input,
 * with lines that match them; every node sits on a line of the file; a
 * node's weight is one more than its children's (aliases counted in full)
 * and stays under the node limit, so walks over the DAG are bounded; a
 * failed load always says why in a finding; position lookups stay in range.
 */
#include <string.h>

#include <jansson.h>

#include "diag.h"
#include "frontmatter.h"
#include "json.h"
#include "source.h"
#include "value.h"

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static size_t walk(const struct pm_value *v, const struct pm_source *src,
		   const struct pm_limits *lim, size_t depth)
{
	FUZZ_CHECK(v);
	FUZZ_CHECK(depth <= lim->max_yaml_depth + 1);
	FUZZ_CHECK(v->weight >= 1 && v->weight <= lim->max_yaml_nodes);
	FUZZ_CHECK(v->line >= 1 && v->line <= src->nlines + 1);
	FUZZ_CHECK(v->col >= 1);
	size_t w = 1;
	switch (v->kind) {
	case PM_VAL_SEQ:
		FUZZ_CHECK(!v->raw);
		for (size_t i = 0; i < v->u.seq.n; i++)
			w += walk(v->u.seq.items[i], src, lim, depth + 1);
		FUZZ_CHECK(w == v->weight);
		break;
	case PM_VAL_MAP:
		FUZZ_CHECK(!v->raw);
		for (size_t i = 0; i < v->u.map.n; i++) {
			const struct pm_pair *p = &v->u.map.pairs[i];
			FUZZ_CHECK(p->key && p->value);
			FUZZ_CHECK(p->line >= 1 && p->line <= src->nlines + 1);
			/* Keys are unique: the loader reports repeats. */
			FUZZ_CHECK(pm_value_pair(v, p->key) == p);
			w += walk(p->value, src, lim, depth + 1);
		}
		FUZZ_CHECK(w == v->weight);
		break;
	case PM_VAL_STRING:
		FUZZ_CHECK(v->raw);
		FUZZ_CHECK(v->raw[v->raw_len] == '\0');
		break;
	default:
		FUZZ_CHECK(pm_value_is_scalar(v));
		break;
	}
	return w;
}

static void to_json(const struct pm_value *v)
{
	json_t *j = pm_json_typed(v);
	FUZZ_CHECK(j);
	/* The round trip is for odd strings, not big trees (an alias bomb
	 * at the node limit costs a second of jansson under ASan). */
	if (v->weight > 1000) {
		json_decref(j);
		return;
	}
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	FUZZ_CHECK(s);
	/* What jansson wrote, jansson reads back. */
	json_error_t e;
	json_t *back = json_loads(s, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	FUZZ_CHECK(back);
	json_decref(back);
	free(s);
	json_decref(j);
	j = pm_json_plain(v);
	FUZZ_CHECK(j);
	s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	FUZZ_CHECK(s);
	free(s);
	json_decref(j);
}

static void check_source(const struct pm_source *src, size_t size)
{
	FUZZ_CHECK(src->len == size);
	FUZZ_CHECK(src->nlines >= 1 && src->line_starts[0] == 0);
	for (uint32_t i = 1; i < src->nlines; i++)
		FUZZ_CHECK(src->line_starts[i] > src->line_starts[i - 1] &&
			   src->line_starts[i] <= src->len);
	/* A handful of positions: the ends, every line start, a few middles. */
	size_t offs[] = { 0, size / 3, size / 2, size ? size - 1 : 0, size, size + 5 };
	for (size_t k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
		uint32_t line, col;
		pm_source_position(src, offs[k], &line, &col);
		FUZZ_CHECK(line >= 1 && line <= src->nlines && col >= 1);
		size_t len;
		const char *text = pm_source_line(src, line, &len);
		FUZZ_CHECK(text && text + len <= src->data + src->len);
		FUZZ_CHECK(pm_source_line_offset(src, line) <= src->len);
		(void)pm_source_char_col(src, line, col);
		(void)pm_source_char_col(src, line, (uint32_t)len + 3);
	}
	size_t len;
	FUZZ_CHECK(!pm_source_line(src, src->nlines + 1, &len));
	FUZZ_CHECK(!pm_source_line(src, 0, &len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_limits lim = PM_LIMITS_DEFAULT;
	if (size > lim.max_file_size)
		return 0;
	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_diags diags;
	pm_diags_init(&diags, &a);
	struct pm_source src;
	FUZZ_CHECK(pm_source_from_memory(&src, &a, "fuzz.md", (const char *)data, size) == 0);
	check_source(&src, size);

	struct pm_frontmatter fm;
	memset(&fm, 0x5a, sizeof(fm));
	pm_frontmatter_split(&src, &fm);
	FUZZ_CHECK(fm.body_start <= src.len);
	FUZZ_CHECK(fm.body_line >= 1 && fm.body_line <= src.nlines + 1);
	if (fm.present && fm.closed) {
		FUZZ_CHECK(fm.open_line >= 1 && fm.open_line < fm.close_line);
		FUZZ_CHECK(fm.yaml_start <= fm.yaml_end && fm.yaml_end <= fm.body_start);
		uint32_t line, col;
		pm_source_position(&src, fm.yaml_start, &line, &col);
		FUZZ_CHECK(line == fm.open_line + 1 || fm.yaml_start == fm.yaml_end);
		/* When the closing line is the last, the body is what follows
		 * it: at most that line's end. */
		if (fm.body_start < src.len &&
		    strspn(src.data + fm.body_start, "\r\n") < src.len - fm.body_start) {
			pm_source_position(&src, fm.body_start, &line, &col);
			FUZZ_CHECK(line == fm.body_line && col == 1);
		}
		fm.root = NULL;
		size_t before = diags.n;
		int rc = pm_frontmatter_load(&fm, &src, &a, &lim, &diags);
		FUZZ_CHECK(rc == 0 || rc == PM_ERR_INVALID);
		if (rc == 0) {
			FUZZ_CHECK(fm.root && fm.root->kind == PM_VAL_MAP);
			walk(fm.root, &src, &lim, 0);
			to_json(fm.root);
		} else {
			FUZZ_CHECK(diags.n > before);
		}
	} else {
		FUZZ_CHECK(fm.body_start == 0 || fm.body_start == src.bom);
	}

	/* The same bytes as a whole YAML file. */
	struct pm_value *root = NULL;
	size_t before = diags.n;
	int rc = pm_yaml_load(&root, &src, &a, &lim, &diags);
	FUZZ_CHECK(rc == 0 || rc == PM_ERR_INVALID);
	if (rc == 0 && root) {
		walk(root, &src, &lim, 0);
	} else if (rc) {
		FUZZ_CHECK(diags.n > before);
	}
	for (size_t i = 0; i < diags.n; i++) {
		const struct pm_diag *d = &diags.items[i];
		FUZZ_CHECK(d->message && d->code && d->path);
		FUZZ_CHECK(d->line <= src.nlines + 1);
	}
	pm_arena_release(&a);
	return 0;
}
