/* RFC 3339 timestamps as feeds write them ("2024-01-02T03:04:05.123Z",
 * "...+02:00"), parsed to comparable instants. */
#ifndef HFX_BASE_TIMEFMT_H
#define HFX_BASE_TIMEFMT_H

#include <stdbool.h>
#include <stdint.h>

struct instant {
	int64_t sec;  /* seconds since the epoch, UTC */
	int32_t nsec;
};

/* Parses s; returns false when it is not an RFC 3339 date-time. */
bool rfc3339_parse(const char *s, struct instant *ret);

/* <0, 0, >0 as a is before, equal to, after b. */
int instant_cmp(struct instant a, struct instant b);

/*
 * Calendar dates ("2026-11-28"), as day numbers since 1970-01-01 so that
 * adding days and comparing are arithmetic. date_parse() reads the first
 * ten bytes of s, so it also takes the date of an RFC 3339 timestamp;
 * it rejects impossible dates (02-30). date_format() clamps to years
 * 0000-9999.
 */
#define DATE_LEN 10

/* Day numbers of proleptic Gregorian dates and back (Hinnant's
 * algorithms), for any year an int64 holds. */
int64_t days_from_civil(int64_t y, int m, int d);
void civil_from_days(int64_t days, int64_t *ret_y, int *ret_m, int *ret_d);
bool date_parse(const char *s, int64_t *ret);
void date_format(int64_t days, char ret[DATE_LEN + 1]);

/* An instant (seconds since the epoch, UTC) as "2026-11-28T10:00:00Z";
 * years outside 0000-9999 are clamped as date_format() does. */
#define INSTANT_LEN 20
void instant_format(int64_t t, char ret[INSTANT_LEN + 1]);

#endif
