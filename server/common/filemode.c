/* filemode.c - the file group and modes of what this process creates
 * (see filemode.h). Set once at start-up, before any file is opened. */
#include "common/filemode.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/text.h"

static int have_group;
static gid_t file_gid;

int filemode_set_group(const char *name, char *why, size_t size)
{
    int64_t n;
    struct group *g = NULL;
    if (!name || !*name) {
        snprintf(why, size, "needs a group name");
        return -1;
    }
    if (parse_i64(name, 0, 2147483647, &n) == 0) {
        file_gid = (gid_t)n;
    } else {
        errno = 0;
        g = getgrnam(name);
        if (!g) {
            snprintf(why, size, "no group named %s on this machine", name);
            return -1;
        }
        file_gid = g->gr_gid;
    }
    have_group = 1;
    umask(027);
    return 0;
}

unsigned filemode_data_mode(void)
{
    return have_group ? 0640 : 0600;
}

int filemode_apply(const char *path)
{
    if (!have_group)
        return 0;
    if (chown(path, (uid_t)-1, file_gid) != 0)
        return -1;
    return chmod(path, 0640);
}
