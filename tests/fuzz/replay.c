/* replay.c -- a main for the fuzz targets without libFuzzer: runs the target once on
 * every file given, and on every file of every directory given (sorted), so the
 * saved corpus and past crashes replay with any compiler, under the sanitizers or
 * valgrind (make fuzz-regress). Prints the number of inputs run. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static long runs;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 1 << 16, len = 0;
    unsigned char *b = malloc(cap);
    size_t r;
    while (b && (r = fread(b + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) {
            unsigned char *nb = realloc(b, cap *= 2);
            if (!nb)
                free(b);
            b = nb;
        }
    }
    fclose(f);
    if (!b) {
        fprintf(stderr, "replay: out of memory reading %s\n", path);
        return 1;
    }
    /* a private copy of exactly len bytes, so reads past the end are caught */
    unsigned char *d = malloc(len ? len : 1);
    if (!d) {
        free(b);
        return 1;
    }
    memcpy(d, b, len);
    free(b);
    LLVMFuzzerTestOneInput(d, len);
    free(d);
    runs++;
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
            bad = 1;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            bad |= run_file(argv[i]);
            continue;
        }
        struct dirent **ent;
        int m = scandir(argv[i], &ent, NULL, by_name);
        for (int k = 0; k < m; k++) {
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", argv[i], ent[k]->d_name);
            if (ent[k]->d_name[0] != '.' && stat(p, &st) == 0 && S_ISREG(st.st_mode))
                bad |= run_file(p);
            free(ent[k]);
        }
        free(ent);
    }
    fprintf(stderr, "replay %s: %ld inputs\n", argv[0], runs);
    return bad;
}
