/* filemode.h - who may read the files this process creates.
 *
 * By default everything (database, WAL, SHM, backups, the checkpoint log,
 * exports) is for the owner alone: umask 077, files 0600. With a file group
 * (--file-group NAME, or SWITCHYARD_FILE_GROUP) the database files, backups
 * and the checkpoint log are 0640 and belong to that group, so a backup or
 * monitoring account in it can read them without being root. Private keys
 * stay 0600 whatever the group: reading one is forging a signature. */
#ifndef SY_FILEMODE_H
#define SY_FILEMODE_H

#include <stddef.h>

/* Names the group (by name or number) and widens the umask to 027; 0, or
 * -1 with why. */
int filemode_set_group(const char *name, char *why, size_t size);
/* 0640 with a file group, else 0600. */
unsigned filemode_data_mode(void);
/* Gives path the data mode and the file group when one is set (a no-op
 * otherwise); 0, or -1 with errno set. */
int filemode_apply(const char *path);

#endif
