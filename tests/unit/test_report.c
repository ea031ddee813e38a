/* test_report.c - the pure pieces of the governance report:
 *  - minisign formats (core/minisign.c) against a key and signature made
 *    by Debian's minisign 0.11 (`minisign -G -W`, `minisign -S -t tc` of
 *    "hello\n"): Ed25519 is deterministic, so signing the same message with
 *    the same key must give the very same .minisig text;
 *  - the report's tables and CSV (core/report_tables.c) and HTML
 *    (core/report_html.c) from a small hand-written model;
 *  - the bundle's manifest, report-info lookup and tar.gz round trip
 *    (report/bundle.c).
 * Expected values are written out by hand (SHA-256 of "" and "abc" are the
 * FIPS 180-2 test vectors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "report/bundle.h"
#include "core/minisign.h"
#include "core/report_html.h"
#include "core/report_tables.h"

/* ---- minisign ---------------------------------------------------------------- */

static const char REAL_PUB[] =
    "untrusted comment: minisign public key 7C7A0B735C75E468\n"
    "RWRo5HVccwt6fO9qWHAdGjngbw6mSGCsFPHUi6Qsar3bUlsPvOATsUxW\n";
static const char REAL_KEY[] =
    "untrusted comment: minisign encrypted secret key\n"
    "RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAaOR1XHMLenySqBjZJ7nm"
    "aIARA5N1gHCPtasvXz8f9imDognGk0v2Gu9qWHAdGjngbw6mSGCsFPHUi6Qsar3bUlsPvOATsUxWAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
static const char REAL_SIG[] =
    "untrusted comment: signature from minisign secret key\n"
    "RURo5HVccwt6fEVhirsKnE9YZzk6YiR7jVYZlLAJr1K3fsAtxvFH4mhKlzF9/11NJ/tIrGYEVMkXLSTmZ7XYSvrRgHv5"
    "UFbdZAM=\n"
    "trusted comment: tc\n"
    "LoLYICP1NhrKWvynElYcQsdZoDwhZYDhncdyLeBLJNgJBULJxP3lwPoAzgMvWc/w7weVVj69DUdMHSUO+XfACQ==\n";

static void real_minisign_key_and_signature(void **state)
{
    (void)state;
    minisign_key pub, sec;
    char id[17], trusted[64];
    const char *why = NULL;
    assert_int_equal(minisign_parse_public(REAL_PUB, strlen(REAL_PUB), &pub), 0);
    minisign_keyid_hex(pub.keyid, id);
    assert_string_equal(id, "7C7A0B735C75E468");
    assert_int_equal(pub.keyid[0], 0x68);   /* stored little-endian */
    assert_int_equal(pub.keyid[7], 0x7C);

    /* Its signature verifies, with its trusted comment. */
    assert_int_equal(minisign_verify(&pub, "hello\n", 6, REAL_SIG, strlen(REAL_SIG), trusted,
                                     sizeof trusted, &why), 0);
    assert_string_equal(trusted, "tc");
    assert_null(why);

    /* Its secret key signs to the same bytes. */
    assert_int_equal(minisign_parse_secret(REAL_KEY, strlen(REAL_KEY), &sec), 0);
    assert_memory_equal(sec.pk, pub.pk, 32);
    assert_memory_equal(sec.keyid, pub.keyid, 8);
    buf out;
    buf_init(&out);
    assert_int_equal(minisign_sign(&sec, "hello\n", 6, "signature from minisign secret key",
                                   "tc", &out), 0);
    assert_int_equal(out.len, strlen(REAL_SIG));
    assert_memory_equal(out.data, REAL_SIG, out.len);
    buf_free(&out);

    /* The bare base64 line (as given to minisign -P) parses too. */
    minisign_key bare;
    const char *line = strchr(REAL_PUB, '\n') + 1;
    assert_int_equal(minisign_parse_public(line, strlen(line), &bare), 0);
    assert_memory_equal(bare.pk, pub.pk, 32);
}

