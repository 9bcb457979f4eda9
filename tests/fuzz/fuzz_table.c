/* fuzz_table.c -- fuzz target for the table readers: wide CSV (plain and gzip) and the
 * binary .wiot format, through wiot_table_load_buffer (format detected from the
 * content). Inputs starting with the .wiot magic get valid checksums first
 * (fuzz.h), so mutations reach the checks behind them.
 *
 * A table that loads is then used: accessors and the check report must be
 * consistent, the Leontief and Ghosh factorizations, multipliers and the inverse
 * must be finite or fail with a message, and a save -> load round trip (CSV, and
 * .wiot) must give the same numbers. */
#define _GNU_SOURCE
#include "fuzz.h"

#include <unistd.h>

#define FZ_MAX_N 160   /* tables up to this size are factorized and inverted */

static char fz_dir[64];

static void fz_roundtrip(const wiot_table *t, const char *file)
{
    fz_alloc a;
    wiot_ctx *ctx = fz_ctx(&a);
    char path[128];
    snprintf(path, sizeof path, "%s/%s", fz_dir, file);
    int rc = wiot_table_save(ctx, t, path);
    if (rc) {
        fz_check_error(ctx, rc, NULL);
        fz_ctx_free(ctx, &a);
        return;
    }
    wiot_table *u = NULL;
    rc = wiot_table_load(ctx, path, &u);
    if (rc)
        FZ_FAIL("a saved table does not load back (%s): %s", file, wiot_errmsg(ctx));
    const size_t n = wiot_table_n(t), CK = wiot_table_countries(t) * wiot_table_fd_categories(t);
    if (wiot_table_n(u) != n || wiot_table_countries(u) != wiot_table_countries(t) ||
        wiot_table_fd_categories(u) != wiot_table_fd_categories(t))
        FZ_FAIL("round trip (%s) changed the dimensions", file);
    const double *z1 = wiot_table_Z(t), *z2 = wiot_table_Z(u);
    for (size_t i = 0; i < n * n; i++)
        if (z1[i] != z2[i])
            FZ_FAIL("round trip (%s) changed Z[%zu]: %.17g -> %.17g", file, i, z1[i], z2[i]);
    const double *f1 = wiot_table_F(t), *f2 = wiot_table_F(u);
    for (size_t i = 0; f1 && i < n * CK; i++)
        if (f1[i] != f2[i])
            FZ_FAIL("round trip (%s) changed F[%zu]: %.17g -> %.17g", file, i, f1[i], f2[i]);
    for (size_t i = 0; i < n; i++)
        if (wiot_table_x(t)[i] != wiot_table_x(u)[i])
            FZ_FAIL("round trip (%s) changed x[%zu]", file, i);
    for (size_t c = 0; c < wiot_table_countries(t); c++)
        if (strcmp(wiot_table_country(t, c), wiot_table_country(u, c)))
            FZ_FAIL("round trip (%s) changed country %zu", file, c);
    wiot_table_free(u);
    unlink(path);
    fz_ctx_free(ctx, &a);
}

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
    if (n > FZ_MAX_N)
        return;
    double *L = malloc(n * n * sizeof *L), *m1 = malloc(3 * n * sizeof *m1);
    if (!L || !m1)
        FZ_FAIL("malloc");
    for (int model = WIOT_LEONTIEF; model <= WIOT_GHOSH; model++) {
        wiot_lu *lu = NULL;
        wiot_info info;
        int rc = wiot_lu_new(ctx, t, model, &lu, &info);
        if (rc) {
            fz_check_error(ctx, rc, NULL);
            if (lu)
                FZ_FAIL("wiot_lu_new failed but set its output");
            continue;
        }
        if (model == WIOT_LEONTIEF) {
            rc = wiot_multipliers(ctx, lu, m1, m1 + n, m1 + 2 * n);
            if (rc)
                fz_check_error(ctx, rc, NULL);
            else
                fz_check_finite("multipliers", m1, 3 * n);
        }
        rc = wiot_lu_inverse(ctx, lu, L, n, &info);
        if (rc)
            fz_check_error(ctx, rc, NULL);
        else
            fz_check_finite("inverse", L, n * n);
        wiot_lu_free(lu);
    }
    int rc = wiot_leontief(ctx, t, L, n, NULL);
    if (rc)
        fz_check_error(ctx, rc, NULL);
    else
        fz_check_finite("wiot_leontief", L, n * n);
    free(L);
    free(m1);
    fz_roundtrip(t, "t.csv");
    fz_roundtrip(t, "t.wiot");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(fz_dir, sizeof fz_dir, "/tmp/wiot-fuzz-table.XXXXXX");
    if (!mkdtemp(fz_dir))
        FZ_FAIL("mkdtemp");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    fz_fix_wiot(buf, size);
    fz_alloc a;
    wiot_ctx *ctx = fz_ctx(&a);
    wiot_table *t = (wiot_table *)buf;   /* must be overwritten */
    int rc = wiot_table_load_buffer(ctx, buf, size, "fuzz.csv", &t);
    if (rc) {
        if (t)
            FZ_FAIL("load failed but *out is not NULL");
        fz_check_error(ctx, rc, "fuzz.csv");
    } else {
        if (!t)
            FZ_FAIL("load succeeded without a table");
        free(buf);   /* the table must not refer to the input */
        buf = NULL;
        fz_use(ctx, t);
        wiot_table_free(t);
    }
    free(buf);
    fz_ctx_free(ctx, &a);
    return 0;
}
