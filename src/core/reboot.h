/*
 * Whether upgrading a package needs a reboot, predicted from its name:
 * the kernel, the C library, the init system and CPU microcode are only
 * replaced in memory by rebooting; other libraries and daemons need the
 * services that use them restarted. A prediction for planning: deploy
 * confirms it on the host (needrestart, needs-restarting).
 */
#ifndef HFX_CORE_REBOOT_H
#define HFX_CORE_REBOOT_H

#include <stdbool.h>

bool package_needs_reboot(const char *name);

/* How the installed version can be brought back after an upgrade, by
 * ecosystem family: "yes: dpkg-repack" (Debian and Ubuntu rebuild the
 * installed package), "if the repository still has it" (rpm, apk: checked
 * again before deploying). */
const char *package_rollback(const char *ecosystem);

#endif
