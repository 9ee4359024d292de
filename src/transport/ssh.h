/*
 * Running fixed commands on a remote host with the system's OpenSSH client.
 *
 * The client is started with an argv, never through a local shell; the
 * target ([user@]host[:port]) is validated so it cannot pass for an option;
 * BatchMode and strict host key checking are always on (an unknown or
 * changed host key fails, it is never accepted silently), and one master
 * connection is shared by the commands of a session (ControlMaster). The
 * remote commands are constants of hfx's own: nothing from data or from the
 * command line reaches the remote shell.
 */
#ifndef HFX_TRANSPORT_SSH_H
#define HFX_TRANSPORT_SSH_H

#include "base/buf.h"
#include "base/err.h"

struct ssh_session {
	char user[64];
	char host[256];
	char port[8];
	char identity[4096];    /* -i, or "" */
	char known_hosts[4096]; /* UserKnownHostsFile, or "" for ssh's default */
	char control_dir[64];   /* private directory of the master connection */
};

/* Parses "[user@]host[:port]" (host: a name, an IPv4 address or [IPv6]). */
int ssh_target_parse(const char *spec, struct ssh_session *ret, struct err *e);

/* Prepares a session (its control directory); identity and known_hosts
 * may be NULL. */
int ssh_session_open(struct ssh_session *s, const char *identity, const char *known_hosts,
		     struct err *e);
/* Stops the master connection and removes the control directory. */
void ssh_session_close(struct ssh_session *s);

/*
 * Runs the constant remote command and reads its standard output into out
 * (at most out->max bytes). A non-zero exit of the command or of ssh is an
 * ERR_IO error quoting ssh's standard error.
 */
int ssh_run(struct ssh_session *s, const char *command, struct buf *out, struct err *e);

/*
 * Runs argv on the remote host and reports its exit status instead of
 * failing on it: the deployer decides what a status means. The remote
 * side receives one command line, so each argument is single-quoted
 * (every byte kept literally; a quote is written '\''): together with the
 * callers' validation of every value, nothing in it is interpreted by
 * the remote shell. ERR_NET when ssh itself fails (exit 255).
 */
int ssh_exec(struct ssh_session *s, const char *const argv[], struct buf *out, int *ret_status,
	     char *errtext, size_t errlen, struct err *e);

#endif
