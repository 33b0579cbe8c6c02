/* timeutil.h - strict dates, datetimes and clock times, without libc's
 * time zone state (so it is thread-safe and gives the same answer on every
 * machine).
 */
#ifndef PM_TIMEUTIL_H
#define PM_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "YYYY-MM-DD", a real calendar day -> days since 1970-01-01. */
bool pm_date_parse(const char *s, size_t n, int32_t *days);

/* ISO 8601 with a zone: "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|+HH:MM|-HH:MM|+HHMM)"
 * -> seconds since the epoch (UTC) and the zone's offset in minutes. */
bool pm_datetime_parse(const char *s, size_t n, int64_t *epoch, int32_t *offset_min);

/* "HH:MM" (or "H:MM") -> minutes after midnight. */
bool pm_clock_parse(const char *s, size_t n, int32_t *minutes);

/* Days since the epoch -> "YYYY-MM-DD" (out holds 11 bytes). */
void pm_date_format(int32_t days, char out[11]);

/* Days since the epoch of a civil date (proleptic Gregorian). */
int32_t pm_days_from_civil(int32_t y, unsigned m, unsigned d);

/* Today's date on this machine's local clock, in days since the epoch. */
int32_t pm_today(void);

#endif
