/* test_inverse.c -- the recursive (Schur complement) Leontief and Ghosh inverse of
 * kernel/inverse.c against LAPACK's dgetrf + dgetri: example tables, WIOD 2011,
 * synthetic tables of awkward sizes, the automatic choice and its fall-back, the
 * residual option, failing allocators, thread counts, and the internal kernel's
 * error codes. */
#include "helpers.h"
#include "model/model.h"

/* Tolerances. Both paths compute the same inverse of an M-matrix whose condition
 * number is small (cond(I - A) ~ 10 for WIOD; <= ~3 for the synthetic tables with
 * column sums <= 0.65), with sign-definite sums in the recursive path, so they agree
 * to a few hundred ulps of max|L| even at n = 1435 (observed: ~1e-15 relative).
 * 1e-12 leaves three orders of slack and still catches any wrong block. */
#define INV_RTOL 1e-12
#define RES_TOL 1e-12

/* ----------------------------------------------------------------- helpers */
static uint64_t rng_state;
static double urand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return ((double)(rng_state >> 11) + 0.5) * 0x1.0p-53;
}

/* A synthetic table of C countries x S sectors, one final-demand category: most
 * intermediate inputs from the own country, column sums of A in [0.4, 0.65] before
 * final demand is added, final demand >= 10 % of output (so rows of B sum to <= 0.9).
 * ghosh_bad: row 0 sells more to industries than it produces (negative final demand,
 * as WIOD's inventories allow), so I - B is not row diagonally dominant. */
static wiot_table *synth(wiot_ctx *ctx, size_t C, size_t S, uint64_t seed, int ghosh_bad)
{
    const size_t n = C * S;
    rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
    double *Z = calloc(n * n, sizeof *Z), *F = calloc(n * C, sizeof *F), *xt = calloc(n, sizeof *xt);
    cr_assert(Z && F && xt);
    for (size_t j = 0; j < n; j++)
        xt[j] = 50.0 + 100.0 * urand();
    for (size_t j = 0; j < n; j++) {
        double *z = Z + j * n, sum = 0;
        for (size_t i = 0; i < n; i++) {
            double r = urand();
            double w = (i / S == j / S) ? 8.0 * r * r : 0.2 * r * r * r;
            if (urand() < 0.25)
                w = 0;
            z[i] = w;
            sum += w;
        }
        double cs = 0.4 + 0.25 * urand();
        if (ghosh_bad && j == 0)
            cs *= 0.1;
        for (size_t i = 0; i < n; i++)
            z[i] = sum > 0 ? z[i] * cs * xt[j] / sum : 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        double r = 0;
        for (size_t j = 0; j < n; j++)
            r += Z[i + j * n];
        /* all final demand to the own country's single category (F is n x C*K) */
        double *f = F + (i / S) * n + i;
        *f = xt[i] - r > 0.1 * xt[i] ? xt[i] - r : 0.1 * xt[i];
        if (ghosh_bad && i == 0)
            *f = -0.1 * r;
    }
    char (*cc)[24] = calloc(C, sizeof *cc), (*sc)[24] = calloc(S, sizeof *sc);
    const char **cp = calloc(C, sizeof *cp), **sp = calloc(S, sizeof *sp);
    for (size_t c = 0; c < C; c++) {
        snprintf(cc[c], sizeof cc[c], "C%zu", c);
        cp[c] = cc[c];
    }
    for (size_t s = 0; s < S; s++) {
        snprintf(sc[s], sizeof sc[s], "s%zu", s);
        sp[s] = sc[s];
    }
    wiot_table_desc d = {C, S, 1, cp, sp, NULL, Z, n, F, n, NULL, "synthetic"};
    wiot_table *t = NULL;
    int rc = wiot_table_new(ctx, &d, &t);
    free(Z);
    free(F);
    free(xt);
    free(cc);
    free(sc);
    free(cp);
    free(sp);
    cr_assert_eq(rc, WIOT_OK, "synthetic %zu x %zu: %s", C, S, wiot_errmsg(ctx));
    return t;
}