static void tampering_is_detected(void **state)
{
    (void)state;
    minisign_key pub;
    char trusted[64];
    const char *why;
    assert_int_equal(minisign_parse_public(REAL_PUB, strlen(REAL_PUB), &pub), 0);
    /* one byte of the message */
    assert_int_equal(minisign_verify(&pub, "hellp\n", 6, REAL_SIG, strlen(REAL_SIG), trusted,
                                     sizeof trusted, &why), -1);
    assert_string_equal(why, "the signature does not match the file");
    /* the trusted comment */
    char sig[sizeof REAL_SIG];
    memcpy(sig, REAL_SIG, sizeof sig);
    char *tc = strstr(sig, "trusted comment: tc");
    tc[strlen("trusted comment: t")] = 'x';
    assert_int_equal(minisign_verify(&pub, "hello\n", 6, sig, strlen(sig), trusted,
                                     sizeof trusted, &why), -1);
    assert_string_equal(why, "the trusted comment's signature does not match");
    /* another key */
    minisign_key other;
    minisign_keygen(&other);
    assert_int_equal(minisign_verify(&other, "hello\n", 6, REAL_SIG, strlen(REAL_SIG), trusted,
                                     sizeof trusted, &why), -1);
    assert_string_equal(why, "the signature was made with another key (key id differs)");
    /* garbage */
    assert_int_equal(minisign_verify(&pub, "hello\n", 6, "nonsense", 8, trusted,
                                     sizeof trusted, &why), -1);
}

static void generated_keys_round_trip(void **state)
{
    (void)state;
    minisign_key k, pub, sec;
    minisign_keygen(&k);
    buf ptext, stext, sig;
    buf_init(&ptext);
    buf_init(&stext);
    buf_init(&sig);
    minisign_public_text(&k, &ptext);
    minisign_secret_text(&k, &stext);

    /* "untrusted comment: minisign public key " + 16 hex + "\n" + 56 base64 + "\n" */
    static const char prefix[] = "untrusted comment: minisign public key ";
    assert_int_equal(ptext.len, strlen(prefix) + 16 + 1 + 56 + 1);
    assert_memory_equal(ptext.data, prefix, strlen(prefix));
    char id[17];
    minisign_keyid_hex(k.keyid, id);
    assert_memory_equal(ptext.data + strlen(prefix), id, 16);
    assert_memory_equal(ptext.data + strlen(prefix) + 17, "RW", 2);   /* base64 of "Ed" */

    assert_int_equal(minisign_parse_public(ptext.data, ptext.len, &pub), 0);
    assert_memory_equal(pub.pk, k.pk, 32);
    assert_int_equal(minisign_parse_secret(stext.data, stext.len, &sec), 0);
    assert_memory_equal(sec.sk, k.sk, 64);

    /* A flipped byte in the stored key fails its checksum. */
    char *b64 = strchr(stext.data, '\n') + 1;
    b64[120] = b64[120] == 'A' ? 'B' : 'A';
    minisign_key broken;
    assert_int_equal(minisign_parse_secret(stext.data, stext.len, &broken), -1);

    const char msg[] = "manifest\n";
    char trusted[128];
    const char *why;
    assert_int_equal(minisign_sign(&k, msg, sizeof msg - 1, "u", "timestamp:1\tfile:m", &sig), 0);
    assert_int_equal(minisign_verify(&pub, msg, sizeof msg - 1, sig.data, sig.len, trusted,
                                     sizeof trusted, &why), 0);
    assert_string_equal(trusted, "timestamp:1\tfile:m");
    /* Comments must be single lines. */
    assert_int_equal(minisign_sign(&k, msg, 1, "u", "two\nlines", &sig), -1);
    buf_free(&ptext);
    buf_free(&stext);
    buf_free(&sig);
}

/* ---- tables, CSV and HTML from a small model ------------------------------- */

