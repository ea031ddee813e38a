/* finding_action.h - the human side of a finding: who owns it, by when,
 * and where it stands (open, in_progress, done, wont_do with a reason).
 * Findings themselves are computed (core/findings.c, core/compliance.c)
 * and carry a stable key (kind + subject ids, e.g. "residency.w12.o7" or
 * "deadline_lock_in.azure.c4"); the action is stored under that key, so it
 * stays with the finding for as long as the rule keeps raising it. Pure:
 * no I/O; the API merges stored actions into the computed list. */
#ifndef SY_FINDING_ACTION_H
#define SY_FINDING_ACTION_H

#include <jansson.h>
#include <stdint.h>

#include "common/arena.h"
#include "core/errors.h"

#define FINDING_KEY_MAX 96
#define FINDING_OWNER_MAX 120
#define FINDING_NOTE_MAX 2000

extern const char *const FINDING_STATUSES[];   /* NULL-terminated */

typedef struct finding_action {
    int64_t id;                /* 0 until stored */
    const char *key;
    const char *owner;         /* or NULL */
    const char *due;           /* YYYY-MM-DD, or NULL */
    const char *status;        /* one of FINDING_STATUSES */
    const char *note;          /* the reason, required for wont_do; or NULL */
    const char *updated_by;
    const char *updated_at;
    int64_t version;           /* 0 until stored; one more with each change (ETag) */
} finding_action;

/* 1 when key has the shape of a finding key: 3 to FINDING_KEY_MAX
 * characters of a-z, 0-9, '_' and '.', starting with a letter. */
int finding_key_valid(const char *key);

/* Applies a PATCH body to *fa (a stored action, or a fresh one with status
 * "open"): owner, due, status and note; null clears owner, due and note.
 * Checks every field (errors name them: "/due", ...) and the whole (a
 * wont_do needs a note). Strings are copied into a. 0, or -1 with e
 * filled and *fa left in an unspecified state. */
int finding_action_patch(finding_action *fa, const json_t *body, arena *a, sy_errors *e);

/* Rank of a severity for ordering: high 0, medium 1, low 2, info 3. */
int finding_severity_rank(const char *severity);

#endif
