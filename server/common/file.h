/* file.h - reading a whole file into memory, with a size cap; writing all
 * of a buffer to a descriptor durably. */
#ifndef SY_FILE_H
#define SY_FILE_H

#include <stddef.h>

/* Reads the file at path into a new malloc'd buffer (NUL-terminated, the
 * terminator not counted in *len); the caller frees *data. Fails with
 * errno EFBIG when the file is larger than max bytes. Returns 0 or -1. */
int file_read_all(const char *path, size_t max, char **data, size_t *len);

/* Writes all len bytes to fd (retrying short writes and EINTR), then
 * fsync. 0, or -1 with errno set. */
int fd_write_all_sync(int fd, const void *data, size_t len);

#endif
