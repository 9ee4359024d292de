/*
 * The transports; see transport.h. Each is a handful of lines over
 * base/proc.c or transport/ssh.c, so they share this file.
 */
#include "deploy/transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/proc.h"
#include "transport/ssh.h"

#define ARGV_MAX 4100

struct transport {
	const struct transport_ops *ops;
	char spec[4200];
	char root[4096];           /* chroot */
	struct ssh_session ssh;    /* ssh */
};

static int local_run(struct transport *t, const char *const argv[], struct buf *out,
		     int *ret_status, char *errtext, size_t errlen, struct err *e)
{
	(void)t;
	return proc_run(argv, out, errtext, errlen, ret_status, e);
}

/* chroot(8) DIR argv...: the program is looked up inside DIR. */
static int chroot_run(struct transport *t, const char *const argv[], struct buf *out,
		      int *ret_status, char *errtext, size_t errlen, struct err *e)
{
	const char *cargv[ARGV_MAX + 3];
	size_t n = 0;

	cargv[n++] = "chroot";
	cargv[n++] = t->root;
	for (size_t i = 0; argv[i]; i++) {
		if (n >= ARGV_MAX)
			return err_set(e, ERR_INPUT, "command too long for chroot");
		cargv[n++] = argv[i];
	}
	cargv[n] = NULL;
	return proc_run(cargv, out, errtext, errlen, ret_status, e);
}

static int ssh_run_argv(struct transport *t, const char *const argv[], struct buf *out,
			int *ret_status, char *errtext, size_t errlen, struct err *e)
{
	return ssh_exec(&t->ssh, argv, out, ret_status, errtext, errlen, e);
}

static void nothing(struct transport *t)
{
	(void)t;
}

static void ssh_close(struct transport *t)
{
	ssh_session_close(&t->ssh);
}

static const struct transport_ops local_ops = { "local", true, false, local_run, nothing };
static const struct transport_ops chroot_ops = { "chroot", false, false, chroot_run, nothing };
static const struct transport_ops ssh_ops = { "ssh", true, true, ssh_run_argv, ssh_close };

int transport_open(const char *spec, const char *identity, const char *known_hosts,
		   struct transport **ret, struct err *e)
{
	struct transport *t = calloc(1, sizeof(*t));
	struct stat st;
	int rc = 0;

	if (!t)
		return err_set(e, ERR_NOMEM, "out of memory");
	snprintf(t->spec, sizeof(t->spec), "%s", spec);
	if (!strcmp(spec, "local")) {
		t->ops = &local_ops;
	} else if (!strncmp(spec, "chroot:", 7)) {
		t->ops = &chroot_ops;
		if (spec[7] != '/' || strlen(spec + 7) >= sizeof(t->root) ||
		    stat(spec + 7, &st) || !S_ISDIR(st.st_mode))
			rc = err_set(e, ERR_INPUT, "transport '%.200s': not an absolute path to a "
				     "directory", spec);
		else
			snprintf(t->root, sizeof(t->root), "%s", spec + 7);
	} else if (!strncmp(spec, "ssh:", 4)) {
		t->ops = &ssh_ops;
		rc = ssh_target_parse(spec + 4, &t->ssh, e);
		if (!rc)
			rc = ssh_session_open(&t->ssh, identity, known_hosts, e);
	} else {
		rc = err_set(e, ERR_INPUT, "transport '%.200s': expected local, chroot:DIR or "
			     "ssh:[USER@]HOST[:PORT]", spec);
	}
	if (rc) {
		free(t);
		return rc;
	}
	*ret = t;
	return 0;
}

int transport_run(struct transport *t, const char *const argv[], struct buf *out,
		  int *ret_status, char *errtext, size_t errlen, struct err *e)
{
	return t->ops->run(t, argv, out, ret_status, errtext, errlen, e);
}

bool transport_live(const struct transport *t)
{
	return t->ops->live;
}

bool transport_rebootable(const struct transport *t)
{
	return t->ops->rebootable;
}

const char *transport_describe(const struct transport *t)
{
	return t->spec;
}

void transport_close(struct transport *t)
{
	if (!t)
		return;
	t->ops->close(t);
	free(t);
}
