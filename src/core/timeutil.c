/* timeutil.c - calendar arithmetic (Howard Hinnant's civil-date algorithms). */
#include "timeutil.h"

#include <time.h>

int32_t pm_days_from_civil(int32_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int32_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

void pm_date_format(int32_t z, char out[11])
{
	z += 719468;
	const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t y = (int32_t)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned d = doy - (153 * mp + 2) / 5 + 1;
	const unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	static const char digits[] = "0123456789";
	int32_t yy = y < 0 ? 0 : y > 9999 ? 9999 : y;
	out[0] = digits[yy / 1000];
	out[1] = digits[yy / 100 % 10];
	out[2] = digits[yy / 10 % 10];
	out[3] = digits[yy % 10];
	out[4] = '-';
	out[5] = digits[m / 10];
	out[6] = digits[m % 10];
	out[7] = '-';
	out[8] = digits[d / 10];
	out[9] = digits[d % 10];
	out[10] = '\0';
}

static bool digits_at(const char *s, size_t n, size_t at, size_t count, int32_t *out)
{
	if (at + count > n)
		return false;
	int32_t v = 0;
	for (size_t i = at; i < at + count; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool leap(int32_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool ymd(const char *s, size_t n, int32_t *days)
{
	static const unsigned char mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int32_t y, m, d;
	if (!digits_at(s, n, 0, 4, &y) || n < 10 || s[4] != '-' || !digits_at(s, n, 5, 2, &m) ||
	    s[7] != '-' || !digits_at(s, n, 8, 2, &d))
		return false;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap(y)))
		return false;
	*days = pm_days_from_civil(y, (unsigned)m, (unsigned)d);
	return true;
}

bool pm_date_parse(const char *s, size_t n, int32_t *days)
{
	return n == 10 && ymd(s, n, days);
}

bool pm_datetime_parse(const char *s, size_t n, int64_t *epoch, int32_t *offset_min)
{
	int32_t days, hh, mm, ss = 0;
	if (n < 17 || !ymd(s, n, &days) || (s[10] != 'T' && s[10] != 't') ||
	    !digits_at(s, n, 11, 2, &hh) || s[13] != ':' || !digits_at(s, n, 14, 2, &mm))
		return false;
	size_t i = 16;
	if (i < n && s[i] == ':') {
		if (!digits_at(s, n, i + 1, 2, &ss))
			return false;
		i += 3;
		if (i < n && (s[i] == '.' || s[i] == ',')) {
			size_t k = ++i;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
			if (i == k)
				return false;
		}
	}
	if (hh > 23 || mm > 59 || ss > 60)
		return false;
	int32_t off = 0;
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int32_t oh, om;
		int sign = s[i] == '-' ? -1 : 1;
		if (!digits_at(s, n, i + 1, 2, &oh))
			return false;
		size_t j = i + 3;
		if (j < n && s[j] == ':')
			j++;
		if (!digits_at(s, n, j, 2, &om) || oh > 23 || om > 59)
			return false;
		off = sign * (oh * 60 + om);
		i = j + 2;
	} else {
		return false;	/* a datetime without a zone is ambiguous */
	}
	if (i != n)
		return false;
	*epoch = (int64_t)days * 86400 + hh * 3600 + mm * 60 + ss - (int64_t)off * 60;
	*offset_min = off;
	return true;
}

bool pm_clock_parse(const char *s, size_t n, int32_t *minutes)
{
	int32_t h, m;
	size_t hlen = n == 5 ? 2 : n == 4 ? 1 : 0;
	if (!hlen || !digits_at(s, n, 0, hlen, &h) || s[hlen] != ':' ||
	    !digits_at(s, n, hlen + 1, 2, &m) || h > 23 || m > 59)
		return false;
	*minutes = h * 60 + m;
	return true;
}

int32_t pm_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return pm_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
				  (unsigned)tm.tm_mday);
}
