/*
 * The table of inventory formats: names for --format, content detection,
 * and each parser adapted to the common inv_sink shape (inventory.h). The
 * table's order is the detection order: most specific first.
 */
#ifndef HFX_INVENTORY_FORMATS_H
#define HFX_INVENTORY_FORMATS_H

#include <stdbool.h>
#include <stddef.h>

#include "inventory/inventory.h"

struct inv_format {
	const char *name;     /* for --format: "dpkg", "rpm", ... */
	const char *packages; /* "deb", "rpm", "apk"; NULL: the file says */
	const char *what;     /* for messages and docs */
	bool (*looks_like)(const char *data, size_t len);
	int (*parse)(const char *data, size_t len, const char *filename,
		     const struct inv_sink *sink, struct err *e);
};

/* The format named name, or NULL. */
const struct inv_format *inv_format_find(const char *name);

/* The format of data, by content; NULL with ERR_INPUT when none fits. */
const struct inv_format *inv_format_detect(const char *data, size_t len,
					   const char *filename, struct err *e);

size_t inv_format_count(void);
const struct inv_format *inv_format_at(size_t i);

#endif
