/* codes.c - the table of finding codes. */
#include "codes.h"

#include <string.h>

static const struct pm_code_info codes[] = {
	{ "PM101", "no-frontmatter", PM_SEV_ERROR,
	  "the file does not start with a '---' frontmatter block" },
	{ "PM102", "unterminated-frontmatter", PM_SEV_ERROR,
	  "the frontmatter block is never closed by '---' or '...'" },
	{ "PM103", "yaml-syntax", PM_SEV_ERROR,
	  "the frontmatter is not valid YAML" },
	{ "PM104", "frontmatter-not-mapping", PM_SEV_ERROR,
	  "the frontmatter is not a mapping of keys to values" },
	{ "PM105", "duplicate-key", PM_SEV_ERROR,
	  "a frontmatter key appears twice in one mapping" },
	{ "PM106", "invalid-utf8", PM_SEV_ERROR,
	  "the file is not valid UTF-8" },
	{ "PM107", "file-too-large", PM_SEV_ERROR,
	  "the file is larger than the configured limit" },
	{ "PM108", "yaml-limit", PM_SEV_ERROR,
	  "the frontmatter exceeds a size, depth or alias limit" },
	{ "PM109", "unreadable", PM_SEV_ERROR,
	  "the file or folder cannot be read" },
	{ "PM110", "yaml-unsupported", PM_SEV_ERROR,
	  "the frontmatter uses YAML pmtool does not accept (complex keys, "
	  "undefined aliases, several documents)" },
	{ "PM111", "body-limit", PM_SEV_ERROR,
	  "the body exceeds a table or section limit" },
	{ "PM120", "symlink-escape", PM_SEV_ERROR,
	  "a symbolic link points outside the docs root and was not read" },
	{ "PM121", "symlink-loop", PM_SEV_WARNING,
	  "a symbolic link leads back into a folder already walked" },
	{ "PM122", "not-regular-file", PM_SEV_WARNING,
	  "a '.md' name that is not a regular file was skipped" },
	{ "PM203", "duplicate-id", PM_SEV_ERROR,
	  "two documents have the same ID" },
};

const struct pm_code_info *pm_code_lookup(const char *key)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (!strcmp(codes[i].code, key) || !strcmp(codes[i].name, key))
			return &codes[i];
	return NULL;
}

const struct pm_code_info *pm_code_table(size_t *n)
{
	*n = sizeof(codes) / sizeof(codes[0]);
	return codes;
}
