/* replay.c - runs a fuzz target's LLVMFuzzerTestOneInput over files,
 * without libFuzzer: the unit-test build (gcc, and again under ASan+UBSan)
 * replays every seed and every saved crash in tests/fuzz/corpus/<target>/,
 * so a fixed crash stays fixed even where clang is not installed.
 * Usage: fuzz_replay_<target> DIR|FILE... (exit 0 when all ran). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *data = malloc(cap);
    size_t n;
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *grown = realloc(data, cap * 2);
            if (!grown) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (!data)
        return -1;
    /* An exact-size copy, so that ASan sees reads past the end. */
    unsigned char *exact = malloc(len ? len : 1);
    if (!exact) {
        free(data);
        return -1;
    }
    memcpy(exact, data, len);
    free(data);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    int files = 0, failed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            failed |= run_file(argv[i]) != 0;
            files++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            perror(argv[i]);
            return 1;
        }
        char *names[4096];
        size_t n = 0;
        struct dirent *de;
        while ((de = readdir(d)) != NULL && n < sizeof names / sizeof names[0])
            if (de->d_name[0] != '.' && (names[n] = strdup(de->d_name)) != NULL)
                n++;
        closedir(d);
        qsort(names, n, sizeof names[0], compare);
        for (size_t k = 0; k < n; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], names[k]);
            failed |= run_file(path) != 0;
            files++;
            free(names[k]);
        }
    }
    printf("replayed %d inputs\n", files);
    return failed || files == 0 ? 1 : 0;
}
