/* embed.c - build tool: turns files into a C table compiled into the binary.
 *
 * usage: embed [--web] OUTPUT.c SYMBOL BASE_DIR[,BASE_DIR...] FILE...
 * Each FILE is stored under its path relative to the first BASE_DIR that
 * contains it; the table is sorted by that name so it can be binary-searched.
 *
 * Without --web the table is of embedded_file (common/embedded.h).
 * With --web it is of web_asset (http/assets.h), prepared for the browser:
 *   - a content fingerprint per file ("version"): its own hash, except that
 *     the front end's modules (*.js outside vendor/) share one hash over all
 *     of them, because they import each other by relative URL and are served
 *     together under /v/<version>/;
 *   - index.html rewritten so its relative href="", src="" (and data-src="")
 *     addresses of embedded files point at /v/<version>/...
 *     (the server answers those with a year-long immutable Cache-Control);
 *   - a gzip copy of each text file (zlib, level 9) when it is smaller;
 *   - a strong ETag per stored form.
 * Runs at build time only; it is not part of the server. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

typedef struct {
    const char *path;      /* on disk */
    const char *name;      /* in the table */
    unsigned char *data;   /* contents (web mode: after rewriting) */
    size_t size;
    unsigned char *gz;     /* gzip copy or NULL */
    size_t gz_size;
    char version[17];      /* web mode: fingerprint used in URLs */
} entry;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static uint64_t fnv1a(uint64_t h, const unsigned char *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= d[i];
        h *= 1099511628211ULL;
    }
    return h;
}
#define FNV_START 1469598103934665603ULL

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        perror(path);
        return NULL;
    }
    size_t cap = 65536, n = 0;
    unsigned char *d = malloc(cap + 1);
    size_t got;
    while (d && (got = fread(d + n, 1, cap - n, in)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *bigger = realloc(d, cap * 2 + 1);
            if (!bigger) {
                free(d);
                d = NULL;
                break;
            }
            d = bigger;
            cap *= 2;
        }
    }
    int bad = !d || ferror(in);
    fclose(in);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(d);
        return NULL;
    }
    d[n] = 0;
    *len = n;
    return d;
}

/* Text files are worth compressing; images such as PNG are not. */
static int compressible(const char *name)
{
    static const char *const exts[] = {".html", ".js", ".mjs", ".css", ".svg", ".json", ".txt"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (ends_with(name, exts[i]))
            return 1;
    return 0;
}

/* gzip (RFC 1952) of e->data into e->gz, kept only when smaller. */
static int gzip_entry(entry *e)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    uLong cap = deflateBound(&z, (uLong)e->size) + 32;
    unsigned char *out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = e->data;
    z.avail_in = (uInt)e->size;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return -1;
    }
    if (n < e->size) {
        e->gz = out;
        e->gz_size = n;
    } else {
        free(out);
    }
    return 0;
}

static int is_module(const entry *e)
{
    return ends_with(e->name, ".js") && strncmp(e->name, "vendor/", 7) != 0;
}

static entry *find(entry *files, int n, const char *name, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(files[i].name) == len && strncmp(files[i].name, name, len) == 0)
            return &files[i];
    return NULL;
}

/* index.html: every href="x" / src="x" / data-src="x" naming an embedded file
 * becomes "v/<version>/x". Returns 0, or -1 when out of memory. */
static int rewrite_index(entry *index, entry *files, int n)
{
    /* Each rewrite adds at most 16 bytes after a 5-byte src=", so 4x is ample. */
    size_t cap = index->size * 4 + 64, len = 0;
    unsigned char *out = malloc(cap);
    if (!out)
        return -1;
    const char *s = (const char *)index->data, *end = s + index->size;
    while (s < end) {
        const char *attr = NULL;
        if (strncmp(s, "href=\"", 6) == 0)
            attr = s + 6;
        else if (strncmp(s, "src=\"", 5) == 0)
            attr = s + 5;
        if (attr) {
            const char *q = memchr(attr, '"', (size_t)(end - attr));
            entry *target = q ? find(files, n, attr, (size_t)(q - attr)) : NULL;
            if (target && target != index) {
                size_t pre = (size_t)(attr - s);
                memcpy(out + len, s, pre);
                len += pre;
                int w = snprintf((char *)out + len, cap - len, "v/%s/", target->version);
                if (w < 0 || (size_t)w >= cap - len) {
                    free(out);
                    return -1;
                }
                len += (size_t)w;
                s = attr;
                continue;
            }
        }
        out[len++] = (unsigned char)*s++;
    }
    out[len] = 0;
    free(index->data);
    index->data = out;
    index->size = len;
    return 0;
}

