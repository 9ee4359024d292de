/*
 * hfx watch: the whole loop unattended - sync the feeds, scan, notify, and
 * run the approved plans' jobs whose window has come - every --interval,
 * until SIGTERM or SIGINT (or --cycles). One instance per database: an
 * exclusive lock on <db>.watch.lock, held while it runs. A signal is
 * honoured between steps and between jobs: a running job always finishes
 * (its journal would resume it anyway). docs/WATCH.md; contrib/ has the
 * systemd units.
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "deploy/deploy.h"
#include "notify/notify.h"
#include "scan/scan.h"
#include "store/deploy_store.h"

#define PLANS_MAX 256
#define INTERVAL_MAX (7L * 86400)

enum { OPT_INTERVAL, OPT_CYCLES, OPT_NO_SYNC, OPT_NO_DEPLOY, OPT_IDENTITY, OPT_KNOWN_HOSTS };

static const struct cli_option options[] = {
	[OPT_INTERVAL] = { "interval", "DURATION", "time between the starts of two cycles: "
			   "seconds, or a number with s, m, h or d (default 1h)" },
	[OPT_CYCLES] = { "cycles", "N", "stop after N cycles (default: run until SIGTERM); "
			 "--cycles 1 is one pass, for a timer" },
	[OPT_NO_SYNC] = { "no-sync", NULL, "do not download the feeds (import them otherwise)" },
	[OPT_NO_DEPLOY] = { "no-deploy", NULL, "do not run deployment jobs" },
	[OPT_IDENTITY] = { "identity", "FILE", "for deployments over ssh: the private key" },
	[OPT_KNOWN_HOSTS] = { "known-hosts", "FILE", "for deployments over ssh: the "
			      "known_hosts file" },
	{ NULL, NULL, NULL },
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* "90", "90s", "15m", "2h", "1d" -> seconds, 1 to INTERVAL_MAX. */
static int parse_duration(const char *s, long *ret, struct err *e)
{
	char *end;
	long v = strtol(s, &end, 10), unit = 1;

	if (end != s && *end && !end[1])
		unit = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 :
		       *end == 'd' ? 86400 : 0;
	else if (end == s || *end)
		unit = 0;
	if (!unit || v < 1 || v > INTERVAL_MAX / unit)
		return err_set(e, ERR_INPUT, "--interval '%.32s': expected a duration from 1s to 7d "
			       "(90, 90s, 15m, 2h, 1d)", s);
	*ret = v * unit;
	return 0;
}

/* The lock of the database's one watch: held until the process ends. */
static int take_lock(const char *db_path, int *ret_fd, struct err *e)
{
	char path[4200], pid[32] = "";
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s.watch.lock", db_path) >= sizeof(path))
		return err_set(e, ERR_INPUT, "database path too long");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(e, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int err = errno;
		ssize_t n = read(fd, pid, sizeof(pid) - 1);

		close(fd);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (err == EWOULDBLOCK)
			return err_set(e, ERR_STATE, "another hfx watch is running on %s%s%s%s",
				       db_path, pid[0] ? " (pid " : "", pid, pid[0] ? ")" : "");
		return err_set(e, ERR_IO, "cannot lock '%s': %s", path, strerror(err));
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, strlen(pid), 0) < 0) {
		close(fd);
		return err_set(e, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	}
	*ret_fd = fd;
	return 0;
}

struct watch {
	const struct cli_args *a;
	struct policy p;
	struct store *s;
	int failed; /* steps of this cycle that failed */
};

/* Reports a step's failure and goes on: the loop outlives a bad feed or an
 * unreachable host. */
static void step_failed(struct watch *w, const char *step, const struct err *e)
{
	fprintf(stderr, "hfx watch: %s: %s\n", step, e->msg);
	w->failed++;
}

static void deploy_plans(struct watch *w)
{
	sqlite3_int64 plans[PLANS_MAX];
	struct deploy_opts o = { .policy = &w->p, .actor = w->a->actor, .jobs = 4,
				 .identity = w->a->values[OPT_IDENTITY],
				 .known_hosts = w->a->values[OPT_KNOWN_HOSTS],
				 .progress = cli_show_progress, .stop = &stop_signal };
	struct err e = { "" };
	size_t n = 0;

	if (deploy_pending_plans(w->s, plans, PLANS_MAX, &n, &e)) {
		step_failed(w, "deploy", &e);
		return;
	}
	for (size_t i = 0; i < n && !stop_signal; i++) {
		struct deploy_totals t = { 0 };

		o.plan_id = plans[i];
		if (deploy_run(w->s, &w->p, &o, &t, &e)) {
			step_failed(w, "deploy", &e);
			continue;
		}
		printf("deploy plan %lld: %ld job%s run: %ld done, %ld skipped, %ld failed, %ld "
		       "rolled back; %ld waiting for their window%s\n", (long long)plans[i],
		       t.jobs, t.jobs == 1 ? "" : "s", t.done, t.skipped, t.failed, t.rolled_back,
		       t.waiting, t.halted ? "; halted" : "");
		w->failed += t.failed || t.rolled_back || t.rollback_failed || t.halted;
	}
}

