/*
 * libFuzzer target for the hosts.csv parser (src/inventory/hosts_csv.c).
 * Beyond the sanitizers' checks: every row handed over names a valid host
 * and sets only valid, terminated values; a failure leaves a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/hosts_csv.h"
#include "store/host_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_row(const char *name, const struct host_attrs *a, long line, void *ctx,
		     struct err *e)
{
	(void)ctx, (void)e;
	if (!host_name_valid(name) || line < 2)
		abort();
	for (int i = 0; i < HOST_ATTR_N; i++)
		if (a->set[i] && strnlen(a->value[i], HOST_ATTR_VALUE_MAX + 1) > HOST_ATTR_VALUE_MAX)
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = { "" };

	if (hosts_csv_parse((const char *)data, size, check_row, NULL, &e) && !e.msg[0])
		abort();
	return 0;
}
