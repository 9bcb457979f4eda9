/* fuzz_formats.c -- fuzz target for the provider-layout readers (kernel/formats.c,
 * read_icio.c, read_wiod.c, read_exio.c, read_eora.c) through wiot_table_load_format
 * and wiot_format_detect.
 *
 * The readers read from paths, so the input is written to a file in a private
 * directory (made once per process in LLVMFuzzerInitialize under /dev/shm or /tmp,
 * removed at exit). The first byte of the input picks a mode (fz_modes: the letter
 * the seeds use, or any byte modulo the number of modes); the rest is the file's
 * content. The single-file layouts (OECD ICIO, WIOD 2016, a zip archive, any file
 * for detection) are the input itself; for the layouts that are directories of
 * several files (EXIOBASE 3, Eora26) the input is one member, and the other members
 * come from the valid fixtures of tests/formats, copied into the mode's own
 * directory at start-up.
 *
 * A failed load leaves no table and a one-line message naming the path; a table that
 * loads has consistent codes, finite Z, F, x, v, primary inputs and other uses, and
 * goes through wiot_lu_new (with multipliers) and wiot_leontief with finite results
 * or a clean error. wiot_format_detect fails cleanly or gives a valid format (for a
 * directory layout: the layout's, which depends on the member names only). */
#define _GNU_SOURCE
#include "fuzz.h"

#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#define FZ_MAX_N 160   /* tables up to this size are factorized and inverted */

typedef struct fz_mode {
    char sel;              /* first byte of the seeds of this mode */
    int format;            /* passed to wiot_table_load_format */
    const char *fixture;   /* directory of tests/formats copied into the mode's directory */
    const char *file;      /* where the input goes, under the mode's directory */
    const char *load;      /* what is loaded, under the mode's directory */
} fz_mode;

static const fz_mode fz_modes[] = {
    {'i', WIOT_FORMAT_ICIO, NULL, "ICIO2021_2015.csv", "ICIO2021_2015.csv"},
    {'w', WIOT_FORMAT_WIOD2016, NULL, "WIOT2014_Nov16_ROW.csv", "WIOT2014_Nov16_ROW.csv"},
    {'Z', WIOT_FORMAT_EXIOBASE, "IOT_2019_ixi", "IOT_2019_ixi/Z.txt", "IOT_2019_ixi"},
    {'Y', WIOT_FORMAT_EXIOBASE, "IOT_2019_ixi", "IOT_2019_ixi/Y.txt", "IOT_2019_ixi"},
    {'x', WIOT_FORMAT_EXIOBASE, "IOT_2019_ixi", "IOT_2019_ixi/x.txt", "IOT_2019_ixi"},
    {'F', WIOT_FORMAT_EXIOBASE, "IOT_2019_ixi", "IOT_2019_ixi/satellite/F.txt", "IOT_2019_ixi"},
    {'A', WIOT_FORMAT_EXIOBASE, "IOT_2011_pxp", "IOT_2011_pxp/A.txt", "IOT_2011_pxp"},
    {'T', WIOT_FORMAT_EORA26, "Eora26_2010_bp", "Eora26_2010_bp/Eora26_2010_bp_T.txt", "Eora26_2010_bp"},
    {'D', WIOT_FORMAT_EORA26, "Eora26_2010_bp", "Eora26_2010_bp/Eora26_2010_bp_FD.txt", "Eora26_2010_bp"},
    {'V', WIOT_FORMAT_EORA26, "Eora26_2010_bp", "Eora26_2010_bp/Eora26_2010_bp_VA.txt", "Eora26_2010_bp"},
    {'L', WIOT_FORMAT_EORA26, "Eora26_2010_bp", "Eora26_2010_bp/labels_T.txt", "Eora26_2010_bp"},
    {'M', WIOT_FORMAT_EORA26, "Eora26_2010_bp", "Eora26_2010_bp/labels_FD.txt", "Eora26_2010_bp"},
    {'N', WIOT_FORMAT_EORA26, "Eora26_2010_bp", "Eora26_2010_bp/labels_VA.txt", "Eora26_2010_bp"},
    {'z', WIOT_FORMAT_AUTO, NULL, "fuzz.zip", "fuzz.zip"},
    {'a', WIOT_FORMAT_AUTO, NULL, "fuzz.csv", "fuzz.csv"},
};
#define FZ_NMODES (sizeof fz_modes / sizeof *fz_modes)

static char fz_dir[64];
static char fz_file[FZ_NMODES][512], fz_load[FZ_NMODES][512];

