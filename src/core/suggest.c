/* suggest.c - bounded edit distance for typo hints. */
#include "suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 128

size_t pm_edit_distance(const char *a, const char *b, int icase, size_t limit)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > MAX_WORD || m > MAX_WORD)
		return limit + 1;
	if ((n > m ? n - m : m - n) > limit)
		return limit + 1;
	size_t row[MAX_WORD + 1];
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0], best = row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			unsigned char ca = (unsigned char)a[i - 1], cb = (unsigned char)b[j - 1];
			if (icase) {
				ca = (unsigned char)tolower(ca);
				cb = (unsigned char)tolower(cb);
			}
			size_t cost = diag + (ca != cb);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;
			diag = row[j];
			row[j] = cost < del ? (cost < ins ? cost : ins) : (del < ins ? del : ins);
			if (row[j] < best)
				best = row[j];
		}
		if (best > limit)
			return limit + 1;
	}
	return row[m];
}

const char *pm_suggest(const char *word, const char *const *candidates, size_t n,
		       int icase)
{
	size_t len = strlen(word);
	size_t limit = len / 3 ? len / 3 : 1;
	const char *best = NULL;
	size_t best_d = limit + 1;
	int ties = 0;
	for (size_t i = 0; i < n; i++) {
		size_t d = pm_edit_distance(word, candidates[i], icase, limit);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
			ties = 0;
		} else if (d == best_d && best) {
			ties++;
		}
	}
	/* "sev5" is as close to sev1 as to sev4: naming one would mislead. */
	return ties ? NULL : best;
}
