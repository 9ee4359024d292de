/* The OpenSSH client as a transport; see ssh.h. */
#include "transport/ssh.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/proc.h"

#define STDERR_MAX 4096
#define CONNECT_TIMEOUT "15"

static bool chars_in(const char *s, size_t n, const char *allowed)
{
	return n > 0 && strspn(s, allowed) >= n;
}

#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

int ssh_target_parse(const char *spec, struct ssh_session *ret, struct err *e)
{
	struct ssh_session t = { .port = "22" };
	const char *at = strchr(spec, '@'), *h = at ? at + 1 : spec, *colon;
	size_t hl;

	if (at && (!chars_in(spec, (size_t)(at - spec), ALNUM "._-") || spec[0] == '-' ||
		   (size_t)(at - spec) >= sizeof(t.user)))
		return err_set(e, ERR_INPUT, "--ssh '%s': invalid user name", spec);
	if (at)
		snprintf(t.user, sizeof(t.user), "%.*s", (int)(at - spec), spec);
	if (*h == '[') { /* [IPv6]:port */
		const char *close = strchr(h, ']');

		if (!close || !chars_in(h + 1, (size_t)(close - h - 1), "0123456789abcdefABCDEF:."))
			return err_set(e, ERR_INPUT, "--ssh '%s': invalid IPv6 address", spec);
		hl = (size_t)(close - h - 1);
		snprintf(t.host, sizeof(t.host), "%.*s", (int)hl, h + 1);
		colon = close[1] == ':' ? close + 1 : close[1] ? close : NULL;
		if (colon == close)
			return err_set(e, ERR_INPUT, "--ssh '%s': junk after the address", spec);
	} else {
		colon = strchr(h, ':');
		hl = colon ? (size_t)(colon - h) : strlen(h);
		/* A host may not start with '-': it would be read as an option. */
		if (!chars_in(h, hl, ALNUM ".-") || h[0] == '-' || hl >= sizeof(t.host))
			return err_set(e, ERR_INPUT, "--ssh '%s': invalid host name", spec);
		snprintf(t.host, sizeof(t.host), "%.*s", (int)hl, h);
	}
	if (colon) {
		long port = strtol(colon + 1, NULL, 10);

		if (!chars_in(colon + 1, strlen(colon + 1), "0123456789") || strlen(colon + 1) > 5 ||
		    port < 1 || port > 65535)
			return err_set(e, ERR_INPUT, "--ssh '%s': invalid port", spec);
		snprintf(t.port, sizeof(t.port), "%ld", port);
	}
	*ret = t;
	return 0;
}

int ssh_session_open(struct ssh_session *s, const char *identity, const char *known_hosts,
		     struct err *e)
{
	const char *tmp = getenv("TMPDIR");

	if ((identity && strlen(identity) >= sizeof(s->identity)) ||
	    (known_hosts && strlen(known_hosts) >= sizeof(s->known_hosts)))
		return err_set(e, ERR_INPUT, "--identity or --known-hosts: path too long");
	snprintf(s->identity, sizeof(s->identity), "%s", identity ? identity : "");
	snprintf(s->known_hosts, sizeof(s->known_hosts), "%s", known_hosts ? known_hosts : "");
	/* The control socket path must stay short (sun_path): /tmp, not TMPDIR
	 * when that is long. */
	if (!tmp || strlen(tmp) > 20)
		tmp = "/tmp";
	snprintf(s->control_dir, sizeof(s->control_dir), "%s/hfx-ssh.XXXXXX", tmp);
	if (!mkdtemp(s->control_dir))
		return err_set(e, ERR_IO, "cannot create a directory for ssh: %s", strerror(errno));
	return 0;
}

