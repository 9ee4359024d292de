/*
 * Where a deployment's commands run, behind one small interface: `local`
 * (this machine), `chroot:DIR` (a system mounted at DIR, for patching
 * images and for tests) and `ssh:[user@]host[:port]` (the system's
 * OpenSSH client, transport/ssh.h). Commands are always argv arrays;
 * local and chroot never involve a shell; over SSH each argument is
 * quoted for the remote shell (ssh_exec()).
 */
#ifndef HFX_DEPLOY_TRANSPORT_H
#define HFX_DEPLOY_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

struct transport;

struct transport_ops {
	const char *name;
	bool live;       /* a running system: its services can be restarted (not chroot) */
	bool rebootable; /* hfx may reboot it and reach it again (ssh; never local) */
	/* Runs argv; output into out, the start of stderr into errtext, the
	 * exit status into *ret_status. 0 whenever the command ran. */
	int (*run)(struct transport *t, const char *const argv[], struct buf *out,
		   int *ret_status, char *errtext, size_t errlen, struct err *e);
	void (*close)(struct transport *t);
};

/* Opens "local", "chroot:DIR" or "ssh:TARGET"; identity and known_hosts
 * are for ssh (may be NULL). */
int transport_open(const char *spec, const char *identity, const char *known_hosts,
		   struct transport **ret, struct err *e);
int transport_run(struct transport *t, const char *const argv[], struct buf *out,
		  int *ret_status, char *errtext, size_t errlen, struct err *e);
/* What the transport's host allows (transport_ops). */
bool transport_live(const struct transport *t);
bool transport_rebootable(const struct transport *t);
/* "chroot:/srv/img" etc., for messages and the journal. */
const char *transport_describe(const struct transport *t);
void transport_close(struct transport *t);

#endif
