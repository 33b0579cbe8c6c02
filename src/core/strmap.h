/* strmap.h - a hash map from borrowed strings to indexes (open addressing).
 *
 * Keys are not copied: they must outlive the map (they live in document
 * arenas).  The table is heap memory released by pm_strmap_release().
 */
#ifndef PM_STRMAP_H
#define PM_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct pm_strmap_slot {
	const char *key;	/* NULL: free */
	size_t value;
};

struct pm_strmap {
	struct pm_strmap_slot *slots;
	size_t cap, n;		/* cap is a power of two, or 0 */
};

void pm_strmap_init(struct pm_strmap *m);
void pm_strmap_release(struct pm_strmap *m);

/* Inserts key -> value unless key is present.  Returns 1 when inserted, 0
 * when the key was there (*existing, if given, receives its value), -1 when
 * out of memory. */
int pm_strmap_put(struct pm_strmap *m, const char *key, size_t value, size_t *existing);

/* Looks key up; true with *value set when present. */
bool pm_strmap_get(const struct pm_strmap *m, const char *key, size_t *value);

#endif