static const char MODEL[] =
    "{\"report\":\"governance\",\"format_version\":1,\"cover\":{\"title\":\"AI governance repor"
    "t\",\"organisation\":\"Ac<me> & Co\",\"as_of\":\"2026-05-04\",\"generated_at\":null,\"gene"
    "rated_by\":\"user:alice\",\"software\":\"switchyard 0.1.0\",\"since\":null,\"audit_head\":"
    "{\"seq\":3,\"hash\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\""
    "at\":\"2026-05-01T10:00:00Z\"},\"risk_model\":{\"factors\":[{\"code\":\"no_swap_layer\",\""
    "points\":20,\"default\":20,\"rule\":\"No swap layer.\"}],\"levels\":[{\"level\":\"low\",\""
    "min\":0,\"max\":24}],\"flagged\":\"level high or critical\"}},\"summary\":{\"counts\":{\"w"
    "orkloads\":1,\"active\":1,\"flagged\":0,\"status\":{\"production\":1},\"track\":{\"azure\""
    ":1},\"level\":{\"medium\":1}},\"spend\":{\"monthly_total\":1234.5,\"by_track\":{\"azure\":"
    "1234.5},\"by_group\":[{\"group\":\"Microsoft\",\"amount\":1234.5}]},\"concentration\":{\"p"
    "rovider\":{\"hhi\":10000,\"band\":\"high\",\"hhi_workloads\":10000,\"band_workloads\":\"hi"
    "gh\"},\"highest_band\":\"high\"},\"flagged\":[]},\"tracks\":[{\"track\":\"azure\",\"title\""
    ":\"Azure strategy\",\"figures\":{\"workloads\":1,\"production\":1,\"flagged\":0,\"without_"
    "swap_layer\":1,\"monthly_spend\":1234.5},\"risk_distribution\":{\"low\":0,\"medium\":1},\""
    "findings\":[{\"code\":\"flagged\",\"severity\":\"high\",\"text\":\"2 <flagged>\",\"workloa"
    "ds\":[{\"id\":1,\"name\":\"A\"},{\"id\":2,\"name\":\"=B\"}]}],\"workloads\":[],\"concentra"
    "tion\":{\"layers\":{}},\"contracts\":[],\"cross_track\":[]}],\"flagged\":[],\"concentratio"
    "n\":[{\"basis\":\"spend\",\"connected\":false,\"layers\":{\"provider\":{\"hhi\":5000,\"ban"
    "d\":\"high\",\"effective_providers\":2,\"total\":300.5,\"shares\":[{\"group\":\"Microsoft\""
    ",\"group_id\":1,\"share\":0.5,\"amount\":150.25},{\"group\":\"OpenAI\",\"group_id\":2,\"sh"
    "are\":0.5,\"amount\":150.25}]},\"publisher\":{\"hhi\":0,\"band\":\"unconcentrated\",\"effe"
    "ctive_providers\":0,\"total\":0,\"shares\":[]},\"host\":{\"hhi\":10000,\"band\":\"high\",\""
    "effective_providers\":1,\"total\":300.5,\"shares\":[{\"group\":\"Microsoft\",\"group_id\":"
    "1,\"share\":1,\"amount\":300.5}]}}}],\"deadlines\":{\"window_months\":12,\"from\":\"2026-0"
    "5-04\",\"until\":\"2027-05-04\",\"items\":[]},\"upstream_terms\":[],\"changes\":null,\"app"
    "endices\":{\"workloads\":[{\"id\":1,\"name\":\"Claims, \\\"triage\\\"\",\"purpose\":\"Line"
    " 1\\nLine 2\",\"owner\":null,\"team\":\"Ops\",\"track\":\"azure\",\"status\":\"production\""
    ",\"criticality\":\"high\",\"data_classification\":\"internal\",\"users\":12,\"monthly_spen"
    "d\":1234.5,\"planned_end\":null,\"ai_act_tier\":\"minimal\",\"swap_layer\":false,"
    "\"alternatives\":[{\"dependency\":4,\"dependency_name\":\"Azure OpenAI\",\"offer"
    "ing\":5,\"offering_name\":\"OpenAI API\"}],\"proprietary_features\":[\"a\",\"b\"],\"dependencies\":[{\"offerin"
    "g\":4,\"offering_name\":\"Azure OpenAI\",\"role\":\"model\"}],\"notes\":\"-note\",\"risk\""
    ":{\"score\":45,\"level\":\"medium\",\"flagged\":false,\"factors\":[{\"code\":\"no_swap_lay"
    "er\",\"points\":20,\"reason\":\"No swap layer.\"},{\"code\":\"contract_lock\",\"points\":1"
    "5,\"reason\":\"EA, exclusive.\"}]},\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":"
    "\"2026-01-02T00:00:00Z\"}],\"contracts\":[],\"offerings\":[],\"vendors\":[]}}";

static json_t *model;
static report_table tables[REPORT_TABLES];

static int load_model(void **state)
{
    (void)state;
    json_error_t err;
    model = json_loads(MODEL, 0, &err);
    if (!model)
        return -1;
    return report_tables_build(model, tables);
}

static int free_model(void **state)
{
    (void)state;
    report_tables_free(tables);
    json_decref(model);
    return 0;
}

static void expect_csv(int table, const char *want)
{
    buf b;
    buf_init(&b);
    report_csv(&tables[table], &b);
    assert_false(buf_failed(&b));
    assert_string_equal(b.data, want);
    buf_free(&b);
}