static void notify(struct watch *w)
{
	struct notify_result r = { 0 };
	struct err e = { "" };

	if (!notify_configured(&w->p))
		return;
	if (notify_run(w->s, &w->p, w->a->actor, false, &r, &e))
		step_failed(w, "notify", &e);
	else
		printf("notify: %zu event%s sent\n", r.events, r.events == 1 ? "" : "s");
	notify_result_release(&r);
}

/* One cycle; returns how many of its steps failed. */
static int cycle(const struct cli_args *a, long number)
{
	struct watch w = { .a = a };
	struct scan_opts so = { .actor = a->actor, .policy = &w.p };
	struct scan_totals t;
	struct err e = { "" };
	char now[32];

	store_now(now);
	printf("cycle %ld at %s\n", number, now);
	/* The policy is read again every cycle: edits to hfx.conf apply. */
	if (cli_load_policy(a, &w.p, NULL, 0, &e) || cli_open_store(a, &w.s, &e)) {
		step_failed(&w, "start", &e);
		store_close(w.s);
		return w.failed;
	}
	if (!a->values[OPT_NO_SYNC] && !stop_signal &&
	    cli_sync(w.s, a->db_path, a->actor, false, &e))
		step_failed(&w, "sync", &e);
	if (!stop_signal && cli_scan(w.s, &so, true, &t, &e))
		step_failed(&w, "scan", &e);
	if (!stop_signal)
		notify(&w);
	if (!a->values[OPT_NO_DEPLOY] && !stop_signal)
		deploy_plans(&w);
	store_close(w.s);
	fflush(stdout);
	return w.failed;
}

/* Sleeps until start + interval, or until a signal. */
static void sleep_until(time_t until)
{
	for (time_t now = time(NULL); !stop_signal && now < until; now = time(NULL)) {
		struct timespec ts = { .tv_sec = until - now };

		nanosleep(&ts, NULL); /* a signal ends it early: SA_RESTART is not set */
	}
}

static int run(const struct cli_args *a, struct err *e)
{
	struct sigaction sa = { .sa_handler = on_signal };
	long interval = 3600, failed = 0;
	int cycles = 0;
	int fd = -1, rc = 0;

	if (a->values[OPT_INTERVAL])
		rc = parse_duration(a->values[OPT_INTERVAL], &interval, e);
	if (!rc && a->values[OPT_CYCLES])
		rc = cli_parse_int(a->values[OPT_CYCLES], "cycles", 1, 1000000, &cycles, e);
	if (!rc)
		rc = take_lock(a->db_path, &fd, e);
	if (rc)
		return rc;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("hfx watch on %s: every %lds%s (pid %ld)\n", a->db_path, interval,
	       a->values[OPT_CYCLES] ? ", limited cycles" : " until SIGTERM", (long)getpid());
	fflush(stdout);
	for (long n = 1; !stop_signal && (!cycles || n <= cycles); n++) {
		time_t start = time(NULL);

		failed = cycle(a, n);
		if (!cycles || n < cycles)
			sleep_until(start + interval);
	}
	if (stop_signal)
		printf("stopped by %s\n", stop_signal == SIGTERM ? "SIGTERM" : "SIGINT");
	close(fd);
	if (failed)
		return err_set(e, ERR_IO, "the last cycle had %ld failed step%s (see above)", failed,
			       failed == 1 ? "" : "s");
	return 0;
}

const struct cli_command cmd_watch = {
	.name = "watch",
	.summary = "sync, scan, notify and deploy in a loop, until SIGTERM",
	.details = "Every --interval: hfx feed sync (HFX_MIRROR applies), hfx scan, hfx notify "
		   "(when [notify] has a channel), and the jobs of approved plans whose window "
		   "has come, as hfx deploy run without --now. hfx.conf is read again every "
		   "cycle. A step that fails is reported and the loop goes on; the exit status "
		   "says whether the last cycle was clean. Only one watch runs per database "
		   "(<db>.watch.lock). SIGTERM or SIGINT stops it between steps and jobs; a "
		   "running job finishes first. contrib/ has systemd units (docs/WATCH.md).",
	.max_pos = 0,
	.role = ROLE_OPERATOR,
	.options = options,
	.run = run,
};
