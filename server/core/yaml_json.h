/* yaml_json.h - YAML (libyaml) into a jansson tree, for imports of
 * configuration files (a LiteLLM proxy's config.yaml).
 *
 * The first document of the stream becomes JSON: mappings objects (keys as
 * text; a later duplicate key replaces the earlier), sequences arrays, and
 * every scalar a string (YAML 1.1's implicit types are left to the reader,
 * which knows what each field means). Aliases are refused (no billion
 * laughs), as is nesting deeper than 64 or more than 100,000 nodes. Pure. */
#ifndef SY_YAML_JSON_H
#define SY_YAML_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

typedef struct yaml_json_error {
    long line, column;         /* 1-based; 0 when unknown */
    char reason[160];
} yaml_json_error;

/* The document in f (or in text[0..len) when f is NULL) as JSON (a new
 * reference; an empty document is null), or NULL with the error. */
json_t *yaml_to_json(FILE *f, const char *text, size_t len, yaml_json_error *err);

#endif