/* ------------------------------------------------------------- set-up */
static int fz_is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void fz_copy_file(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
    if (!out)
        FZ_FAIL("cannot copy %s to %s", src, dst);
    char b[8192];
    size_t r;
    while ((r = fread(b, 1, sizeof b, in)) > 0)
        if (fwrite(b, 1, r, out) != r)
            FZ_FAIL("cannot write %s", dst);
    fclose(in);
    if (fclose(out))
        FZ_FAIL("cannot write %s", dst);
}

static void fz_copy_tree(const char *src, const char *dst)
{
    if (mkdir(dst, 0700) && !fz_is_dir(dst))
        FZ_FAIL("mkdir %s", dst);
    DIR *d = opendir(src);
    if (!d)
        FZ_FAIL("cannot open %s", src);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char s[1024], t[1024];
        snprintf(s, sizeof s, "%s/%s", src, e->d_name);
        snprintf(t, sizeof t, "%s/%s", dst, e->d_name);
        if (fz_is_dir(s))
            fz_copy_tree(s, t);
        else
            fz_copy_file(s, t);
    }
    closedir(d);
}

/* tests/formats: from the working directory (make runs the targets from the
 * repository root), else beside the binary (build-fuzz/.. or build-regress/..). */
static void fz_fixtures(const char *argv0, char *out, size_t size)
{
    char c[1100];
    snprintf(out, size, "tests/formats");
    snprintf(c, sizeof c, "%s/IOT_2019_ixi", out);
    if (fz_is_dir(c))
        return;
    const char *sl = argv0 ? strrchr(argv0, '/') : NULL;
    snprintf(out, size, "%.*s%s../tests/formats", sl ? (int)(sl - argv0) : 0, sl ? argv0 : "", sl ? "/" : "");
    snprintf(c, sizeof c, "%s/IOT_2019_ixi", out);
    if (!fz_is_dir(c))
        FZ_FAIL("no tests/formats fixtures (run from the repository root)");
}

static int fz_rm(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

static void fz_cleanup(void)
{
    if (fz_dir[0])
        nftw(fz_dir, fz_rm, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    char fix[1024];
    fz_fixtures(argv && *argv ? (*argv)[0] : NULL, fix, sizeof fix);
    snprintf(fz_dir, sizeof fz_dir, "%s/wiot-fuzz-formats.XXXXXX", fz_is_dir("/dev/shm") ? "/dev/shm" : "/tmp");
    if (!mkdtemp(fz_dir))
        FZ_FAIL("mkdtemp %s", fz_dir);
    atexit(fz_cleanup);
    for (size_t m = 0; m < FZ_NMODES; m++) {
        char md[128];
        snprintf(md, sizeof md, "%s/m%02zu", fz_dir, m);
        if (mkdir(md, 0700))
            FZ_FAIL("mkdir %s", md);
        if (fz_modes[m].fixture) {
            char s[1200], t[256];
            snprintf(s, sizeof s, "%s/%s", fix, fz_modes[m].fixture);
            snprintf(t, sizeof t, "%s/%s", md, fz_modes[m].fixture);
            fz_copy_tree(s, t);
        }
        snprintf(fz_file[m], sizeof fz_file[m], "%s/%s", md, fz_modes[m].file);
        snprintf(fz_load[m], sizeof fz_load[m], "%s/%s", md, fz_modes[m].load);
    }
    return 0;
}

/* ---------------------------------------------------------------- checks */
static void fz_use(wiot_ctx *ctx, const wiot_table *t)
{
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t),
                 K = wiot_table_fd_categories(t);
    if (n == 0 || n != C * S)
        FZ_FAIL("n = %zu but C = %zu, S = %zu", n, C, S);
    for (size_t c = 0; c < C; c++)
        if (!wiot_table_country(t, c) || !wiot_table_country(t, c)[0])
            FZ_FAIL("country %zu has no code", c);
    for (size_t s = 0; s < S; s++)
        if (!wiot_table_sector(t, s) || !wiot_table_sector(t, s)[0])
            FZ_FAIL("sector %zu has no code", s);
    for (size_t k = 0; k < K; k++)
        if (!wiot_table_fd_category(t, k))
            FZ_FAIL("category %zu has no code", k);
    if (wiot_table_country(t, C) || wiot_table_sector(t, S))
        FZ_FAIL("codes past the end");
    const wiot_check *ck = wiot_table_check(t);
    if (!(ck->max_colsum_A < 1) || ck->worst_row >= n || ck->max_colsum_col >= n)
        FZ_FAIL("check report inconsistent (max colsum %g)", ck->max_colsum_A);
    for (size_t i = 0; i < ck->warnings; i++)
        if (!wiot_table_warning(t, i) || strchr(wiot_table_warning(t, i), '\n'))
            FZ_FAIL("warning %zu missing or multi-line", i);
    fz_check_finite("Z", wiot_table_Z(t), n * n);
    fz_check_finite("F", wiot_table_F(t), n * C * K);
    fz_check_finite("x", wiot_table_x(t), n);
    fz_check_finite("v", wiot_table_v(t), n);
    if (!wiot_table_units(t))
        FZ_FAIL("no units");
    const char *src = wiot_table_source(t);
    if (src && (!src[0] || strchr(src, '\n')))
        FZ_FAIL("source empty or multi-line");
    const size_t P = wiot_table_inputs(t), Q = wiot_table_other_uses(t);
    for (size_t r = 0; r < P; r++) {
        if (!wiot_table_input_label(t, r) || !wiot_table_input(t, r))
            FZ_FAIL("primary input %zu missing", r);
        fz_check_finite(wiot_table_input_label(t, r), wiot_table_input(t, r), n + C * K);
    }
    if (wiot_table_input(t, P) || wiot_table_input_label(t, P))
        FZ_FAIL("primary inputs past the end");
    for (size_t q = 0; q < Q; q++) {
        if (!wiot_table_other_use_label(t, q) || !wiot_table_other_use(t, q))
            FZ_FAIL("other use %zu missing", q);
        fz_check_finite(wiot_table_other_use_label(t, q), wiot_table_other_use(t, q), n);
    }
    if (wiot_table_other_use(t, Q) || wiot_table_other_use_label(t, Q))
        FZ_FAIL("other uses past the end");
    if (n > FZ_MAX_N)
        return;
    double *L = malloc(n * n * sizeof *L), *m1 = malloc(3 * n * sizeof *m1);
    if (!L || !m1)
        FZ_FAIL("malloc");
    wiot_lu *lu = NULL;
    int rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL);
    if (rc) {
        fz_check_error(ctx, rc, NULL);
        if (lu)
            FZ_FAIL("wiot_lu_new failed but set its output");
    } else {
        rc = wiot_multipliers(ctx, lu, m1, m1 + n, m1 + 2 * n);
        if (rc)
            fz_check_error(ctx, rc, NULL);
        else
            fz_check_finite("multipliers", m1, 3 * n);
        wiot_lu_free(lu);
    }
    rc = wiot_leontief(ctx, t, L, n, NULL);
    if (rc)
        fz_check_error(ctx, rc, NULL);
    else
        fz_check_finite("wiot_leontief", L, n * n);
    free(L);
    free(m1);
}

