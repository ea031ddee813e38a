/* witness.c - syslog as an outside witness of the audit checkpoints (kept
 * apart: <syslog.h> names clash with common/log.h's levels). */
#include <syslog.h>

#include "cli/cli.h"

void witness_open(void)
{
    openlog("switchyard", LOG_PID, LOG_AUTHPRIV);
}

void witness_send(const char *line, int len)
{
    syslog(LOG_NOTICE, "audit checkpoint %.*s", len, line);
}

void witness_close(void)
{
    closelog();
}
