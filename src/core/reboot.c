/* Reboot and rollback predictions; see reboot.h. */
#include "core/reboot.h"

#include <string.h>

/* Exact names, then prefixes. */
static const char *const reboot_names[] = {
	"libc6", "libc-bin", "glibc", "glibc-common", "musl", "systemd", "systemd-sysv",
	"systemd-libs", "init", "sysvinit-core", "openrc", "intel-microcode", "amd64-microcode",
	"microcode_ctl", "linux-firmware", "kernel", "kernel-core", "kernel-modules",
	"kernel-modules-core", "dbus", "dbus-daemon", "dbus-broker", NULL,
};
static const char *const reboot_prefixes[] = {
	"linux-image-", "kernel-", "linux-modules-", "linux-lts", "linux-virt", NULL,
};

bool package_needs_reboot(const char *name)
{
	for (const char *const *n = reboot_names; *n; n++)
		if (!strcmp(*n, name))
			return true;
	for (const char *const *p = reboot_prefixes; *p; p++)
		if (!strncmp(*p, name, strlen(*p)))
			return true;
	return false;
}

const char *package_rollback(const char *ecosystem)
{
	if (!strncmp(ecosystem, "Debian", 6) || !strncmp(ecosystem, "Ubuntu", 6))
		return "yes: dpkg-repack keeps the installed version";
	return "if the repository still has the installed version";
}
