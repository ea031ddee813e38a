/* file.h - reading a whole file into memory, with a size cap. */
#ifndef SY_FILE_H
#define SY_FILE_H

#include <stddef.h>

/* Reads the file at path into a new malloc'd buffer (NUL-terminated, the
 * terminator not counted in *len); the caller frees *data. Fails with
 * errno EFBIG when the file is larger than max bytes. Returns 0 or -1. */
int file_read_all(const char *path, size_t max, char **data, size_t *len);

#endif