/* inverse (model) of t by path into a fresh n x n (ld = ldx) buffer; info out */
static double *inverse(wiot_ctx *ctx, const wiot_table *t, int model, int path, size_t ldx,
                       wiot_info *info)
{
    const size_t n = wiot_table_n(t);
    double *X = malloc(ldx * n * sizeof *X);
    cr_assert(X);
    for (size_t k = 0; k < ldx * n; k++)
        X[k] = -777.0;   /* sentinel: padding rows must keep it */
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_INVERSE, path), WIOT_OK);
    int rc = model == WIOT_GHOSH ? wiot_ghosh(ctx, t, X, ldx, info) : wiot_leontief(ctx, t, X, ldx, info);
    cr_assert_eq(rc, WIOT_OK, "inverse (model %d, path %d): %s", model, path, wiot_errmsg(ctx));
    for (size_t j = 0; j < n; j++)
        for (size_t i = n; i < ldx; i++)
            cr_assert_eq(X[i + j * ldx], -777.0, "padding (%zu,%zu) written", i, j);
    return X;
}

/* max |X - Y| / max |Y| over the n x n parts */
static double rel_diff(const double *X, const double *Y, size_t n, size_t ld)
{
    double d = 0, m = 0;
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            double a = fabs(X[i + j * ld] - Y[i + j * ld]), b = fabs(Y[i + j * ld]);
            if (a > d || a != a)
                d = a;
            if (b > m)
                m = b;
        }
    return m > 0 ? d / m : d;
}

/* Independent probe: ||(I - A)(L t) - t||_inf / ||t||_inf for a random t, with A from
 * wiot_coefficients (or B from wiot_allocation), in O(n^2). */
static double probe(wiot_ctx *ctx, const wiot_table *t, int model, const double *X, size_t ldx)
{
    const size_t n = wiot_table_n(t);
    double *A = malloc(n * n * sizeof *A), *v = malloc(n * sizeof *v), *y = malloc(n * sizeof *y);
    cr_assert(A && v && y);
    cr_assert_eq(model == WIOT_GHOSH ? wiot_allocation(ctx, t, A, n) : wiot_coefficients(ctx, t, A, n),
                 WIOT_OK);
    rng_state = 99;
    double tn = 0;
    for (size_t i = 0; i < n; i++) {
        v[i] = urand() - 0.3;
        tn = fmax(tn, fabs(v[i]));
    }
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t k = 0; k < n; k++)
            s += X[i + k * ldx] * v[k];
        y[i] = s;   /* y = X v */
    }
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double s = y[i];
        for (size_t k = 0; k < n; k++)
            s -= A[i + k * n] * y[k];
        worst = fmax(worst, fabs(s - v[i]));
    }
    free(A);
    free(v);
    free(y);
    return worst / tn;
}

/* Both paths on t (model): agree to INV_RTOL; residuals small; methods recorded. */
static void compare_paths(wiot_ctx *ctx, const wiot_table *t, int model, int expect_auto,
                          size_t pad)
{
    const size_t n = wiot_table_n(t), ld = n + pad;
    wiot_info ia, il, ir;
    double *La = inverse(ctx, t, model, WIOT_INVERSE_AUTO, ld, &ia);
    double *Ll = inverse(ctx, t, model, WIOT_INVERSE_LAPACK, ld, &il);
    double *Lr = inverse(ctx, t, model, WIOT_INVERSE_RECURSIVE, ld, &ir);
    cr_assert_eq(ia.method, expect_auto, "n = %zu model %d: auto chose method %d", n, model, ia.method);
    cr_assert_eq(il.method, WIOT_METHOD_INVERSE);
    cr_assert_eq(ir.method, WIOT_METHOD_RECURSIVE);
    double d = rel_diff(Lr, Ll, n, ld);
    cr_assert(d <= INV_RTOL, "n = %zu model %d: recursive vs LAPACK rel diff %g", n, model, d);
    cr_assert(rel_diff(La, expect_auto == WIOT_METHOD_RECURSIVE ? Lr : Ll, n, ld) == 0.0,
              "auto differs from the path it reports");
    cr_assert(ir.residual >= 0 && ir.residual <= RES_TOL, "recursive residual %g", ir.residual);
    cr_assert(il.residual >= 0 && il.residual <= RES_TOL, "LAPACK residual %g", il.residual);
    double nn = (double)n;
    assert_rel(ir.flops, 2.0 * nn * nn * nn, 1e-15);
    cr_assert(ir.seconds >= 0 && ir.residual_seconds >= 0);
    double pr = probe(ctx, t, model, Lr, ld);
    cr_assert(pr <= RES_TOL, "n = %zu model %d: probe %g", n, model, pr);
    free(La);
    free(Ll);
    free(Lr);
}

