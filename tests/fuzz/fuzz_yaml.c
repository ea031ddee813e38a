/* fuzz_yaml.c - the YAML path of imports: core/yaml_json.c (libyaml) and
 * the LiteLLM configuration reader (core/litellm.c).
 *
 * Properties: any input gives either a JSON value or an error with a
 * reason (and a line from 1 when libyaml knows one); a value serialises
 * as JSON and reads back equal; the LiteLLM reader either finds the
 * deployments, each with a group, a model and an offering that is NULL or
 * what litellm_offering() says for its model, or names why not; fallbacks
 * are arrays or NULL. */
#include <stdint.h>

#include "core/litellm.h"
#include "core/yaml_json.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    yaml_json_error e;
    json_t *j = yaml_to_json(NULL, (const char *)data, size, &e);
    if (!j) {
        FUZZ_CHECK(e.reason[0] != '\0');
        FUZZ_CHECK(e.line >= 0 && e.column >= 0);
        return 0;
    }
    char *text = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
    FUZZ_CHECK(text != NULL);
    json_t *back = json_loads(text, JSON_DECODE_ANY, NULL);
    FUZZ_CHECK(back != NULL && json_equal(back, j));
    json_decref(back);
    free(text);
    litellm_deployment *d;
    size_t n;
    long bad;
    char reason[200];
    if (litellm_deployments(j, &d, &n, &bad, reason, sizeof reason) == 0) {
        FUZZ_CHECK(n >= 1);
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(d[i].group && *d[i].group && d[i].model && *d[i].model);
            FUZZ_CHECK(d[i].offering == litellm_offering(d[i].model));
            const json_t *fb = litellm_fallbacks(j, d[i].group);
            FUZZ_CHECK(fb == NULL || json_is_array(fb));
        }
        free(d);
    } else {
        FUZZ_CHECK(reason[0] != '\0');
    }
    json_decref(j);
    return 0;
}
