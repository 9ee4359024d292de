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

/* Largest inventory file accepted. */
#define INVENTORY_MAX (256u << 20)

/*
 * Imports the inventory at path as host name, in the named format (NULL:
 * detected from content; see inventory/formats.c). The OS is os
 * ("ID:VERSION_ID", e.g. "debian:12") when given, else what the file says,
 * else the os-release beside the file; without one the import is refused
 * (the OS decides which advisories apply, so hfx does not guess). An OS
 * without an advisory feed is stored with an empty ecosystem. The whole
 * file is validated before anything is stored. *ret gets the stored host.
 */
int inventory_import(struct store *s, const char *path, const char *name, const char *os,
		     const char *format, struct host *ret, struct err *e);

/*
 * Inventories the system mounted at root ("/" for this machine): its
 * os-release, package database (dpkg or apk), architecture and (for "/")
 * the running kernel.
 * name defaults to the host name ("/") or the root's last path component.
 */
int inventory_collect(struct store *s, const char *root, const char *name,
		      struct host *ret, struct err *e);

/*
 * Inventories a remote host over SSH ("[user@]host[:port]"), with the
 * system's OpenSSH client: its os-release, kernel, architecture and
 * package database (dpkg, apk or rpm); nothing is installed on it.
 * identity and known_hosts may be NULL (ssh's defaults); name defaults to
 * the host part of target.
 */
int inventory_collect_ssh(struct store *s, const char *target, const char *identity,
			  const char *known_hosts, const char *name, struct host *ret,
			  struct err *e);

#endif