/* ---------------------------------------------------------- example tables */
Test(inverse, examples_match_lapack)
{
    const char *files[] = {DATA("examples/miller_blair_2009_t2_3.csv"), DATA("examples/decompr_leather.csv"),
                           DATA("examples/pymrio_test_mrio.csv")};
    wiot_ctx *ctx = test_ctx();
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        wiot_table *t = test_load(ctx, files[f]);
        compare_paths(ctx, t, WIOT_LEONTIEF, WIOT_METHOD_RECURSIVE, 0);
        compare_paths(ctx, t, WIOT_LEONTIEF, WIOT_METHOD_RECURSIVE, 3);
        /* Ghosh: recursive exactly when every row of B sums below 1 */
        double *scratch = malloc((wiot_table_n(t) + 1) * sizeof *scratch);
        int dom = wi_dominant(t, WIOT_GHOSH, 1e-9, scratch);
        free(scratch);
        compare_paths(ctx, t, WIOT_GHOSH, dom ? WIOT_METHOD_RECURSIVE : WIOT_METHOD_INVERSE, 0);
        wiot_table_free(t);
    }
    wiot_ctx_free(ctx);
}

Test(inverse, miller_blair_published_values)
{
    /* Miller & Blair (2009) table 2.3: A = [.15 .25; .2 .05], L = [1.2541 .3300;
     * .2640 1.1221] (4 decimals). The recursive path on n = 2 is its base case. */
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("examples/miller_blair_2009_t2_3.csv"));
    wiot_info info;
    double *L = inverse(ctx, t, WIOT_LEONTIEF, WIOT_INVERSE_AUTO, 2, &info);
    cr_assert_eq(info.method, WIOT_METHOD_RECURSIVE);
    double det = 0.85 * 0.95 - 0.25 * 0.2;   /* exact: L = adj(I - A) / det */
    double Le[4] = {0.95 / det, 0.2 / det, 0.25 / det, 0.85 / det};
    for (int k = 0; k < 4; k++)
        assert_rel(L[k], Le[k], 1e-14);
    assert_close(L[0], 1.2541, 5e-5);
    assert_close(L[2], 0.3300, 5e-5);
    free(L);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------------ WIOD 2011 */
Test(inverse, wiod2011_matches_lapack)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    cr_assert_eq(wiot_table_n(t), 1435);
    compare_paths(ctx, t, WIOT_LEONTIEF, WIOT_METHOD_RECURSIVE, 0);
    /* WIOD 2011 has rows whose intermediate sales exceed gross output (negative
     * inventory changes in F), so I - B is not row dominant and the automatic Ghosh
     * path is LAPACK. Forced, the recursive path still agrees: I - B is a nonsingular
     * M-matrix, and every block product in the recursion is sign-definite. */
    double *scratch = malloc(1435 * sizeof *scratch);
    cr_assert_eq(wi_dominant(t, WIOT_GHOSH, 1e-9, scratch), 0);
    cr_assert_eq(wi_dominant(t, WIOT_LEONTIEF, 1e-9, scratch), 1);
    free(scratch);
    compare_paths(ctx, t, WIOT_GHOSH, WIOT_METHOD_INVERSE, 0);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------ awkward sizes */
