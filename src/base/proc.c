/* Running a program with an argv; see proc.h. */
#include "base/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Reads both pipes until they close: stdout into out, stderr (bounded)
 * into errtext. */
static int drain(int out_fd, int err_fd, struct buf *out, char *errtext, size_t errlen,
		 struct err *e)
{
	struct pollfd p[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
	size_t elen = 0;
	char chunk[65536];
	int rc = 0;

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return err_set(e, ERR_IO, "poll: %s", strerror(errno));
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n <= 0) {
				p[i].fd = -1;
				continue;
			}
			if (i == 0 && !rc)
				rc = buf_append(out, chunk, (size_t)n, e);
			else if (i == 1 && elen + 1 < errlen) {
				size_t k = (size_t)n < errlen - 1 - elen ? (size_t)n : errlen - 1 - elen;

				memcpy(errtext + elen, chunk, k);
				elen += k;
			}
		}
	}
	errtext[elen] = '\0';
	return rc;
}

int proc_run(const char *const argv[], struct buf *out, char *errtext, size_t errlen,
	     int *ret_status, struct err *e)
{
	posix_spawn_file_actions_t fa;
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, status = 0, rc = 0;
	pid_t pid;

	if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		rc = err_set(e, ERR_IO, "pipe: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;
	if (rc) {
		rc = err_set(e, ERR_IO, "cannot run %s: %s", argv[0], strerror(rc));
		goto out;
	}
	rc = drain(outp[0], errp[0], out, errtext, errlen, e);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*ret_status = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
out:
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	return rc;
}

