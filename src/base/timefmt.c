/* RFC 3339 parsing; see timefmt.h. Strict about the shape, because an
 * unparseable `modified` would silently break revision ordering. */
#include "base/timefmt.h"

#include <stddef.h>
#include <string.h>

static bool digits(const char *s, size_t n, int *ret)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool rfc3339_parse(const char *s, struct instant *ret)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, nsec = 0, scale = 100000000;
	size_t i = 19;
	int64_t sec;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' &&
	    s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return false;
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
	    !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return false;
	if (s[i] == '.') {
		if (s[++i] < '0' || s[i] > '9')
			return false;
		for (; s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
			nsec += (s[i] - '0') * scale;
	}
	if (s[i] == 'Z' || s[i] == 'z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		if (strlen(s + i) != 6 || s[i + 3] != ':' || !digits(s + i + 1, 2, &oh) ||
		    !digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
			return false;
		if (s[i] == '-')
			oh = -oh, om = -om;
		i += 6;
	} else {
		return false;
	}
	if (s[i] != '\0')
		return false;
	sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	ret->sec = sec - (oh * 3600 + om * 60);
	ret->nsec = nsec;
	return true;
}

int instant_cmp(struct instant a, struct instant b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	return (a.nsec > b.nsec) - (a.nsec < b.nsec);
}