Test(inverse, synthetic_sizes)
{
    /* n = 1, 2, 3, primes, sizes around the base block (160) and its multiples, and
     * n = 1000 (four recursion levels) */
    static const size_t shapes[][2] = {{1, 1}, {1, 2}, {3, 1}, {1, 17}, {4, 25}, {1, 160}, {1, 161},
                                       {1, 257}, {3, 107}, {8, 125}};
    wiot_ctx *ctx = test_ctx();
    for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
        wiot_table *t = synth(ctx, shapes[k][0], shapes[k][1], 17 + k, 0);
        compare_paths(ctx, t, WIOT_LEONTIEF, WIOT_METHOD_RECURSIVE, k % 2 ? 0 : 5);
        compare_paths(ctx, t, WIOT_GHOSH, WIOT_METHOD_RECURSIVE, 0);
        wiot_table_free(t);
    }
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------ the fall-back */
Test(inverse, ghosh_not_dominant_falls_back)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = synth(ctx, 3, 40, 5, 1);
    const double *F = wiot_table_F(t);
    cr_assert_lt(F[0], 0);
    double *scratch = malloc(120 * sizeof *scratch);
    cr_assert_eq(wi_dominant(t, WIOT_GHOSH, 1e-9, scratch), 0);
    cr_assert_eq(wi_dominant(t, WIOT_LEONTIEF, 1e-9, scratch), 1);
    free(scratch);
    compare_paths(ctx, t, WIOT_GHOSH, WIOT_METHOD_INVERSE, 0);      /* auto -> LAPACK */
    compare_paths(ctx, t, WIOT_LEONTIEF, WIOT_METHOD_RECURSIVE, 0);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(inverse, dominance_margin)
{
    /* A column of A summing to 1 - 1e-12 is valid (the loader rejects only sums >= 1)
     * but inside the margin (1e-9): the automatic path then takes LAPACK.
     * x = (1040, 1030); column 2 of Z sums to 30 + (1000 - 1e-9) = 1030 - 1e-9. */
    wiot_ctx *ctx = test_ctx();
    const char *cc[] = {"AAA"}, *sc[] = {"s1", "s2"};
    double Z[4] = {10, 20, 30, 1000 - 1e-9};   /* column-major */
    double x[2] = {1040, 1030};
    double F[2] = {x[0] - Z[0] - Z[2], x[1] - Z[1] - Z[3]};
    wiot_table_desc d = {1, 2, 1, cc, sc, NULL, Z, 2, F, 2, x, "margin"};
    wiot_table *t = NULL;
    cr_assert_eq(wiot_table_new(ctx, &d, &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    double scratch[2];
    cr_assert_eq(wi_dominant(t, WIOT_LEONTIEF, 1e-9, scratch), 0);
    cr_assert_eq(wi_dominant(t, WIOT_LEONTIEF, 0.0, scratch), 1);
    wiot_info info;
    double *L = inverse(ctx, t, WIOT_LEONTIEF, WIOT_INVERSE_AUTO, 2, &info);
    cr_assert_eq(info.method, WIOT_METHOD_INVERSE);
    free(L);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------ options */
Test(inverse, option_values)
{
    wiot_ctx *ctx = test_ctx();
    double v = -1;
    cr_assert_eq(wiot_ctx_get(ctx, WIOT_OPT_INVERSE, &v), WIOT_OK);
    cr_assert_eq(v, WIOT_INVERSE_AUTO);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_INVERSE, WIOT_INVERSE_RECURSIVE), WIOT_OK);
    cr_assert_eq(wiot_ctx_get(ctx, WIOT_OPT_INVERSE, &v), WIOT_OK);
    cr_assert_eq(v, WIOT_INVERSE_RECURSIVE);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_INVERSE, 3), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "inverse path"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_INVERSE, -1), WIOT_EINVAL);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_INVERSE, 0.5), WIOT_EINVAL);
    cr_assert_eq(wiot_ctx_get(ctx, WIOT_OPT_INVERSE, &v), WIOT_OK);
    cr_assert_eq(v, WIOT_INVERSE_RECURSIVE, "a rejected value changed the option");
    wiot_ctx_free(ctx);
}

