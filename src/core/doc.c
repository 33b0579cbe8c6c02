/* doc.c - loading one document: bytes, frontmatter, body, identity. */
#include "doc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codes.h"

static const char *const default_prefixes[] = { "ADR", "INC", "OPP", "GOV" };

void pm_parse_opts_default(struct pm_parse_opts *opts)
{
	struct pm_limits lim = PM_LIMITS_DEFAULT;
	opts->limits = lim;
	opts->markdown.id_prefixes = default_prefixes;
	opts->markdown.nprefixes = sizeof(default_prefixes) / sizeof(default_prefixes[0]);
}

char *pm_doc_id_from_path(struct pm_arena *a, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 3 && !strcasecmp(base + n - 3, ".md"))
		n -= 3;
	char *id = pm_arena_strndup(a, base, n);
	if (id)
		for (char *p = id; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	return id;
}

const struct pm_value *pm_doc_field(const struct pm_doc *doc, const char *key)
{
	return doc ? pm_value_get(doc->fm.root, key) : NULL;
}

static struct pm_doc *doc_new(const char *path)
{
	struct pm_doc *doc = calloc(1, sizeof(*doc));
	if (!doc)
		return NULL;
	pm_arena_init(&doc->arena);
	pm_diags_init(&doc->diags, &doc->arena);
	doc->path = pm_arena_strdup(&doc->arena, path);
	if (!doc->path) {
		pm_doc_free(doc);
		return NULL;
	}
	return doc;
}

static void set_identity(struct pm_doc *doc)
{
	const struct pm_value *id = pm_doc_field(doc, "id");
	if (id && id->kind == PM_VAL_STRING && id->raw_len) {
		doc->id = id->raw;
		doc->id_from_field = true;
	} else {
		doc->id = pm_doc_id_from_path(&doc->arena, doc->path);
	}
	const struct pm_value *type = pm_doc_field(doc, "type");
	if (type && type->kind == PM_VAL_STRING)
		doc->type = type->raw;
}

/* The parse proper, once doc->src holds the bytes. */
static int parse(struct pm_doc *doc, const struct pm_parse_opts *opts,
		 struct pm_error *err)
{
	const struct pm_source *src = &doc->src;
	size_t bad;
	if (!pm_utf8_valid(src->data, src->len, &bad)) {
		uint32_t line, col;
		pm_source_position(src, bad, &line, &col);
		struct pm_diag *dg = pm_diags_add(&doc->diags, doc->path, line, col,
						  PM_SEV_ERROR, PM_C_INVALID_UTF8,
						  "invalid UTF-8 byte 0x%02x",
						  (unsigned char)src->data[bad]);
		if (!dg)
			goto nomem;
		pm_diag_set_hint(&doc->diags, dg, "save the file as UTF-8");
		set_identity(doc);
		return 0;
	}
	pm_frontmatter_split(src, &doc->fm);
	if (!doc->fm.present) {
		struct pm_diag *dg = pm_diags_add(&doc->diags, doc->path, 1, 1, PM_SEV_ERROR,
						  PM_C_NO_FRONTMATTER,
						  "no frontmatter: the file must start with a '---' line");
		if (!dg)
			goto nomem;
		pm_diag_set_hint(&doc->diags, dg,
				 "add a block such as '---\\ntype: inc\\ntitle: ...\\n---' at the top");
	} else if (!doc->fm.closed) {
		struct pm_diag *dg = pm_diags_add(&doc->diags, doc->path, 1, 1, PM_SEV_ERROR,
						  PM_C_UNTERMINATED_FRONTMATTER,
						  "frontmatter opened here is never closed");
		if (!dg)
			goto nomem;
		pm_diag_set_hint(&doc->diags, dg, "end the block with a line of '---'");
	} else {
		int rc = pm_frontmatter_load(&doc->fm, src, &doc->arena, &opts->limits,
					     &doc->diags);
		if (rc == PM_ERR_NOMEM)
			goto nomem;
	}
	set_identity(doc);
	if (!doc->id)
		goto nomem;
	/* An unclosed block makes the whole file frontmatter; parsing it as a
	 * body would only invent findings. */
	if (doc->fm.present && !doc->fm.closed)
		return 0;
	int rc = pm_markdown_parse(&doc->body, src, doc->fm.body_start, doc->fm.body_line,
				   &doc->arena, &opts->limits, &opts->markdown, &doc->diags);
	if (rc)
		goto nomem;
	doc->parsed = doc->fm.root != NULL;
	return 0;
nomem:
	return pm_error_set(err, PM_ERR_NOMEM, "%s: out of memory", doc->path);
}

