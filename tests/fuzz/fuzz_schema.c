/* fuzz_schema.c - a repository's own schema folder and users file.
 *
 * A pull request can change both (--schema DIR or `schema:` in
 * .pmtool.yaml, users.yaml at the docs root), so they are hostile input
 * too.  The input is one or more files: a line "%%% NAME" starts the next,
 * named NAME; the first is inc.yaml.  They are written into a fresh folder
 * (a NAME that is not a plain file name is skipped), users.yaml is loaded
 * as the users file, and the folder is loaded as a schema over the built-in
 * one (schema/; $PM_SCHEMA_DIR overrides), which it extends or replaces by
 * name.  When it loads, the example documents (docs/examples, parsed once)
 * are linted against it and the findings printed as JSON.
 *
 * Properties checked: the loaders return a documented code, and a schema
 * or users file with errors always says where in a finding; lint succeeds
 * against any schema that loaded; every finding has a code and a message.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "corpus.h"
#include "diag.h"
#include "json.h"
#include "schema.h"
#include "timeutil.h"
#include "users.h"
#include "validate.h"
#include "version.h"

#include "fuzz.h"

#define MAX_FILES 8

static char dir[256];		/* the schema folder of the current input */
static char users_path[300];
static const char *builtin;
static struct pm_corpus examples;
static char written[MAX_FILES][64];
static size_t nwritten;

static void clean(void)
{
	for (size_t i = 0; i < nwritten; i++) {
		char p[sizeof(dir) + sizeof(written[0]) + 1];
		snprintf(p, sizeof(p), "%s/%.63s", dir, written[i]);
		unlink(p);
	}
	nwritten = 0;
	unlink(users_path);
}

static void release(void)
{
	clean();
	rmdir(dir);
	pm_corpus_release(&examples);
	pm_markdown_global_release();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	pm_markdown_global_init();
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/pmtool-fuzz-schema.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "fuzz_schema: cannot make a folder: %s\n", strerror(errno));
		exit(1);
	}
	snprintf(users_path, sizeof(users_path), "%s.users.yaml", dir);
	const char *env = getenv("PM_SCHEMA_DIR");
	builtin = env ? env : PM_SOURCE_ROOT "/schema";
	struct pm_parse_opts opts;
	pm_parse_opts_default(&opts);
	struct pm_error err;
	pm_corpus_init(&examples);
	if (pm_corpus_add_path(&examples, PM_SOURCE_ROOT "/docs/examples", &opts, &err) ||
	    pm_corpus_finish(&examples, &err) || !examples.ndocs) {
		fprintf(stderr, "fuzz_schema: cannot read docs/examples\n");
		exit(1);
	}
	atexit(release);
	return 0;
}

static bool plain_name(const char *s, size_t n)
{
	if (n == 0 || n >= sizeof(written[0]) || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '.' || s[i] == '_' || s[i] == '-' || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	FUZZ_CHECK(fd >= 0);
	while (len) {
		ssize_t w = write(fd, data, len);
		FUZZ_CHECK(w > 0);
		data += w;
		len -= (size_t)w;
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	clean();
	const char *p = (const char *)data, *end = p + size;
	const char *name = "inc.yaml";
	size_t name_len = 8;
	bool have_users = false;
	while (p <= end && nwritten < MAX_FILES) {
		const char *cut = end, *next = NULL;
		for (const char *q = p; q + 4 <= end; q++)
			if ((q == (const char *)data || q[-1] == '\n') && !memcmp(q, "%%% ", 4)) {
				cut = q;
				next = q + 4;
				break;
			}
		if (name_len == 10 && !memcmp(name, "users.yaml", 10)) {
			write_file(users_path, p, (size_t)(cut - p));
			have_users = true;
		} else if (plain_name(name, name_len)) {
			bool dup = false;
			for (size_t i = 0; i < nwritten; i++)
				dup |= strlen(written[i]) == name_len && !memcmp(written[i], name, name_len);
			if (!dup) {
				memcpy(written[nwritten], name, name_len);
				written[nwritten][name_len] = '\0';
				char path[sizeof(dir) + sizeof(written[0]) + 1];
				snprintf(path, sizeof(path), "%s/%.63s", dir, written[nwritten++]);
				write_file(path, p, (size_t)(cut - p));
			}
		}
		if (!next)
			break;
		const char *nl = memchr(next, '\n', (size_t)(end - next));
		name = next;
		name_len = (size_t)((nl ? nl : end) - next);
		p = nl ? nl + 1 : end;
	}

	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_diags diags;
	pm_diags_init(&diags, &a);
	struct pm_error err = { 0 };

	struct pm_users *users = NULL;
	if (have_users) {
		size_t before = diags.n;
		int rc = pm_users_load(&users, users_path, &diags, &err);
		FUZZ_CHECK(rc == 0 || rc == PM_ERR_INVALID);
		if (rc) {
			FUZZ_CHECK(diags.n > before);
			pm_users_free(users);
			users = NULL;
		} else {
			(void)pm_users_suggest(users, "alcie");
			(void)pm_users_known(users, "@team/alice");
		}
	}

	const char *dirs[] = { builtin, dir };
	struct pm_schema *schema = NULL;
	size_t before = diags.n;
	int rc = pm_schema_load(&schema, dirs, 2, &diags, &err);
	FUZZ_CHECK(rc == 0 || rc == PM_ERR_INVALID);
	if (rc) {
		FUZZ_CHECK(diags.n > before);
	} else {
		struct pm_lint_ctx ctx = {
			.schema = schema, .users = users,
			.today = pm_days_from_civil(2025, 3, 1), .root = PM_SOURCE_ROOT "/docs/examples",
		};
		struct pm_diags out;
		pm_diags_init(&out, &a);
		FUZZ_CHECK(pm_lint_corpus(&examples, &ctx, &out, &err) == 0);
		for (size_t i = 0; i < out.n; i++) {
			FUZZ_CHECK(out.items[i].code && out.items[i].message);
			json_t *j = pm_json_diag(&out.items[i]);
			FUZZ_CHECK(j);
			char *s = json_dumps(j, JSON_COMPACT);
			FUZZ_CHECK(s);
			free(s);
			json_decref(j);
		}
	}
	for (size_t i = 0; i < diags.n; i++)
		FUZZ_CHECK(diags.items[i].code && diags.items[i].message && diags.items[i].path);
	pm_schema_free(schema);
	pm_users_free(users);
	pm_arena_release(&a);
	return 0;
}