/* Fingerprints, the rewritten index.html and gzip copies. */
static int prepare_web(entry *files, int n)
{
    uint64_t modules = FNV_START;
    for (int i = 0; i < n; i++) {
        if (!is_module(&files[i]))
            continue;
        modules = fnv1a(modules, (const unsigned char *)files[i].name, strlen(files[i].name) + 1);
        modules = fnv1a(modules, files[i].data, files[i].size);
    }
    entry *index = NULL;
    for (int i = 0; i < n; i++) {
        uint64_t h = is_module(&files[i]) ? modules : fnv1a(FNV_START, files[i].data, files[i].size);
        snprintf(files[i].version, sizeof files[i].version, "%012llx",
                 (unsigned long long)(h & 0xffffffffffffULL));
        if (strcmp(files[i].name, "index.html") == 0)
            index = &files[i];
    }
    if (index && rewrite_index(index, files, n) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (compressible(files[i].name) && gzip_entry(&files[i]) != 0)
            return -1;
    return 0;
}

static void write_bytes(FILE *out, const char *prefix, int i, const unsigned char *d, size_t n)
{
    fprintf(out, "static const unsigned char %s%d[] = {", prefix, i);
    for (size_t k = 0; k < n; k++) {
        if (k % 20 == 0)
            fputs("\n", out);
        fprintf(out, "%d,", d[k]);
    }
    fputs("0};\n", out);
}

static int write_table(const char *out_path, const char *symbol, entry *files, int n, int web)
{
    FILE *out = fopen(out_path, "w");
    if (!out) {
        perror(out_path);
        return -1;
    }
    fprintf(out, "/* Generated by server/tools/embed.c; do not edit. */\n");
    fprintf(out, web ? "#include \"http/assets.h\"\n\n" : "#include \"common/embedded.h\"\n\n");
    for (int i = 0; i < n; i++) {
        write_bytes(out, "f", i, files[i].data, files[i].size);
        if (files[i].gz)
            write_bytes(out, "z", i, files[i].gz, files[i].gz_size);
    }
    fprintf(out, "\nconst %s %s[] = {\n", web ? "web_asset" : "embedded_file", symbol);
    for (int i = 0; i < n; i++) {
        if (!web) {
            fprintf(out, "    {\"%s\", f%d, sizeof f%d - 1},\n", files[i].name, i, i);
            continue;
        }
        uint64_t h = fnv1a(FNV_START, files[i].data, files[i].size);
        fprintf(out, "    {\"%s\", f%d, sizeof f%d - 1, ", files[i].name, i, i);
        if (files[i].gz)
            fprintf(out, "z%d, sizeof z%d - 1, ", i, i);
        else
            fputs("0, 0, ", out);
        fprintf(out, "\"%016llx\", \"%s\"},\n", (unsigned long long)h, files[i].version);
    }
    fprintf(out, web ? "    {0, 0, 0, 0, 0, 0, 0}\n};\n" : "    {0, 0, 0}\n};\n");
    if (fclose(out) != 0) {
        perror(out_path);
        return -1;
    }
    return 0;
}

static void name_entries(entry *files, int n, char **paths, const char *bases)
{
    for (int i = 0; i < n; i++) {
        const char *p = paths[i];
        files[i].path = p;
        files[i].name = p;
        for (const char *b = bases; *b;) {
            size_t len = strcspn(b, ",");
            if (len && strncmp(p, b, len) == 0 && p[len] == '/') {
                files[i].name = p + len + 1;
                break;
            }
            b += len;
            if (*b == ',')
                b++;
        }
    }
}

int main(int argc, char **argv)
{
    int web = argc > 1 && strcmp(argv[1], "--web") == 0;
    if (web) {
        argv++;
        argc--;
    }
    if (argc < 4) {
        fprintf(stderr, "usage: embed [--web] OUTPUT.c SYMBOL BASE_DIR FILE...\n");
        return 2;
    }
    const char *out_path = argv[1], *symbol = argv[2], *bases = argv[3];
    int n = argc - 4;
    entry *files = calloc((size_t)(n > 0 ? n : 1), sizeof *files);
    if (!files)
        return 1;
    name_entries(files, n, argv + 4, bases);
    qsort(files, (size_t)n, sizeof *files, by_name);
    for (int i = 0; i < n; i++)
        if (!(files[i].data = slurp(files[i].path, &files[i].size)))
            return 1;
    if (web && prepare_web(files, n) != 0) {
        fprintf(stderr, "embed: out of memory or zlib failure\n");
        return 1;
    }
    if (write_table(out_path, symbol, files, n, web) != 0)
        return 1;
    for (int i = 0; i < n; i++) {
        free(files[i].data);
        free(files[i].gz);
    }
    free(files);
    return 0;
}
