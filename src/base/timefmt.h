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

#endif
