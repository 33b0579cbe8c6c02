/* driver.c - main() for a fuzz target built without libFuzzer: replays
 * every file named on the command line, and every file of every folder
 * named there (sorted, dot-files and README.md skipped), through
 * LLVMFuzzerTestOneInput() once each.
 *
 * A crash, a sanitizer report or a broken FUZZ_CHECK fails the run like
 * any test failure.  FUZZ_INPUT_SECONDS, when set, also fails any single
 * input that takes longer (libFuzzer's -timeout, for plain builds).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fuzz.h"

static double slowest;
static char slowest_name[4096];
static double limit;

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	unsigned char *data = malloc(cap);
	size_t n;
	while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			unsigned char *d = realloc(data, cap *= 2);
			if (!d)
				free(data);
			data = d;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (!data || bad) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(data);
		return -1;
	}
	/* An exact-size copy, so ASan sees a read past the end of the input
	 * as libFuzzer's own buffer would show it. */
	unsigned char *exact = malloc(len ? len : 1);
	if (!exact) {
		free(data);
		return -1;
	}
	memcpy(exact, data, len);
	free(data);
	/* Named first, so the log of a crash says which input it was. */
	printf("%s\n", path);
	fflush(stdout);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	LLVMFuzzerTestOneInput(exact, len);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(exact);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (s > slowest) {
		slowest = s;
		snprintf(slowest_name, sizeof(slowest_name), "%s", path);
	}
	if (limit > 0 && s > limit) {
		fprintf(stderr, "%s: took %.2f s (FUZZ_INPUT_SECONDS=%g)\n", path, s, limit);
		return -1;
	}
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "README.md"))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*nn));
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		size_t l = strlen(dir) + strlen(e->d_name) + 2;
		if (!(names[n] = malloc(l))) {
			rc = -1;
			break;
		}
		snprintf(names[n++], l, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (!rc && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay(names[i]) < 0)
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	const char *lim = getenv("FUZZ_INPUT_SECONDS");
	limit = lim ? atof(lim) : 0;
	LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|FOLDER...\n", argv[0]);
		return 2;
	}
	size_t count = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		int rc = S_ISDIR(st.st_mode) ? replay_dir(argv[i], &count)
					     : replay(argv[i]) == 0 ? (count++, 0) : -1;
		if (rc < 0)
			return 1;
	}
	if (!count) {
		fprintf(stderr, "no input to replay\n");
		return 1;
	}
	printf("replayed %zu inputs; slowest %.3f s (%s)\n", count, slowest, slowest_name);
	return 0;
}