/* The fixed argv: options first, "--", then the host and the command. */
static void build_argv(const struct ssh_session *s, const char *command, bool stop,
		       char opts[4][4200], const char *argv[40])
{
	int n = 0, k = 0;

	argv[n++] = "ssh";
	argv[n++] = "-o"; argv[n++] = "BatchMode=yes";
	argv[n++] = "-o"; argv[n++] = "StrictHostKeyChecking=yes";
	argv[n++] = "-o"; argv[n++] = "ConnectTimeout=" CONNECT_TIMEOUT;
	/* A host that vanishes (rebooting, cut off) is noticed in 45 s,
	 * instead of hanging the master and every command behind it. */
	argv[n++] = "-o"; argv[n++] = "ServerAliveInterval=15";
	argv[n++] = "-o"; argv[n++] = "ServerAliveCountMax=3";
	argv[n++] = "-o"; argv[n++] = "ControlMaster=auto";
	argv[n++] = "-o"; argv[n++] = "ControlPersist=60";
	snprintf(opts[k], sizeof(opts[k]), "ControlPath=%s/%%C", s->control_dir);
	argv[n++] = "-o"; argv[n++] = opts[k++];
	if (s->known_hosts[0]) {
		snprintf(opts[k], sizeof(opts[k]), "UserKnownHostsFile=%s", s->known_hosts);
		argv[n++] = "-o"; argv[n++] = opts[k++];
	}
	if (s->identity[0]) {
		argv[n++] = "-o"; argv[n++] = "IdentitiesOnly=yes";
		argv[n++] = "-i"; argv[n++] = s->identity;
	}
	argv[n++] = "-p"; argv[n++] = s->port;
	if (s->user[0]) {
		argv[n++] = "-l"; argv[n++] = s->user;
	}
	if (stop) {
		argv[n++] = "-O"; argv[n++] = "exit";
	}
	argv[n++] = "--";
	argv[n++] = s->host;
	if (command)
		argv[n++] = command;
	argv[n] = NULL;
}

int ssh_run(struct ssh_session *s, const char *command, struct buf *out, struct err *e)
{
	char opts[4][4200], errtext[STDERR_MAX];
	const char *argv[40];
	int status = 0, rc;

	build_argv(s, command, false, opts, argv);
	buf_reset(out);
	rc = proc_run(argv, out, errtext, sizeof(errtext), &status, e);
	if (rc)
		return err_prefix(e, rc, "ssh %s", s->host);
	if (status) {
		errtext[strcspn(errtext, "\r\n")] = '\0';
		return err_set(e, status == 255 ? ERR_NET : ERR_IO, "ssh %s%s%s port %s: %s (exit %d)",
			       s->user, s->user[0] ? "@" : "", s->host, s->port,
			       errtext[0] ? errtext : "the remote command failed", status);
	}
	return out->data ? 0 : buf_append(out, "", 0, e);
}

/* Unlinks the entries of the private control directory. */
static void remove_sockets(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[256];

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) < sizeof(path))
			unlink(path);
	}
	closedir(d);
}

void ssh_session_close(struct ssh_session *s)
{
	char opts[4][4200], errtext[256], path[128];
	const char *argv[40];
	struct buf ignored;
	int status;

	if (!s->control_dir[0])
		return;
	buf_init(&ignored, 4096);
	build_argv(s, NULL, true, opts, argv);
	proc_run(argv, &ignored, errtext, sizeof(errtext), &status, NULL);
	buf_release(&ignored);
	/* The master removes its socket as it exits, which may be just after
	 * `-O exit` returned: remove what is left (our own private directory
	 * holds nothing else), then the directory. */
	remove_sockets(s->control_dir);
	snprintf(path, sizeof(path), "%s", s->control_dir);
	rmdir(path);
	s->control_dir[0] = '\0';
}

/* argv as one remote command line, each argument single-quoted. */
static int quote_argv(const char *const argv[], struct buf *ret, struct err *e)
{
	int rc = 0;

	for (size_t i = 0; !rc && argv[i]; i++) {
		rc = buf_append(ret, i ? " '" : "'", i ? 2 : 1, e);
		for (const char *p = argv[i]; !rc && *p; p++)
			rc = *p == '\'' ? buf_append(ret, "'\\''", 4, e) : buf_append(ret, p, 1, e);
		if (!rc)
			rc = buf_append(ret, "'", 1, e);
	}
	return rc ? rc : buf_append(ret, "", 1, e);
}

int ssh_exec(struct ssh_session *s, const char *const argv[], struct buf *out, int *ret_status,
	     char *errtext, size_t errlen, struct err *e)
{
	char opts[4][4200];
	const char *sargv[40];
	struct buf cmd;
	int rc;

	buf_init(&cmd, 256u << 10);
	rc = quote_argv(argv, &cmd, e);
	if (!rc) {
		build_argv(s, cmd.data, false, opts, sargv);
		rc = proc_run(sargv, out, errtext, errlen, ret_status, e);
	}
	buf_release(&cmd);
	if (!rc && *ret_status == 255)
		rc = err_set(e, ERR_NET, "ssh %s port %s: %s", s->host, s->port,
			     errtext[0] ? errtext : "the connection failed");
	return rc;
}
