/*
 * The bulk form of `hfx host set --file hosts.csv`: a CSV file (RFC 4180:
 * commas, double quotes with "" inside, LF or CRLF) whose header names
 * the columns: "name" (or "host") first, then any host attributes
 * (core/host_attr.h). Each row sets those attributes of one host; an
 * empty cell clears the attribute, a column that is absent leaves it
 * alone. Blank lines are skipped. Parsing only: the caller looks the
 * hosts up and stores.
 */
#ifndef HFX_INVENTORY_HOSTS_CSV_H
#define HFX_INVENTORY_HOSTS_CSV_H

#include <stddef.h>

#include "base/err.h"
#include "core/host_attr.h"

#define HOSTS_CSV_MAX (64u << 20)

/* One row: the host's name and the attributes its columns set. */
typedef int (*hosts_csv_cb)(const char *name, const struct host_attrs *attrs, long line,
			    void *ctx, struct err *e);

/*
 * Parses data[0..len) and calls cb for each row, in order. Returns 0,
 * cb's non-zero result, or ERR_INPUT "line L: column C: ..." for a
 * malformed file, an unknown column, a row with another number of cells
 * than the header, or an invalid value.
 */
int hosts_csv_parse(const char *data, size_t len, hosts_csv_cb cb, void *ctx, struct err *e);

#endif