int pm_doc_load(struct pm_doc **out, const char *path,
		const struct pm_parse_opts *opts, struct pm_error *err)
{
	*out = NULL;
	struct pm_doc *doc = doc_new(path);
	if (!doc)
		return pm_error_set(err, PM_ERR_NOMEM, "%s: out of memory", path);
	struct pm_error rerr;
	int rc = pm_source_read(&doc->src, &doc->arena, path, opts->limits.max_file_size,
				&rerr);
	if (rc == PM_ERR_NOMEM) {
		pm_doc_free(doc);
		return pm_error_set(err, PM_ERR_NOMEM, "%s: out of memory", path);
	}
	if (rc) {
		const char *code = rc == PM_ERR_LIMIT ? PM_C_FILE_TOO_LARGE
				 : rc == PM_ERR_INVALID ? PM_C_NOT_REGULAR : PM_C_UNREADABLE;
		enum pm_severity sev = rc == PM_ERR_INVALID ? PM_SEV_WARNING : PM_SEV_ERROR;
		struct pm_diag *dg = pm_diags_add(&doc->diags, path, 0, 0, sev, code, "%s",
						  rerr.msg);
		if (dg && rc == PM_ERR_LIMIT)
			pm_diag_set_hint(&doc->diags, dg,
					 "split the document, or raise limits.max_file_size");
		doc->id = pm_doc_id_from_path(&doc->arena, path);
		*out = doc;
		return dg && doc->id ? 0 : pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	rc = parse(doc, opts, err);
	if (rc) {
		pm_doc_free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

int pm_doc_parse_memory(struct pm_doc **out, const char *path, const char *data,
			size_t len, const struct pm_parse_opts *opts,
			struct pm_error *err)
{
	*out = NULL;
	struct pm_doc *doc = doc_new(path);
	if (!doc)
		return pm_error_set(err, PM_ERR_NOMEM, "%s: out of memory", path);
	int rc = len > opts->limits.max_file_size ? PM_ERR_LIMIT
		 : pm_source_from_memory(&doc->src, &doc->arena, path, data, len);
	if (rc == PM_ERR_LIMIT) {
		struct pm_diag *dg = pm_diags_add(&doc->diags, path, 0, 0, PM_SEV_ERROR,
						  PM_C_FILE_TOO_LARGE,
						  "file is %zu bytes, over the limit of %zu", len,
						  opts->limits.max_file_size);
		doc->id = pm_doc_id_from_path(&doc->arena, path);
		*out = doc;
		return dg && doc->id ? 0 : pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	if (!rc)
		rc = parse(doc, opts, err);
	if (rc) {
		pm_doc_free(doc);
		return pm_error_set(err, PM_ERR_NOMEM, "%s: out of memory", path);
	}
	*out = doc;
	return 0;
}

bool pm_doc_is_document(const struct pm_doc *doc, const struct pm_parse_opts *opts)
{
	if (doc->fm.present || !doc->src.data)
		return true;
	for (size_t i = 0; i < opts->markdown.nprefixes; i++) {
		const char *p = opts->markdown.id_prefixes[i];
		size_t n = strlen(p);
		if (!strncmp(doc->id, p, n) && doc->id[n] == '-')
			return true;
	}
	return false;
}

void pm_doc_free(struct pm_doc *doc)
{
	if (!doc)
		return;
	pm_arena_release(&doc->arena);
	free(doc);
}