static void workloads_csv(void **state)
{
    (void)state;
    assert_string_equal(tables[RT_WORKLOADS].name, "workloads");
    /* A column per field of the workload's descriptor, in its order; the
     * risk spelled out. Fields the model lacks are empty cells. */
    expect_csv(RT_WORKLOADS,
               "id,name,purpose,owner,team,track,status,criticality,data_classification,users,"
               "monthly_spend,planned_end,ai_act_tier,swap_layer,allowed_regions,oversight_owner,"
               "impact_assessment,function_id,function_name,function_critical,rto_hours,rpo_hours,"
               "annex_iii_area,ai_system_provider,intended_purpose,"
               "log_retention_months,fria_status,affected_persons_informed,incident_contact,"
               "proprietary_features,dependencies,alternatives,notes,"
               "risk_score,risk_level,priority,flagged,risk_factors,created_at,updated_at\r\n"
               "1,\"Claims, \"\"triage\"\"\",\"Line 1\nLine 2\",,Ops,azure,production,high,"
               "internal,12,1234.5,,minimal,false,,,,,,,,,,,,,,,,\"a\nb\",Azure OpenAI (model),"
               "OpenAI API for Azure OpenAI,\"'-note\",45,medium,,false,"
               "\"no_swap_layer (20): No swap layer.\ncontract_lock (15): EA, exclusive.\","
               "2026-01-01T00:00:00Z,2026-01-02T00:00:00Z\r\n");
}

static void concentration_findings_and_audit_csv(void **state)
{
    (void)state;
    expect_csv(RT_CONCENTRATION,
               "basis,connected,layer,hhi,band,effective_providers,layer_total,group,share,amount\r\n"
               "spend,false,provider,5000,high,2,300.5,Microsoft,0.5,150.25\r\n"
               "spend,false,provider,5000,high,2,300.5,OpenAI,0.5,150.25\r\n"
               "spend,false,publisher,0,unconcentrated,0,0,,,\r\n"
               "spend,false,host,10000,high,1,300.5,Microsoft,1,300.5\r\n");
    expect_csv(RT_FINDINGS, "track,code,severity,text,workload_ids,workloads\r\n"
                            "azure,flagged,high,2 <flagged>,\"1\n2\",\"A\n=B\"\r\n");
    /* No since=: the changes table has its header only. */
    expect_csv(RT_AUDIT, "seq,at,actor,action,entity,entity_id,before,after,prev_hash,hash\r\n");
    expect_csv(RT_VENDORS, "id,name,parent,group,website,country,lei,kind,description,source,"
                           "as_of,connections,created_at,updated_at\r\n");
}

static void item_patterns_and_compact_json(void **state)
{
    (void)state;
    json_t *row = json_loads("{\"terms\":[{\"kind\":\"licence\",\"text\":\"non-exclusive\","
                             "\"effective\":null,\"until\":\"2032-12-31\"},{\"kind\":\"distribution\","
                             "\"text\":\"any cloud\",\"effective\":\"2026-04-27\"}],"
                             "\"v\":{\"a\":1,\"b\":[true,null,\"x\\\"y\"],\"c\":0.1}}", 0, NULL);
    assert_non_null(row);
    report_col terms = {"terms", NULL, "terms", RC_LIST,
                        "{kind}: {text}[ (from {effective})][ (until {until})]", RC_CSV, 0};
    report_col v = {"v", NULL, "v", RC_TEXT, NULL, RC_CSV, 0};
    report_col missing = {"m", NULL, "no/such/path", RC_TEXT, NULL, RC_CSV, 0};
    buf b;
    buf_init(&b);
    report_cell(row, &terms, &b);
    assert_string_equal(b.data, "licence: non-exclusive (until 2032-12-31)\n"
                                "distribution: any cloud (from 2026-04-27)");
    buf_reset(&b);
    report_cell(row, &v, &b);
    assert_string_equal(b.data, "{\"a\":1,\"b\":[true,null,\"x\\\"y\"],\"c\":0.1}");
    buf_reset(&b);
    report_cell(row, &missing, &b);
    assert_int_equal(b.len, 0);
    buf_free(&b);
    json_decref(row);
}

static int contains(const buf *b, const char *s)
{
    return b->data && strstr(b->data, s) != NULL;
}

