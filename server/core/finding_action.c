/* finding_action.c - checking a finding's owner, due date, status and
 * note; see finding_action.h. */
#include "core/finding_action.h"

#include <string.h>

#include "common/text.h"
#include "core/model.h"

const char *const FINDING_STATUSES[] = {"open", "in_progress", "done", "wont_do", NULL};

int finding_key_valid(const char *key)
{
    size_t n = key ? strlen(key) : 0;
    if (n < 3 || n > FINDING_KEY_MAX || key[0] < 'a' || key[0] > 'z')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = key[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

int finding_severity_rank(const char *s)
{
    return strcmp(s, "high") == 0 ? 0 : strcmp(s, "medium") == 0 ? 1
         : strcmp(s, "low") == 0 ? 2 : 3;
}

/* A trimmed, non-empty copy of a string field of at most max bytes, or
 * NULL for JSON null; errors name the field in words. */
static int text_field(const json_t *v, const char *ptr, const char *label, size_t max,
                      arena *a, const char **out, sy_errors *e)
{
    if (json_is_null(v)) {
        *out = NULL;
        return 0;
    }
    if (!json_is_string(v)) {
        errors_add(e, ptr, "%s must be text or null.", label);
        return -1;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n > max || memchr(s, '\0', n)) {
        errors_add(e, ptr, "%s must be 1 to %zu characters (or null to clear it).", label, max);
        return -1;
    }
    char *copy = arena_alloc(a, n + 1);
    if (!copy) {
        errors_add(e, "", "Out of memory.");
        return -1;
    }
    memcpy(copy, s, n);
    copy[n] = '\0';
    *out = copy;
    return 0;
}

int finding_action_patch(finding_action *fa, const json_t *body, arena *a, sy_errors *e)
{
    if (!json_is_object(body)) {
        errors_add(e, "", "The body must be a JSON object.");
        return -1;
    }
    int before = e->count;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)body, key, v) {
        if (strcmp(key, "owner") == 0) {
            (void)text_field(v, "/owner", "Owner", FINDING_OWNER_MAX, a, &fa->owner, e);
        } else if (strcmp(key, "note") == 0) {
            (void)text_field(v, "/note", "Note", FINDING_NOTE_MAX, a, &fa->note, e);
        } else if (strcmp(key, "due") == 0) {
            int64_t day;
            if (json_is_null(v))
                fa->due = NULL;
            else if (!json_is_string(v) || date_parse(json_string_value(v), &day) != 0)
                errors_add(e, "/due", "Due date must be a real date, for example 2027-02-28.");
            else
                fa->due = arena_strdup(a, json_string_value(v));
        } else if (strcmp(key, "status") == 0) {
            if (!json_is_string(v) || enum_index(FINDING_STATUSES, json_string_value(v)) < 0)
                errors_add(e, "/status",
                           "Status must be open, in_progress, done or wont_do.");
            else
                fa->status = FINDING_STATUSES[enum_index(FINDING_STATUSES,
                                                         json_string_value(v))];
        } else if (strcmp(key, "key") != 0 && strcmp(key, "updated_by") != 0 &&
                   strcmp(key, "updated_at") != 0) {
            char ptr[128];
            pointer_join(ptr, sizeof ptr, "", key);
            errors_add(e, ptr, "%s is not a field of a finding's action.", key);
        }
    }
    if (e->count == before && strcmp(fa->status, "wont_do") == 0 && !fa->note)
        errors_add(e, "/note", "A reason is required when a finding is marked won't do.");
    return e->count == before ? 0 : -1;
}