static void fz_detect(wiot_ctx *ctx, const char *path, int want)
{
    int fmt = -1;
    int rc = wiot_format_detect(ctx, path, &fmt);
    if (rc) {
        fz_check_error(ctx, rc, path);
        if (want)
            FZ_FAIL("%s: detection failed: %s", path, wiot_errmsg(ctx));
        return;
    }
    if (fmt <= WIOT_FORMAT_AUTO || fmt >= WIOT_NFORMAT)
        FZ_FAIL("%s detected as %d", path, fmt);
    if (want && fmt != want)
        FZ_FAIL("%s detected as %s, not %s", path, wiot_format_name(fmt), wiot_format_name(want));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const unsigned char sel = size ? data[0] : 'a';
    size_t m = 0;
    while (m < FZ_NMODES && fz_modes[m].sel != (char)sel)
        m++;
    if (m == FZ_NMODES)
        m = sel % FZ_NMODES;
    const fz_mode *md = &fz_modes[m];
    FILE *f = fopen(fz_file[m], "wb");
    if (!f || (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1) || fclose(f))
        FZ_FAIL("cannot write %s", fz_file[m]);
    fz_alloc a;
    wiot_ctx *ctx = fz_ctx(&a);
    wiot_table *t = (wiot_table *)&a;   /* must be overwritten */
    int rc = wiot_table_load_format(ctx, fz_load[m], md->format, &t);
    if (rc) {
        if (t)
            FZ_FAIL("load failed but *out is not NULL");
        fz_check_error(ctx, rc, fz_load[m]);
    } else {
        if (!t)
            FZ_FAIL("load succeeded without a table");
        fz_use(ctx, t);
        wiot_table_free(t);
    }
    /* a directory's layout comes from its member names, which the input never changes */
    fz_detect(ctx, fz_load[m], md->fixture ? md->format : 0);
    if (md->fixture)
        fz_detect(ctx, fz_file[m], 0);
    fz_ctx_free(ctx, &a);
    return 0;
}