Test(inverse, residual_option)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = synth(ctx, 2, 150, 3, 0);
    wiot_info i1, i0;
    double *L1 = inverse(ctx, t, WIOT_LEONTIEF, WIOT_INVERSE_AUTO, 300, &i1);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_RESIDUAL, 0), WIOT_OK);
    double *L0 = inverse(ctx, t, WIOT_LEONTIEF, WIOT_INVERSE_AUTO, 300, &i0);
    cr_assert_eq(i0.method, WIOT_METHOD_RECURSIVE);
    cr_assert_eq(i0.residual, -1.0);
    cr_assert_eq(i0.residual_seconds, 0.0);
    cr_assert(i1.residual >= 0 && i1.residual <= RES_TOL);
    cr_assert(rel_diff(L0, L1, 300, 300) == 0.0, "the residual changed the result");
    free(L0);
    free(L1);
    /* NULL info is fine */
    double *L = malloc(300 * 300 * sizeof *L);
    cr_assert_eq(wiot_leontief(ctx, t, L, 300, NULL), WIOT_OK);
    free(L);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(inverse, bad_arguments)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = synth(ctx, 1, 5, 1, 0);
    double L[25];
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_INVERSE, WIOT_INVERSE_RECURSIVE), WIOT_OK);
    cr_assert_eq(wiot_leontief(ctx, t, L, 4, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_leontief(ctx, t, NULL, 5, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_leontief(ctx, NULL, L, 5, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_leontief(NULL, t, L, 5, NULL), WIOT_EINVAL);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------ failing allocators */
static void alloc_loop(const wiot_table *t, int model, int path, int residual)
{
    const size_t n = wiot_table_n(t);
    double *L = malloc(n * n * sizeof *L);
    cr_assert(L);
    int ok = 0;
    for (long k = 0; k < 100 && !ok; k++) {
        test_alloc ta = {0, k, 0};
        wiot_allocator a = test_allocator(&ta);
        wiot_ctx *ctx = NULL;
        if (wiot_ctx_new_custom(&a, &ctx) != WIOT_OK) {
            cr_assert_eq(ta.live, 0);
            continue;
        }
        wiot_ctx_set(ctx, WIOT_OPT_INVERSE, path);
        wiot_ctx_set(ctx, WIOT_OPT_RESIDUAL, residual);
        for (size_t i = 0; i < n * n; i++)
            L[i] = 42.0;
        wiot_info info;
        int rc = model == WIOT_GHOSH ? wiot_ghosh(ctx, t, L, n, &info) : wiot_leontief(ctx, t, L, n, &info);
        if (rc == WIOT_OK) {
            ok = 1;
        } else {
            cr_assert_eq(rc, WIOT_ENOMEM, "k = %ld: rc %d (%s)", k, rc, wiot_errmsg(ctx));
            cr_assert(strstr(wiot_errmsg(ctx), "memory"), "k = %ld: message '%s'", k, wiot_errmsg(ctx));
            /* both paths allocate everything before writing L */
            for (size_t i = 0; i < n * n; i++)
                cr_assert_eq(L[i], 42.0, "k = %ld: L written on failure", k);
        }
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k = %ld (model %d, path %d, residual %d): %ld blocks leaked", k,
                     model, path, residual, ta.live);
    }
    cr_assert(ok, "never succeeded");
    free(L);
}

Test(inverse, failing_allocator_leaks_nothing)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = synth(ctx, 2, 90, 11, 0);
    wiot_table *tb = synth(ctx, 2, 30, 12, 1);   /* Ghosh falls back */
    for (int model = 0; model < 2; model++)
        for (int path = 0; path < 3; path++)
            for (int res = 0; res < 2; res++) {
                alloc_loop(t, model, path, res);
                if (model == WIOT_GHOSH && path == WIOT_INVERSE_AUTO)
                    alloc_loop(tb, model, path, res);
            }
    wiot_table_free(t);
    wiot_table_free(tb);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------ threads */
Test(inverse, threads_1_vs_2)
{
    /* Not bit-identical: OpenBLAS's results depend on the thread count in the last
     * bits (observed: 5e-18 relative to max|L| at n = 1000, Debian's 0.3.21 OpenMP
     * build), and the recursion inherits that. Agreement to 1e-14 relative. */
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = synth(ctx, 8, 125, 23, 0);
    wiot_info i1, i2;
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_THREADS, 1), WIOT_OK);
    double *L1 = inverse(ctx, t, WIOT_LEONTIEF, WIOT_INVERSE_AUTO, 1000, &i1);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_THREADS, 2), WIOT_OK);
    double *L2 = inverse(ctx, t, WIOT_LEONTIEF, WIOT_INVERSE_AUTO, 1000, &i2);
    cr_assert_eq(i1.method, WIOT_METHOD_RECURSIVE);
    cr_assert_eq(i2.method, WIOT_METHOD_RECURSIVE);
    double d = rel_diff(L1, L2, 1000, 1000);
    cr_assert(d <= 1e-14, "1 vs 2 threads: rel diff %g", d);
    free(L1);
    free(L2);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------ the kernel itself */