static void html_is_escaped_self_contained_and_print_ready(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    report_html(model, tables, &b);
    assert_false(buf_failed(&b));
    assert_true(contains(&b, "<!DOCTYPE html>"));
    /* data is escaped, nothing runs, nothing is fetched */
    assert_true(contains(&b, "Ac&lt;me&gt; &amp; Co"));
    assert_false(contains(&b, "Ac<me>"));
    assert_true(contains(&b, "2 &lt;flagged&gt;"));
    assert_true(contains(&b, "Claims, &quot;triage&quot;"));
    assert_false(contains(&b, "<script"));
    assert_false(contains(&b, "<link"));
    assert_false(contains(&b, "src="));
    /* print: A4, a page per section, table headers repeated */
    assert_true(contains(&b, "@page{size:A4"));
    assert_true(contains(&b, "section{break-before:page"));
    assert_true(contains(&b, "thead{display:table-header-group}"));
    /* sections (no since=: no changes section) */
    static const char *const ids[] = {"id=\"cover\"", "id=\"summary\"", "id=\"track-azure\"",
                                      "id=\"flagged\"", "id=\"concentration\"",
                                      "id=\"deadlines\"", "id=\"upstream\"",
                                      "id=\"appendix-workloads\"", "id=\"appendix-contracts\"",
                                      "id=\"appendix-offerings\"", "id=\"appendix-vendors\""};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        assert_true(contains(&b, ids[i]));
    assert_false(contains(&b, "id=\"changes\""));
    /* a bundle's document points to report-info.txt for the time */
    assert_true(contains(&b, "data-field=\"generated_at\">stated in report-info.txt"));
    assert_true(contains(&b, "data-field=\"generated_by\">user:alice<"));
    /* money with cents and thousands; an SVG chart drawn here */
    assert_true(contains(&b, ">1,234.50<"));
    assert_true(contains(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    /* the audit head */
    assert_true(contains(&b, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    buf_free(&b);
}

/* ---- bundle helpers ----------------------------------------------------------- */

static void manifest_is_sorted_sha256sum_format(void **state)
{
    (void)state;
    bundle_file files[] = {{"b.txt", "abc", 3}, {"a.txt", "", 0}};
    buf b;
    buf_init(&b);
    manifest_text(files, 2, &b);
    assert_string_equal(b.data,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.txt\n"
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  b.txt\n");
    buf_free(&b);
    static const char info[] = "report: governance\naudit_head_seq: 42\nas_of: 2026-05-04\n";
    char v[32];
    assert_int_equal(info_value(info, strlen(info), "audit_head_seq", v, sizeof v), 0);
    assert_string_equal(v, "42");
    assert_int_equal(info_value(info, strlen(info), "as_of", v, sizeof v), 0);
    assert_string_equal(v, "2026-05-04");
    assert_int_equal(info_value(info, strlen(info), "audit_head", v, sizeof v), -1);
    assert_int_equal(info_value(info, strlen(info), "as_of", v, 4), -1);   /* too long */
}

static void bundle_round_trips_through_targz(void **state)
{
    (void)state;
    bundle_file files[] = {{"x.csv", "a,b\r\n", 5}, {"empty.txt", "", 0},
                           {"r.html", "<p>\xc3\xbc</p>", 10}};
    buf tar;
    buf_init(&tar);
    char msg[256], dir[64];
    assert_int_equal(bundle_write("governance-report-2026-05-04", files, 3, 1777777777, &tar,
                                  msg, sizeof msg), 0);
    assert_true(tar.len > 18);
    assert_int_equal((unsigned char)tar.data[0], 0x1f);   /* gzip magic */
    assert_int_equal((unsigned char)tar.data[1], 0x8b);
    arena a;
    arena_init(&a);
    bundle_file back[BUNDLE_MAX_FILES];
    size_t n;
    assert_int_equal(bundle_read(tar.data, tar.len, &a, back, &n, dir, sizeof dir, msg,
                                 sizeof msg), 0);
    assert_string_equal(dir, "governance-report-2026-05-04");
    assert_int_equal(n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(back[i].name, files[i].name);
        assert_int_equal(back[i].len, files[i].len);
        assert_memory_equal(back[i].data, files[i].data, files[i].len);
    }
    /* A damaged archive is refused. */
    tar.data[tar.len / 2] ^= 0x55;
    assert_int_equal(bundle_read(tar.data, tar.len, &a, back, &n, dir, sizeof dir, msg,
                                 sizeof msg), -1);
    assert_int_equal(bundle_read("not a bundle", 12, &a, back, &n, dir, sizeof dir, msg,
                                 sizeof msg), -1);
    arena_free(&a);
    buf_free(&tar);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_minisign_key_and_signature),
        cmocka_unit_test(tampering_is_detected),
        cmocka_unit_test(generated_keys_round_trip),
        cmocka_unit_test(workloads_csv),
        cmocka_unit_test(concentration_findings_and_audit_csv),
        cmocka_unit_test(item_patterns_and_compact_json),
        cmocka_unit_test(html_is_escaped_self_contained_and_print_ready),
        cmocka_unit_test(manifest_is_sorted_sha256sum_format),
        cmocka_unit_test(bundle_round_trips_through_targz),
    };
    return cmocka_run_group_tests(tests, load_model, free_model);
}
