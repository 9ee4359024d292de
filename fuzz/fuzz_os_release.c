/*
 * libFuzzer target for the os-release parser (src/inventory/os_release.c).
 *
 * On success every field must be a terminated string and ID non-empty; on
 * failure the result must be untouched and a message left.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/os_release.h"

static void check_field(const char *s, size_t size)
{
	if (strnlen(s, size) == size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct os_release r, before;
	struct err e;
	int rc;

	memset(&r, 0xA5, sizeof(r));
	before = r;
	memset(e.msg, 0, sizeof(e.msg));
	rc = os_release_parse((const char *)data, size, "fuzz", &r, &e);
	if (rc == 0) {
		check_field(r.id, sizeof(r.id));
		check_field(r.version_id, sizeof(r.version_id));
		check_field(r.version_codename, sizeof(r.version_codename));
		check_field(r.pretty_name, sizeof(r.pretty_name));
		check_field(r.id_like, sizeof(r.id_like));
		if (!r.id[0])
			abort();
	} else if (rc == ERR_INPUT || rc == ERR_NOMEM) {
		if (memcmp(&r, &before, sizeof(r)) || !e.msg[0])
			abort();
	} else {
		abort();
	}
	return 0;
}