Test(inverse, kernel_errors)
{
    wiot_ctx *ctx = test_ctx();
    const size_t n = 400, h = 200;
    size_t lw = wi_inverse_dd_work(n);
    cr_assert(lw <= 0.35 * n * n + 64 * 160 + 160, "workspace %zu", lw);
    double *M = calloc(n * n, sizeof *M), *W = malloc(lw * sizeof *W);
    cr_assert(M && W);
    cr_assert_eq(wi_inverse_dd(ctx, M, n, n, W, lw - 1), WIOT_EINVAL);
    cr_assert_eq(wi_inverse_dd(ctx, M, n, n - 1, W, lw), WIOT_EINVAL);
    cr_assert_eq(wi_inverse_dd(ctx, M, 0, 0, NULL, 0), WIOT_OK);
    /* [0 I; I 0]: invertible, but its leading block is singular -> no pivoting
     * between blocks fails, as documented */
    for (size_t i = 0; i < h; i++) {
        M[i + (h + i) * n] = 1.0;
        M[(h + i) + i * n] = 1.0;
    }
    cr_assert_eq(wi_inverse_dd(ctx, M, n, n, W, lw), WIOT_ESINGULAR);
    cr_assert(strstr(wiot_errmsg(ctx), "singular"), "%s", wiot_errmsg(ctx));
    /* a dense column diagonally dominant matrix with ld > n, against its product */
    const size_t m = 333, ld = 340;
    double *A = malloc(ld * m * sizeof *A), *X = malloc(ld * m * sizeof *X);
    cr_assert(A && X);
    rng_state = 7;
    for (size_t j = 0; j < m; j++) {
        double s = 0;
        for (size_t i = 0; i < m; i++) {
            A[i + j * ld] = -urand();
            s += -A[i + j * ld];
        }
        for (size_t i = 0; i < m; i++)
            A[i + j * ld] *= 0.6 / s;
        A[j + j * ld] += 1.0;
    }
    memcpy(X, A, ld * m * sizeof *X);
    size_t lw2 = wi_inverse_dd_work(m);
    double *W2 = malloc(lw2 * sizeof *W2);
    cr_assert_eq(wi_inverse_dd(ctx, X, m, ld, W2, lw2), WIOT_OK);
    double worst = 0;
    for (size_t j = 0; j < m; j++)
        for (size_t i = 0; i < m; i++) {
            double s = 0;
            for (size_t k = 0; k < m; k++)
                s += A[i + k * ld] * X[k + j * ld];
            worst = fmax(worst, fabs(s - (i == j)));
        }
    cr_assert(worst <= RES_TOL, "residual %g", worst);
    free(A);
    free(X);
    free(W2);
    free(M);
    free(W);
    wiot_ctx_free(ctx);
}
