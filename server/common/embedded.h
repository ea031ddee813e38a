/* embedded.h - files compiled into the binary (migrations, seeds, web).
 *
 * The build runs server/tools/embed.c over each folder and links the
 * generated tables, so the binary needs no files beside it. */
#ifndef SY_EMBEDDED_H
#define SY_EMBEDDED_H

#include <stddef.h>

typedef struct embedded_file {
    const char *name;              /* path relative to its folder, '/'-separated */
    const unsigned char *data;     /* NUL-terminated for convenience */
    size_t size;                   /* without the terminator */
} embedded_file;

/* Each table is sorted by name and ends with a {NULL, NULL, 0} entry. */
extern const embedded_file sy_migrations[];      /* db/migrations (SQLite) */
extern const embedded_file sy_migrations_pg[];   /* db/postgres (PostgreSQL), same numbers */
extern const embedded_file sy_seeds[];
extern const embedded_file sy_evidence[];   /* seeds/evidence: the demo's evidence files */
extern const embedded_file sy_apidoc[];   /* openapi.json, generated (tools/openapi_gen.c) */

/* Finds name in a table, or NULL. */
const embedded_file *embedded_find(const embedded_file *table, const char *name);

#endif
