/*
 * Getting a host's inventory into the store: from a dpkg status file
 * (`hfx host import`) or from this machine or a mounted root (`hfx host
 * collect`). Both validate everything first and replace the host's
 * package list in one transaction, so a bad file changes nothing.
 */
#ifndef HFX_INVENTORY_HOST_INVENTORY_H
#define HFX_INVENTORY_HOST_INVENTORY_H

#include "store/host_store.h"
#include "store/store.h"

/*
 * Imports the dpkg status file at path as host name. os is "ID:VERSION_ID"
 * (e.g. "debian:12"); when NULL, the os-release file next to path is read,
 * and without one the import is refused (the OS decides which advisories
 * apply, so hfx does not guess). *ret gets the stored host.
 */
int inventory_import_dpkg(struct store *s, const char *path, const char *name,
			  const char *os, struct host *ret, struct err *e);

/*
 * Inventories the system mounted at root ("/" for this machine): its
 * os-release, dpkg status, architecture and (for "/") the running kernel.
 * name defaults to the host name ("/") or the root's last path component.
 */
int inventory_collect(struct store *s, const char *root, const char *name,
		      struct host *ret, struct err *e);

#endif
