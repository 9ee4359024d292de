/* RFC 3339 parsing; see timefmt.h. Strict about the shape, because an
 * unparseable `modified` would silently break revision ordering. */
#include "base/timefmt.h"

#include <stddef.h>
#include <stdio.h>
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

int64_t days_from_civil(int64_t y, int m, int d)
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

void civil_from_days(int64_t z, int64_t *ret_y, int *ret_m, int *ret_d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*ret_d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*ret_m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*ret_y = era * 400 + yoe + (*ret_m <= 2);
}

bool date_parse(const char *s, int64_t *ret)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)))
		return false;
	*ret = days_from_civil(y, m, d);
	return true;
}

void date_format(int64_t days, char ret[DATE_LEN + 1])
{
	int64_t y;
	int m, d;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		memcpy(ret, y < 0 ? "0000-01-01" : "9999-12-31", DATE_LEN + 1);
		return;
	}
	ret[0] = (char)('0' + y / 1000);
	ret[1] = (char)('0' + y / 100 % 10);
	ret[2] = (char)('0' + y / 10 % 10);
	ret[3] = (char)('0' + y % 10);
	ret[4] = '-';
	ret[5] = (char)('0' + m / 10);
	ret[6] = (char)('0' + m % 10);
	ret[7] = '-';
	ret[8] = (char)('0' + d / 10);
	ret[9] = (char)('0' + d % 10);
	ret[10] = '\0';
}

void instant_format(int64_t t, char ret[INSTANT_LEN + 1])
{
	char day[DATE_LEN + 1], buf[64];
	int64_t d = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), s = t - d * 86400;

	date_format(d, day);
	snprintf(buf, sizeof(buf), "%sT%02d:%02d:%02dZ", day, (int)(s / 3600),
		 (int)(s / 60 % 60), (int)(s % 60));
	memcpy(ret, buf, INSTANT_LEN);
	ret[INSTANT_LEN] = '\0';
}
