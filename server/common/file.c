/* file.c - reading a whole file, writing one durably; see file.h. */
#include "common/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/buf.h"

int fd_write_all_sync(int fd, const void *data, size_t len)
{
    const char *p = data;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return fsync(fd) == 0 ? 0 : -1;
}

int file_read_all(const char *path, size_t max, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    buf b;
    buf_init(&b);
    char chunk[8192];
    size_t n;
    int too_big = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max) {
            too_big = 1;
            break;
        }
        buf_append(&b, chunk, n);
    }
    int bad = too_big || ferror(f) || buf_failed(&b);
    fclose(f);
    if (!bad && !b.data)
        buf_append(&b, "", 0);
    if (bad || buf_failed(&b)) {
        buf_free(&b);
        if (too_big)
            errno = EFBIG;
        return -1;
    }
    *data = buf_take(&b, len);
    return 0;
}
