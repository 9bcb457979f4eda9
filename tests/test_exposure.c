/* test_exposure.c -- supply-chain exposure: source selection, value-added origin and
 * content shares against an explicit inverse, threshold lists, material-cost shares,
 * trade in value added (the decompr example's published values, the TiVA identities
 * and Koopman-Wang-Wei's terms 4-6 by brute force), Ghosh exposure, hypothetical
 * extraction against a brute-force recomputation, WIOD spot checks (Timmer et al.
 * 2015), error codes and failing allocators. */
#include "helpers.h"

/* Tolerances. The decompr table is 9 x 9 with O(1) entries: quantities built from a
 * handful of solves agree with an explicit inverse to ~1e-15; 1e-12 leaves room for
 * the sums of up to n terms of both signs. WIOD (n = 1435, cond(I - A) ~ 10): sums
 * of n shares carry ~n eps ~ 3e-13 of rounding, so 1e-11 relative. */
#define SMALL_RTOL 1e-12
#define WIOD_RTOL 1e-11
#define LEATHER DATA("examples/decompr_leather.csv")
#define WIOD(y) DATA("wiod2013/wiot_" #y ".csv.gz")

/* ------------------------------------------------------------ dense helpers */
/* R = M^{-1} by Gauss-Jordan with partial pivoting (n small), column-major. */
static void dense_inverse(const double *M, double *R, size_t n)
{
    double *a = malloc(n * n * sizeof *a);
    memcpy(a, M, n * n * sizeof *a);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            R[i + j * n] = i == j;
    for (size_t c = 0; c < n; c++) {
        size_t p = c;
        for (size_t r = c + 1; r < n; r++)
            if (fabs(a[r + c * n]) > fabs(a[p + c * n]))
                p = r;
        for (size_t j = 0; j < n; j++) {
            double t = a[c + j * n];
            a[c + j * n] = a[p + j * n];
            a[p + j * n] = t;
            t = R[c + j * n];
            R[c + j * n] = R[p + j * n];
            R[p + j * n] = t;
        }
        double d = a[c + c * n];
        for (size_t j = 0; j < n; j++) {
            a[c + j * n] /= d;
            R[c + j * n] /= d;
        }
        for (size_t r = 0; r < n; r++) {
            if (r == c)
                continue;
            double f = a[r + c * n];
            if (f == 0)
                continue;
            for (size_t j = 0; j < n; j++) {
                a[r + j * n] -= f * a[c + j * n];
                R[r + j * n] -= f * R[c + j * n];
            }
        }
    }
    free(a);
}

/* C = A B (n x n) */
static void dense_mul(const double *A, const double *B, double *Cm, size_t n)
{
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            double s = 0;
            for (size_t k = 0; k < n; k++)
                s += A[i + k * n] * B[k + j * n];
            Cm[i + j * n] = s;
        }
}

/* The explicit pieces of a small table: A, a_v, L (by our dense inverse, not the
 * library's), f = row sums of F, e = exports. */
typedef struct small {
    wiot_table *t;
    size_t n, C, S, K;
    double *A, *av, *L, *f, *e, *Fd;   /* Fd: n x C final demand by destination */
} small;

static small small_load(wiot_ctx *ctx, const char *path)
{
    small s;
    s.t = test_load(ctx, path);
    const size_t n = s.n = wiot_table_n(s.t), C = s.C = wiot_table_countries(s.t),
                 S = s.S = wiot_table_sectors(s.t), K = s.K = wiot_table_fd_categories(s.t);
    s.A = malloc(n * n * sizeof *s.A);
    s.L = malloc(n * n * sizeof *s.L);
    s.av = malloc(n * sizeof *s.av);
    s.f = calloc(n, sizeof *s.f);
    s.e = calloc(n, sizeof *s.e);
    s.Fd = calloc(n * C, sizeof *s.Fd);
    const double *Z = wiot_table_Z(s.t), *F = wiot_table_F(s.t), *x = wiot_table_x(s.t),
                 *v = wiot_table_v(s.t);
    double *M = malloc(n * n * sizeof *M);
    for (size_t j = 0; j < n; j++) {
        s.av[j] = x[j] > 0 ? v[j] / x[j] : 0;
        for (size_t i = 0; i < n; i++) {
            s.A[i + j * n] = x[j] > 0 ? Z[i + j * n] / x[j] : 0;
            M[i + j * n] = (i == j) - s.A[i + j * n];
            if (i / S != j / S)
                s.e[i] += Z[i + j * n];
        }
    }
    dense_inverse(M, s.L, n);
    free(M);
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < C; d++)
            for (size_t k = 0; k < K; k++) {
                double fv = F[i + (d * K + k) * n];
                s.f[i] += fv;
                s.Fd[i + d * n] += fv;
                if (d != i / S)
                    s.e[i] += fv;
            }
    return s;
}

static void small_free(small *s)
{
    wiot_table_free(s->t);
    free(s->A);
    free(s->L);
    free(s->av);
    free(s->f);
    free(s->e);
    free(s->Fd);
}

static wiot_lu *test_lu(wiot_ctx *ctx, const wiot_table *t, int model)
{
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, model, &lu, NULL), WIOT_OK, "%s", wiot_errmsg(ctx));
    return lu;
}

static unsigned char *test_select(wiot_ctx *ctx, const wiot_table *t, const char *spec, size_t *k)
{
    unsigned char *m = malloc(wiot_table_n(t));
    int rc = wiot_select(ctx, t, spec, m, k);
    cr_assert_eq(rc, WIOT_OK, "select '%s': %s", spec, wiot_errmsg(ctx));
    return m;
}

/* ---------------------------------------------------------------- selection */
Test(exposure, select_specs)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);   /* ARG TUR DEU x Agriculture Textile_and_Leather Transport_Equipment */
    unsigned char m[9];
    size_t k = 0;
    cr_assert_eq(wiot_select(ctx, t, "TUR:Agriculture,Transport_Equipment", m, &k), WIOT_OK, "%s",
                 wiot_errmsg(ctx));
    cr_assert_eq(k, 2);
    for (size_t i = 0; i < 9; i++)
        cr_assert_eq(m[i], i == 3 || i == 5, "i=%zu", i);
    cr_assert_eq(wiot_select(ctx, t, "DEU", m, &k), WIOT_OK);
    cr_assert_eq(k, 3);
    cr_assert(m[6] && m[7] && m[8] && !m[0] && !m[5]);
    /* ';' and ',' both separate; '*', '!' and ranges as in scenario files */
    cr_assert_eq(wiot_select(ctx, t, "*;!ARG:Textile_and_Leather..Transport_Equipment;!Transport_Equipment", m, &k),
                 WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_eq(k, 2);
    cr_assert(m[4] && m[7] && !m[1] && !m[5]);
    cr_assert_eq(wiot_select(ctx, t, "*,!TUR", m, &k), WIOT_OK);
    cr_assert_eq(k, 6);
    unsigned char cm[3];
    cr_assert_eq(wiot_select_countries(ctx, t, "ARG;DEU", cm, &k), WIOT_OK);
    cr_assert(k == 2 && cm[0] && !cm[1] && cm[2]);

    /* errors: message names the spec and the field; mask untouched */
    memset(m, 7, sizeof m);
    cr_assert_eq(wiot_select(ctx, t, "XYZ:Agriculture", m, &k), WIOT_ENOTFOUND);
    cr_assert(strstr(wiot_errmsg(ctx), "source 'XYZ:Agriculture': field 'country': unknown country 'XYZ'"),
              "%s", wiot_errmsg(ctx));
    cr_assert_eq(m[0], 7);
    cr_assert_eq(wiot_select(ctx, t, "ARG:c99", m, &k), WIOT_ENOTFOUND);
    cr_assert(strstr(wiot_errmsg(ctx), "unknown sector 'c99'"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_select(ctx, t, "ARG:", m, &k), WIOT_EFORMAT);
    cr_assert_eq(wiot_select(ctx, t, "", m, &k), WIOT_EFORMAT);
    cr_assert_eq(wiot_select(ctx, t, "ARG,,TUR", m, &k), WIOT_EFORMAT);
    cr_assert_eq(wiot_select(ctx, t, "ARG;!ARG", m, &k), WIOT_EFORMAT);
    cr_assert(strstr(wiot_errmsg(ctx), "selects no country"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_select(ctx, t, "ASEAN", m, &k), WIOT_ENOTFOUND);   /* no member here */
    cr_assert(strstr(wiot_errmsg(ctx), "group 'ASEAN' has no member in this table"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_select(ctx, t, "EU27", m, &k), WIOT_OK);   /* DEU */
    cr_assert(k == 3 && m[6] && m[8] && !m[0]);
    memset(m, 7, sizeof m);
    cr_assert_eq(wiot_select(ctx, t, "ARG:goods", m, &k), WIOT_ENOTFOUND);   /* undefined here */
    cr_assert_eq(m[0], 7);
    cr_assert_eq(wiot_select_countries(ctx, t, "ARG:Agriculture", cm, &k), WIOT_EFORMAT);
    cr_assert_eq(wiot_select(ctx, t, NULL, m, &k), WIOT_EINVAL);
    cr_assert_eq(wiot_select(NULL, t, "ARG", m, &k), WIOT_EINVAL);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* --------------------------------------------------- origin against L (small) */
Test(exposure, va_origin_and_content_match_explicit_inverse)
{
    wiot_ctx *ctx = test_ctx();
    small s = small_load(ctx, LEATHER);
    const size_t n = s.n, C = s.C, S = s.S;
    wiot_lu *lu = test_lu(ctx, s.t, WIOT_LEONTIEF);
    /* every column of V: V = diag(a_v) L, columns sum to 1 */
    size_t cols[9];
    for (size_t j = 0; j < n; j++)
        cols[j] = j;
    double V[81], Gr[81];
    wiot_info info;
    cr_assert_eq(wiot_va_columns(ctx, lu, cols, n, WIOT_MEASURE_VA, V, n, &info), WIOT_OK);
    cr_assert(info.residual >= 0 && info.residual < 1e-13, "residual %g", info.residual);
    cr_assert_eq(wiot_va_columns(ctx, lu, cols, n, WIOT_MEASURE_GROSS, Gr, n, NULL), WIOT_OK);
    for (size_t j = 0; j < n; j++) {
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            assert_rel(V[i + j * n], s.av[i] * s.L[i + j * n], SMALL_RTOL);
            assert_close(Gr[i + j * n], s.L[i + j * n] - (i == j), 1e-14);
            sum += V[i + j * n];
        }
        assert_close(sum, 1.0, 1e-14);
    }
    /* by country: W[j, c] = sum_{i in c} V[i, j]; rows of W sum to 1 */
    double W[27], Wg[27];
    cr_assert_eq(wiot_va_origin(ctx, lu, NULL, C, WIOT_MEASURE_VA, W, n, NULL), WIOT_OK);
    cr_assert_eq(wiot_va_origin(ctx, lu, NULL, C, WIOT_MEASURE_GROSS, Wg, n, NULL), WIOT_OK);
    for (size_t j = 0; j < n; j++) {
        double sum = 0;
        for (size_t c = 0; c < C; c++) {
            double e = 0, g = 0;
            for (size_t i = c * S; i < (c + 1) * S; i++) {
                e += V[i + j * n];
                g += Gr[i + j * n];
            }
            assert_rel(W[j + c * n], e, SMALL_RTOL);
            assert_rel(Wg[j + c * n], g, SMALL_RTOL);
            sum += W[j + c * n];
        }
        assert_close(sum, 1.0, 1e-14);
    }
    /* arbitrary groups, one left out (group id >= ngroups) */
    size_t group[9] = {1, 0, 0, 5, 1, 1, 0, 5, 1};
    double W2[18];
    cr_assert_eq(wiot_va_origin(ctx, lu, group, 2, WIOT_MEASURE_VA, W2, n, NULL), WIOT_OK);
    for (size_t j = 0; j < n; j++)
        for (size_t g = 0; g < 2; g++) {
            double e = 0;
            for (size_t i = 0; i < n; i++)
                if (group[i] == g)
                    e += V[i + j * n];
            assert_rel(W2[j + g * n], e, SMALL_RTOL);
        }
    /* content of a source set: one transposed solve; va in [0,1]; gross >= va outside
     * the source, gross >= va - a_v[j] inside it */
    const char *specs[] = {"TUR", "ARG:Agriculture", "*:Textile_and_Leather", "*;!DEU:Agriculture;Transport_Equipment", "*"};
    for (size_t q = 0; q < sizeof specs / sizeof *specs; q++) {
        size_t k;
        unsigned char *m = test_select(ctx, s.t, specs[q], &k);
        double va[9], gr[9];
        cr_assert_eq(wiot_content(ctx, lu, m, WIOT_MEASURE_VA, va, &info), WIOT_OK);
        cr_assert(info.flops > 0 && info.residual < 1e-14);
        cr_assert_eq(wiot_content(ctx, lu, m, WIOT_MEASURE_GROSS, gr, NULL), WIOT_OK);
        for (size_t j = 0; j < n; j++) {
            double e = 0, g = 0;
            for (size_t i = 0; i < n; i++)
                if (m[i]) {
                    e += s.av[i] * s.L[i + j * n];
                    g += s.L[i + j * n] - (i == j);
                }
            assert_rel(va[j], e, SMALL_RTOL);
            assert_rel(gr[j], g, SMALL_RTOL);
            cr_assert(va[j] >= 0 && va[j] <= 1 + 1e-15, "%s: va[%zu] = %g", specs[q], j, va[j]);
            if (!m[j])
                cr_assert(gr[j] >= va[j], "%s: gross %g < va %g at %zu", specs[q], gr[j], va[j], j);
            else
                cr_assert(gr[j] >= va[j] - s.av[j] - 1e-15, "%s at %zu", specs[q], j);
            if (q == 4)   /* everything: the whole value; gross = multiplier - 1 */
                assert_close(va[j], 1.0, 1e-14);
        }
        free(m);
    }
    wiot_lu_free(lu);
    small_free(&s);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------------ crossing */
Test(exposure, crossing_sorted_with_ties)
{
    double share[8] = {0.002, 0.0005, 0.001, 0.3, 0.001, 0.0, 0.25, 0.0999};
    size_t list[8];
    cr_assert_eq(wiot_crossing(share, 8, 0.001, NULL), 6);
    cr_assert_eq(wiot_crossing(share, 8, 0.001, list), 6);
    size_t want[6] = {3, 6, 7, 0, 2, 4};   /* descending, the tie 2/4 by index; 0.001 >= 0.001 */
    for (int q = 0; q < 6; q++)
        cr_assert_eq(list[q], want[q], "list[%d] = %zu", q, list[q]);
    cr_assert_eq(wiot_crossing(share, 8, 0.25, list), 2);
    cr_assert_eq(wiot_crossing(share, 8, 0.10, list), 2);   /* 0.0999 stays out */
    cr_assert_eq(wiot_crossing(share, 8, 2.0, list), 0);
    cr_assert_eq(wiot_crossing(share, 8, 0.0, list), 8);
    cr_assert_eq(list[7], 5);
    cr_assert_eq(wiot_crossing(NULL, 8, 0.0, list), 0);
    /* a longer list: sorted and complete */
    enum { N = 1000 };
    double big[N];
    size_t bl[N];
    for (size_t i = 0; i < N; i++)
        big[i] = (double)((i * 7919) % 613) / 613.0;
    size_t m = wiot_crossing(big, N, 0.5, bl), cnt = 0;
    for (size_t i = 0; i < N; i++)
        cnt += big[i] >= 0.5;
    cr_assert_eq(m, cnt);
    for (size_t q = 1; q < m; q++)
        cr_assert(big[bl[q - 1]] > big[bl[q]] || (big[bl[q - 1]] == big[bl[q]] && bl[q - 1] < bl[q]));
}

/* ------------------------------------------------------------ material cost */
Test(exposure, material_share_direct_and_total)
{
    wiot_ctx *ctx = test_ctx();
    small s = small_load(ctx, LEATHER);
    const size_t n = s.n;
    const double *Z = wiot_table_Z(s.t);
    wiot_lu *lu = test_lu(ctx, s.t, WIOT_LEONTIEF);
    size_t k;
    unsigned char *in = test_select(ctx, s.t, "*:Textile_and_Leather", &k);
    unsigned char *base = test_select(ctx, s.t, "*:Agriculture;Textile_and_Leather", &k);
    double d[9], tot[9], d2[9], t2[9];
    cr_assert_eq(wiot_material_share(ctx, lu, in, NULL, d, tot, NULL), WIOT_OK);
    cr_assert_eq(wiot_material_share(ctx, lu, in, base, d2, t2, NULL), WIOT_OK);
    for (size_t j = 0; j < n; j++) {
        double num = 0, den = 0, nb = 0, db = 0, tn = 0, td = 0, tnb = 0, tdb = 0;
        for (size_t i = 0; i < n; i++) {
            double z = Z[i + j * n], l = s.L[i + j * n] - (i == j);
            den += z;
            td += l;
            if (in[i])
                num += z, tn += l;
            if (base[i]) {
                db += z, tdb += l;
                if (in[i])
                    nb += z, tnb += l;
            }
        }
        assert_rel(d[j], num / den, SMALL_RTOL);
        assert_rel(tot[j], tn / td, SMALL_RTOL);
        assert_rel(d2[j], nb / db, SMALL_RTOL);
        assert_rel(t2[j], tnb / tdb, SMALL_RTOL);
        cr_assert(d2[j] >= d[j]);   /* a smaller base, a larger share */
    }
    /* every input: shares 1 */
    unsigned char *all = test_select(ctx, s.t, "*", &k);
    cr_assert_eq(wiot_material_share(ctx, lu, all, NULL, d, NULL, NULL), WIOT_OK);
    cr_assert_eq(wiot_material_share(ctx, lu, all, NULL, NULL, tot, NULL), WIOT_OK);
    for (size_t j = 0; j < n; j++) {
        assert_close(d[j], 1.0, 1e-15);
        assert_close(tot[j], 1.0, 1e-14);
    }
    free(in);
    free(base);
    free(all);
    wiot_lu_free(lu);
    small_free(&s);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------- trade in value added: decompr */
typedef struct dec_check {
    const double *E, *V, *x, *VF;   /* E[n], V[n x n], x[n], VF = V F [n x C] */
    size_t n;
    int checked[4];
} dec_check;

static void dec_row(const expect_row *r, void *ud)
{
    dec_check *d = ud;
    size_t i = strtoul(r->f[1], NULL, 10), j = r->f[2][0] ? strtoul(r->f[2], NULL, 10) : 0;
    double want = strtod(r->f[3], NULL), got;
    int q;
    if (!strcmp(r->f[0], "E_gross_exports"))
        q = 0, got = d->E[i];
    else if (!strcmp(r->f[0], "FVAX_exports"))
        q = 1, got = d->V[i + j * d->n] * d->E[j];
    else if (!strcmp(r->f[0], "FVAX_output"))
        q = 2, got = d->V[i + j * d->n] * d->x[j];
    else if (!strcmp(r->f[0], "VA_in_final_demand"))
        q = 3, got = d->VF[i + j * d->n];
    else
        return;
    /* values computed here in float64 (E to one decimal, exact): 1e-12 relative */
    cr_assert(rel_close(got, want, SMALL_RTOL, 1e-300), "%s(%zu,%zu) = %.17g, expected %.17g", r->f[0], i,
              j, got, want);
    d->checked[q]++;
}

Test(exposure, tiva_decompr_expected_values_and_identities)
{
    wiot_ctx *ctx = test_ctx();
    small s = small_load(ctx, LEATHER);
    const size_t n = s.n, C = s.C, S = s.S;
    const double *x = wiot_table_x(s.t), *v = wiot_table_v(s.t);
    wiot_lu *lu = test_lu(ctx, s.t, WIOT_LEONTIEF);
    double ct[3 * WIOT_TIVA_NITEMS], sec[9 * WIOT_TIVA_NITEMS], vf[9];
    wiot_info info;
    cr_assert_eq(wiot_tiva(ctx, lu, ct, C, sec, n, vf, C, &info), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert(info.residual >= 0 && info.residual < 1e-12 && info.flops > 0);

    /* the decompr values: E, FVAX_exports = V diag(E), FVAX_output = V diag(x), V F */
    size_t cols[9];
    for (size_t j = 0; j < n; j++)
        cols[j] = j;
    double V[81], VF[27], E[9];
    cr_assert_eq(wiot_va_columns(ctx, lu, cols, n, WIOT_MEASURE_VA, V, n, NULL), WIOT_OK);
    for (size_t i = 0; i < n; i++) {
        E[i] = sec[i + WIOT_TIVA_EXPORTS * n];
        assert_rel(E[i], s.e[i], 1e-15);
        for (size_t d = 0; d < C; d++) {
            VF[i + d * n] = 0;
            for (size_t j = 0; j < n; j++)
                VF[i + d * n] += V[i + j * n] * s.Fd[j + d * n];
        }
    }
    dec_check dc = {E, V, x, VF, n, {0, 0, 0, 0}};
    cr_assert_eq(for_each_row(DATA("examples/decompr_leather_expected.csv"), dec_row, &dc), 96);
    cr_assert_eq(dc.checked[0], 9);
    cr_assert_eq(dc.checked[1], 2);
    cr_assert_eq(dc.checked[2], 2);
    cr_assert_eq(dc.checked[3], 2);

    /* identities */
    double sumF = 0, sumX = 0;
    for (size_t c = 0; c < C; c++) {
#define CT(q) ct[c + (q) * C]
        double Ec = 0, dva = 0, fva = 0, dvx = 0, vax = 0, vac = 0, vafd = 0;
        for (size_t j = c * S; j < (c + 1) * S; j++) {
            Ec += s.e[j];
            vac += v[j];
            for (size_t i = 0; i < n; i++) {
                if (i / S == c)
                    dva += V[i + j * n] * s.e[j];
                else
                    fva += V[i + j * n] * s.e[j];
            }
            for (size_t k = 0; k < n; k++)
                if (k / S != c)
                    dvx += V[j + k * n] * s.e[k];   /* c's VA in others' exports */
        }
        for (size_t d = 0; d < C; d++)
            for (size_t i = c * S; i < (c + 1) * S; i++) {
                vafd += VF[i + d * n];
                if (d != c)
                    vax += VF[i + d * n];
            }
        assert_rel(CT(WIOT_TIVA_EXPORTS), Ec, SMALL_RTOL);
        assert_rel(CT(WIOT_TIVA_DVA), dva, SMALL_RTOL);
        assert_rel(CT(WIOT_TIVA_FVA), fva, SMALL_RTOL);
        assert_rel(CT(WIOT_TIVA_FORWARD), dvx, SMALL_RTOL);
        assert_rel(CT(WIOT_TIVA_VAX), vax, SMALL_RTOL);
        assert_rel(CT(WIOT_TIVA_VA), vac, SMALL_RTOL);
        assert_rel(CT(WIOT_TIVA_VAFD), vafd, SMALL_RTOL);
        cr_assert_eq(CT(WIOT_TIVA_NOORIGIN), 0.0);
        /* DVA + FVA = E (columns of V sum to 1) */
        assert_rel(CT(WIOT_TIVA_DVA) + CT(WIOT_TIVA_FVA), Ec, 1e-14);
        /* exact row identity here, so x = L f and VA absorbed = VA generated */
        assert_rel(CT(WIOT_TIVA_VAFD), vac, SMALL_RTOL);
        sumF += CT(WIOT_TIVA_FVA);
        sumX += CT(WIOT_TIVA_FORWARD);
        /* the sector rows add up to the country rows */
        for (size_t q = 0; q < WIOT_TIVA_NITEMS; q++) {
            double ss = 0;
            for (size_t j = c * S; j < (c + 1) * S; j++)
                ss += sec[j + q * n];
            assert_rel(ss, CT(q), SMALL_RTOL);
        }
#undef CT
    }
    assert_rel(sumF, sumX, 1e-14);   /* world FVA = world DVX */
    for (size_t d = 0; d < C; d++) {   /* VA in d's final demand by origin adds up to it */
        double tot = 0, fd = 0;
        for (size_t o = 0; o < C; o++) {
            double e = 0;
            for (size_t i = o * S; i < (o + 1) * S; i++)
                e += VF[i + d * n];
            assert_rel(vf[o + d * C], e, SMALL_RTOL);
            tot += vf[o + d * C];
        }
        for (size_t j = 0; j < n; j++)
            fd += s.Fd[j + d * n];
        assert_rel(tot, fd, 1e-14);
    }
    wiot_lu_free(lu);
    small_free(&s);
    wiot_ctx_free(ctx);
}

/* Koopman, Wang & Wei (2014): DVA_s = V_s B_ss E_s* is the sum of their terms 1-6, so
 * DVA_s - VAX_s = terms 4-6 (returned domestic VA in final and intermediate imports,
 * domestic double counting), computed here by their formulas (as in decompr's kww):
 *   T4 = V_s sum_{t != s} B_st Y_ts
 *   T5 = V_s sum_{t != s} B_st A_ts L_ss Y_ss
 *   T6 = V_s sum_{t != s} B_st A_ts L_ss E_s*
 * with B the global and L_ss the local inverse (I - A_ss)^{-1}. The identity needs the
 * table's row identity, which the decompr example satisfies exactly. */
Test(exposure, tiva_kww_terms_4_to_6)
{
    wiot_ctx *ctx = test_ctx();
    small s = small_load(ctx, LEATHER);
    const size_t n = s.n, C = s.C, S = s.S;
    wiot_lu *lu = test_lu(ctx, s.t, WIOT_LEONTIEF);
    double ct[3 * WIOT_TIVA_NITEMS];
    cr_assert_eq(wiot_tiva(ctx, lu, ct, C, NULL, 0, NULL, 0, NULL), WIOT_OK, "%s", wiot_errmsg(ctx));
    /* local inverse (block diagonal), off-diagonal parts of B and A */
    double *M = calloc(n * n, sizeof *M), *Lloc = malloc(n * n * sizeof *Lloc);
    double *Bm = calloc(n * n, sizeof *Bm), *Am = calloc(n * n, sizeof *Am);
    double *P = malloc(n * n * sizeof *P), *Q = malloc(n * n * sizeof *Q);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            int same = i / S == j / S;
            M[i + j * n] = same ? (i == j) - s.A[i + j * n] : (i == j);
            if (!same) {
                Bm[i + j * n] = s.L[i + j * n];
                Am[i + j * n] = s.A[i + j * n];
            }
        }
    dense_inverse(M, Lloc, n);   /* blocks (I - A_ss)^{-1}, zero elsewhere */
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            if (i / S != j / S)
                assert_close(Lloc[i + j * n], 0.0, 1e-15);
    dense_mul(Bm, Am, P, n);
    dense_mul(P, Lloc, Q, n);   /* Q = Bm Am Lloc */
    for (size_t c = 0; c < C; c++) {
        double t456 = 0;
        for (size_t i = c * S; i < (c + 1) * S; i++) {
            double t4 = 0, t5 = 0, t6 = 0;
            for (size_t k = 0; k < n; k++) {
                t4 += Bm[i + k * n] * s.Fd[k + c * n];
                if (k / S == c) {   /* Y_ss and E_s* live in country c's rows */
                    t5 += Q[i + k * n] * s.Fd[k + c * n];
                    t6 += Q[i + k * n] * s.e[k];
                }
            }
            t456 += s.av[i] * (t4 + t5 + t6);
        }
        double dva = ct[c + WIOT_TIVA_DVA * C], vax = ct[c + WIOT_TIVA_VAX * C];
        cr_assert(t456 > 0);
        cr_assert(rel_close(dva - vax, t456, 1e-10, 1e-300),
                  "country %zu: DVA - VAX = %.17g, KWW T4+T5+T6 = %.17g", c, dva - vax, t456);
    }
    free(M);
    free(Lloc);
    free(Bm);
    free(Am);
    free(P);
    free(Q);
    wiot_lu_free(lu);
    small_free(&s);
    wiot_ctx_free(ctx);
}

/* ---------------------------------------------------------------- Ghosh */
Test(exposure, ghosh_exposure_matches_explicit_inverse)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    const size_t n = 9;
    const double *v = wiot_table_v(t), *x = wiot_table_x(t);
    wiot_lu *glu = test_lu(ctx, t, WIOT_GHOSH);
    double G[81], dv[9], dx[9], all[9];
    cr_assert_eq(wiot_ghosh(ctx, t, G, n, NULL), WIOT_OK);
    size_t k;
    unsigned char *m = test_select(ctx, t, "TUR:Textile_and_Leather;Agriculture", &k);
    for (size_t i = 0; i < n; i++)
        dv[i] = m[i] ? -v[i] : 0.0;
    wiot_info info;
    cr_assert_eq(wiot_ghosh_exposure(ctx, glu, dv, dx, &info), WIOT_OK);
    cr_assert(info.residual >= 0 && info.residual < 1e-12);
    for (size_t j = 0; j < n; j++) {
        double e = 0;
        for (size_t i = 0; i < n; i++)
            e += dv[i] * G[i + j * n];
        assert_rel(dx[j], e, SMALL_RTOL);
        cr_assert(dx[j] <= 0);
    }
    /* v^T G = x^T exactly by the column identity; dx may alias dv */
    memcpy(all, v, sizeof all);
    cr_assert_eq(wiot_ghosh_exposure(ctx, glu, all, all, NULL), WIOT_OK);
    for (size_t j = 0; j < n; j++)
        assert_rel(all[j], x[j], SMALL_RTOL);
    wiot_lu *lu = test_lu(ctx, t, WIOT_LEONTIEF);
    cr_assert_eq(wiot_ghosh_exposure(ctx, lu, dv, dx, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "Ghosh factorization"));
    free(m);
    wiot_lu_free(lu);
    wiot_lu_free(glu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* --------------------------------------------------------------- extraction */
/* Brute force on a small table: the extracted coefficients, a dense inverse, and the
 * difference of two outputs (lost = x0 - x*), independent of the library's route
 * (it computes lost = M*^{-1} b directly). */
static void brute_extract(const small *s, int model, const unsigned char *src, const unsigned char *to,
                          int foreign, double *lost, double *lost_final)
{
    const size_t n = s->n, S = s->S, C = s->C, K = s->K;
    const double *Z = wiot_table_Z(s->t), *x = wiot_table_x(s->t), *v = wiot_table_v(s->t),
                 *F = wiot_table_F(s->t);
    double *Ms = malloc(n * n * sizeof *Ms), *M0 = malloc(n * n * sizeof *M0);
    double *Ri = malloc(n * n * sizeof *Ri), *R0 = malloc(n * n * sizeof *R0);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            double xd = model == WIOT_LEONTIEF ? x[j] : x[i];
            double a = xd > 0 ? Z[i + j * n] / xd : 0;
            int rem = src[i] && (!to || to[j / S]) && (!foreign || i / S != j / S);
            M0[i + j * n] = (i == j) - a;
            Ms[i + j * n] = (i == j) - (rem ? 0 : a);
        }
    dense_inverse(M0, R0, n);
    dense_inverse(Ms, Ri, n);
    double *fs = malloc(n * sizeof *fs);
    for (size_t i = 0; i < n; i++) {
        fs[i] = s->f[i];
        if (src[i])
            for (size_t d = 0; d < C; d++)
                if ((!to || to[d]) && (!foreign || d != i / S))
                    for (size_t k = 0; k < K; k++)
                        fs[i] -= F[i + (d * K + k) * n];
    }
    for (size_t i = 0; i < n; i++) {
        double a = 0, b = 0, c = 0;
        for (size_t j = 0; j < n; j++) {
            if (model == WIOT_LEONTIEF) {   /* x = M^{-1} f */
                a += R0[i + j * n] * s->f[j];
                b += Ri[i + j * n] * s->f[j];
                c += Ri[i + j * n] * fs[j];
            } else {                         /* x = M^{-T} v */
                a += R0[j + i * n] * v[j];
                b += Ri[j + i * n] * v[j];
                c = b;
            }
        }
        lost[i] = a - b;
        lost_final[i] = model == WIOT_LEONTIEF ? a - c : a - b;
    }
    free(Ms);
    free(M0);
    free(Ri);
    free(R0);
    free(fs);
}

Test(exposure, extraction_matches_brute_force)
{
    wiot_ctx *ctx = test_ctx();
    small s = small_load(ctx, LEATHER);
    const size_t n = s.n;
    wiot_lu *lu[2] = {test_lu(ctx, s.t, WIOT_LEONTIEF), test_lu(ctx, s.t, WIOT_GHOSH)};
    const char *specs[] = {"TUR:Textile_and_Leather", "ARG", "*:Agriculture;Transport_Equipment", "*"};
    unsigned char to_deu[3] = {0, 0, 1}, to_all_but_arg[3] = {0, 1, 1};
    const unsigned char *tos[3] = {NULL, to_deu, to_all_but_arg};
    int cases = 0;
    for (size_t q = 0; q < sizeof specs / sizeof *specs; q++) {
        size_t k;
        unsigned char *m = test_select(ctx, s.t, specs[q], &k);
        for (int model = 0; model < 2; model++)
            for (int ti = 0; ti < 3; ti++)
                for (int foreign = 0; foreign < 2; foreign++) {
                    double bl[9], bf[9], scale = 0;
                    brute_extract(&s, model, m, tos[ti], foreign, bl, bf);
                    for (size_t i = 0; i < n; i++)
                        scale = fmax(scale, fmax(fabs(bl[i]), fabs(bf[i])));
                    const int methods[3] = {WIOT_METHOD_NONE, WIOT_METHOD_WOODBURY, WIOT_METHOD_DENSE};
                    for (int me = 0; me < 3; me++) {
                        double l[9], lf[9];
                        wiot_info info;
                        int rc = wiot_extract(ctx, lu[model], m, tos[ti], foreign ? WIOT_EXTRACT_FOREIGN : 0,
                                              methods[me], l, lf, &info);
                        cr_assert_eq(rc, WIOT_OK, "%s", wiot_errmsg(ctx));
                        cr_assert_eq(info.rank, k);
                        cr_assert_eq(info.method, me == 0 ? (3 * k <= n ? WIOT_METHOD_WOODBURY : WIOT_METHOD_DENSE)
                                                          : methods[me]);
                        /* the brute force differences two outputs of size ~1e2:
                         * absolute agreement 1e-12 of the largest loss (and of 1) */
                        for (size_t i = 0; i < n; i++) {
                            cr_assert(fabs(l[i] - bl[i]) <= 1e-12 * fmax(scale, 1.0),
                                      "%s model %d to %d foreign %d method %d: lost[%zu] = %.17g, brute "
                                      "force %.17g", specs[q], model, ti, foreign, methods[me], i, l[i], bl[i]);
                            cr_assert(fabs(lf[i] - bf[i]) <= 1e-12 * fmax(scale, 1.0), "final: %s %d %d %d %d %zu",
                                      specs[q], model, ti, foreign, methods[me], i);
                            cr_assert(l[i] >= -1e-12 * fmax(scale, 1.0) && lf[i] >= l[i] - 1e-12 * fmax(scale, 1.0));
                        }
                        cr_assert(info.residual >= 0 && info.residual < 1e-11 * fmax(scale, 1.0),
                                  "residual %g", info.residual);
                        cases++;
                    }
                }
        free(m);
    }
    cr_assert_eq(cases, 4 * 2 * 3 * 2 * 3);
    wiot_lu_free(lu[0]);
    wiot_lu_free(lu[1]);
    small_free(&s);
    wiot_ctx_free(ctx);
}

Test(exposure, extraction_of_nothing_loses_nothing)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    wiot_lu *lu[2] = {test_lu(ctx, t, WIOT_LEONTIEF), test_lu(ctx, t, WIOT_GHOSH)};
    unsigned char none[9] = {0}, none_c[3] = {0}, arg[3] = {1, 0, 0};
    size_t k;
    unsigned char *m = test_select(ctx, t, "ARG", &k);
    const int methods[3] = {WIOT_METHOD_NONE, WIOT_METHOD_WOODBURY, WIOT_METHOD_DENSE};
    for (int model = 0; model < 2; model++)
        for (int me = 0; me < 3; me++) {
            double l[9], lf[9];
            /* no source; a source selling to no country; a source's exports to itself */
            cr_assert_eq(wiot_extract(ctx, lu[model], none, NULL, 0, methods[me], l, lf, NULL), WIOT_OK);
            for (int i = 0; i < 9; i++)
                cr_assert(l[i] == 0.0 && lf[i] == 0.0);
            cr_assert_eq(wiot_extract(ctx, lu[model], m, none_c, 0, methods[me], l, lf, NULL), WIOT_OK);
            for (int i = 0; i < 9; i++)
                cr_assert(l[i] == 0.0 && lf[i] == 0.0, "method %d model %d: %g", methods[me], model, l[i]);
            cr_assert_eq(wiot_extract(ctx, lu[model], m, arg, WIOT_EXTRACT_FOREIGN, methods[me], l, lf, NULL),
                         WIOT_OK);
            for (int i = 0; i < 9; i++)
                cr_assert(l[i] == 0.0 && lf[i] == 0.0);
        }
    free(m);
    wiot_lu_free(lu[0]);
    wiot_lu_free(lu[1]);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------------- WIOD */
/* Woodbury against a fresh factorization on the full table, both models. */
Test(exposure, wiod_extraction_woodbury_equals_dense, .timeout = 120)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, WIOD(2011));
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t);
    wiot_lu *lu[2] = {test_lu(ctx, t, WIOT_LEONTIEF), test_lu(ctx, t, WIOT_GHOSH)};
    size_t k;
    unsigned char *chn = test_select(ctx, t, "CHN", &k);
    cr_assert_eq(k, 35);
    unsigned char *to = malloc(C);
    cr_assert_eq(wiot_select_countries(ctx, t, "USA", to, NULL), WIOT_OK);
    unsigned char *metals = test_select(ctx, t, "*;!CHN:c12", &k);
    cr_assert_eq(k, 40);
    double *a = malloc(4 * n * sizeof *a), *af = a + n, *b = af + n, *bf = b + n;
    struct { const unsigned char *src, *to; int flags; } cs[2] = {{chn, NULL, WIOT_EXTRACT_FOREIGN}, {metals, to, 0}};
    for (int q = 0; q < 2; q++)
        for (int model = 0; model < 2; model++) {
            wiot_info iw, id;
            cr_assert_eq(wiot_extract(ctx, lu[model], cs[q].src, cs[q].to, cs[q].flags, WIOT_METHOD_WOODBURY, a, af, &iw),
                         WIOT_OK, "%s", wiot_errmsg(ctx));
            cr_assert_eq(wiot_extract(ctx, lu[model], cs[q].src, cs[q].to, cs[q].flags, WIOT_METHOD_DENSE, b, bf, &id),
                         WIOT_OK, "%s", wiot_errmsg(ctx));
            cr_assert_eq(iw.method, WIOT_METHOD_WOODBURY);
            cr_assert_eq(id.method, WIOT_METHOD_DENSE);
            cr_assert(iw.flops < id.flops / 5, "Woodbury %g flops, dense %g", iw.flops, id.flops);
            double scale = 0, tot = 0;
            for (size_t i = 0; i < n; i++) {
                scale = fmax(scale, fabs(bf[i]));
                tot += b[i];
            }
            cr_assert(tot > 0);
            /* cond ~ 10, entries up to 1e6: agreement to 1e-11 of the largest loss */
            for (size_t i = 0; i < n; i++) {
                cr_assert(fabs(a[i] - b[i]) <= 1e-11 * scale, "case %d model %d lost[%zu] %.17g vs %.17g", q, model,
                          i, a[i], b[i]);
                cr_assert(fabs(af[i] - bf[i]) <= 1e-11 * scale);
                cr_assert(a[i] >= -1e-11 * scale);
            }
            cr_assert(iw.residual < 1e-12 * scale && id.residual < 1e-12 * scale, "residuals %g %g", iw.residual,
                      id.residual);
        }
    free(a);
    free(chn);
    free(to);
    free(metals);
    wiot_lu_free(lu[0]);
    wiot_lu_free(lu[1]);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

static double deu_c15_fva_share(wiot_ctx *ctx, const char *path, double *colsum_err)
{
    wiot_table *t = test_load(ctx, path);
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t);
    const double *x = wiot_table_x(t);
    wiot_lu *lu = test_lu(ctx, t, WIOT_LEONTIEF);
    double *W = malloc(n * C * sizeof *W);
    cr_assert_eq(wiot_va_origin(ctx, lu, NULL, C, WIOT_MEASURE_VA, W, n, NULL), WIOT_OK);
    *colsum_err = 0;
    for (size_t j = 0; j < n; j++) {   /* columns of V sum to 1 */
        double s = 0;
        for (size_t c = 0; c < C; c++)
            s += W[j + c * n];
        *colsum_err = fmax(*colsum_err, fabs(s - (x[j] > 0 ? 1.0 : 0.0)));
    }
    size_t de = wiot_table_find_country(t, "DEU"), c15 = wiot_table_find_sector(t, "c15");
    cr_assert(de != (size_t)-1 && c15 != (size_t)-1);
    double fva = 1.0 - W[de * S + c15 + de * n];
    free(W);
    wiot_lu_free(lu);
    wiot_table_free(t);
    return fva;
}

/* Timmer et al. (2015), the WIOD user guide: the foreign value-added share of German
 * transport equipment final output rose between 1995 and 2008. Computed here: 20.9 %
 * (1995) and 33.3 % (2008). */
Test(exposure, wiod_german_cars_foreign_share_rises, .timeout = 120)
{
    wiot_ctx *ctx = test_ctx();
    double e95, e08;
    double f95 = deu_c15_fva_share(ctx, WIOD(1995), &e95);
    double f08 = deu_c15_fva_share(ctx, WIOD(2008), &e08);
    cr_assert(e95 < 1e-13 && e08 < 1e-13, "column sums of V off by %g, %g", e95, e08);
    cr_assert(f95 > 0.15 && f95 < 0.27, "1995: %g", f95);
    cr_assert(f08 > 0.28 && f08 < 0.40, "2008: %g", f08);
    cr_assert(f08 - f95 > 0.08, "1995 %g -> 2008 %g", f95, f08);
    wiot_ctx_free(ctx);
}

/* The October 2025 Chinese rule on 2011 data: Chinese mining and basic metals content
 * of 0.1 % or more; the TiVA identities on the full table. */
Test(exposure, wiod_chinese_content_rule_and_tiva_identities, .timeout = 120)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, WIOD(2011));
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t),
                 K = wiot_table_fd_categories(t);
    const double *x = wiot_table_x(t), *F = wiot_table_F(t);
    wiot_lu *lu = test_lu(ctx, t, WIOT_LEONTIEF);
    size_t k;
    unsigned char *m = test_select(ctx, t, "CHN:c2,c12", &k);
    cr_assert_eq(k, 2);
    double *va = malloc(n * sizeof *va), *gr = malloc(n * sizeof *gr);
    size_t *list = malloc(n * sizeof *list);
    wiot_info info;
    cr_assert_eq(wiot_content(ctx, lu, m, WIOT_MEASURE_VA, va, &info), WIOT_OK);
    cr_assert(info.residual < 1e-15, "residual %g", info.residual);
    cr_assert_eq(wiot_content(ctx, lu, m, WIOT_MEASURE_GROSS, gr, NULL), WIOT_OK);
    for (size_t j = 0; j < n; j++) {
        cr_assert(va[j] >= 0 && va[j] <= 1);
        if (!m[j])
            cr_assert(gr[j] >= va[j]);
    }
    size_t cross = wiot_crossing(va, n, 0.001, list), chn = wiot_table_find_country(t, "CHN"), out = 0;
    for (size_t q = 0; q < cross; q++)
        out += list[q] / S != chn;
    /* regression values computed here (not published figures) */
    cr_assert_eq(cross, 945, "%zu products cross 0.1 %%", cross);
    cr_assert_eq(out, 912, "%zu of them outside China", out);
    cr_assert_eq(wiot_crossing(gr, n, 0.001, NULL) >= cross, 1);   /* gross is the looser test */

    double *ct = malloc(C * WIOT_TIVA_NITEMS * sizeof *ct), *vf = malloc(C * C * sizeof *vf);
    cr_assert_eq(wiot_tiva(ctx, lu, ct, C, NULL, 0, vf, C, &info), WIOT_OK);
    double sf = 0, sx = 0, se = 0;
    for (size_t c = 0; c < C; c++) {
        double E = ct[c + WIOT_TIVA_EXPORTS * C];
        se += E;
        assert_rel(ct[c + WIOT_TIVA_DVA * C] + ct[c + WIOT_TIVA_FVA * C] + ct[c + WIOT_TIVA_NOORIGIN * C], E,
                   WIOD_RTOL);
        sf += ct[c + WIOT_TIVA_FVA * C];
        sx += ct[c + WIOT_TIVA_FORWARD * C];
        cr_assert(ct[c + WIOT_TIVA_FVA * C] > 0 && ct[c + WIOT_TIVA_VAX * C] > 0);
    }
    assert_rel(sf, sx, WIOD_RTOL);
    cr_assert(sf / se > 0.2 && sf / se < 0.3, "world FVA share %g", sf / se);
    for (size_t d = 0; d < C; d++) {   /* VA by origin adds up to final demand (x > 0) */
        double tot = 0, fd = 0;
        for (size_t o = 0; o < C; o++)
            tot += vf[o + d * C];
        for (size_t j = 0; j < n; j++)
            if (x[j] > 0)
                for (size_t q = 0; q < K; q++)
                    fd += F[j + (d * K + q) * n];
        assert_rel(tot, fd, WIOD_RTOL);
    }
    free(m);
    free(va);
    free(gr);
    free(list);
    free(ct);
    free(vf);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ---------------------------------------------------------------- errors */
Test(exposure, invalid_arguments)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    wiot_lu *lu = test_lu(ctx, t, WIOT_LEONTIEF), *glu = test_lu(ctx, t, WIOT_GHOSH);
    unsigned char m[9] = {1, 0, 0, 0, 0, 0, 0, 0, 0};
    double a[9 * 8], b[9];
    size_t cols[1] = {9};
    cr_assert_eq(wiot_content(NULL, lu, m, WIOT_MEASURE_VA, a, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_content(ctx, NULL, m, WIOT_MEASURE_VA, a, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_content(ctx, lu, NULL, WIOT_MEASURE_VA, a, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_content(ctx, lu, m, 7, a, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "unknown measure 7"));
    cr_assert_eq(wiot_content(ctx, glu, m, WIOT_MEASURE_VA, a, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "needs a Leontief factorization"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_va_origin(ctx, lu, NULL, 2, WIOT_MEASURE_VA, a, 9, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "ngroups must be 3"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_va_origin(ctx, lu, NULL, 3, WIOT_MEASURE_VA, a, 8, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_va_columns(ctx, lu, cols, 1, WIOT_MEASURE_VA, a, 9, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "column 9 out of range"));
    cr_assert_eq(wiot_va_columns(ctx, lu, NULL, 0, WIOT_MEASURE_VA, NULL, 9, NULL), WIOT_OK);
    cr_assert_eq(wiot_material_share(ctx, glu, m, NULL, a, NULL, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_material_share(ctx, lu, NULL, NULL, a, NULL, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_tiva(ctx, lu, NULL, 3, NULL, 0, NULL, 0, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_tiva(ctx, lu, a, 2, NULL, 0, NULL, 0, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_tiva(ctx, glu, a, 3, NULL, 0, NULL, 0, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_tiva(ctx, lu, a, 3, a, 8, NULL, 0, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_ghosh_exposure(ctx, glu, NULL, b, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_extract(ctx, lu, NULL, NULL, 0, WIOT_METHOD_NONE, b, NULL, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_extract(ctx, lu, m, NULL, 0, WIOT_METHOD_NONE, NULL, NULL, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_extract(ctx, lu, m, NULL, 4, WIOT_METHOD_NONE, b, NULL, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "unknown flags"));
    cr_assert_eq(wiot_extract(ctx, lu, m, NULL, 0, WIOT_METHOD_ITERATION, b, NULL, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "method must be"));
    wiot_lu_free(lu);
    wiot_lu_free(glu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* Every allocation failure is clean: ENOMEM, nothing leaked. */
Test(exposure, failing_allocator)
{
    wiot_ctx *c0 = test_ctx();
    wiot_table *t = test_load(c0, LEATHER);
    wiot_lu *lu = test_lu(c0, t, WIOT_LEONTIEF), *glu = test_lu(c0, t, WIOT_GHOSH);
    test_alloc ta = {0, -1, 0};
    wiot_allocator al = test_allocator(&ta);
    int done = 0;
    for (long k = 0; k < 400 && !done; k++) {
        ta.calls = 0;
        ta.fail_at = -1;
        wiot_ctx *ctx = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&al, &ctx), WIOT_OK);
        ta.fail_at = k + 1;   /* the context is allocation 0 */
        unsigned char m[9], to[3] = {0, 1, 1};
        double a[3 * 8 + 9 * 8], b[9], c[9], vf[9];
        int rc = wiot_select(ctx, t, "ARG;TUR:Agriculture,Textile_and_Leather", m, NULL);
        if (!rc)
            rc = wiot_content(ctx, lu, m, WIOT_MEASURE_GROSS, b, NULL);
        if (!rc)
            rc = wiot_material_share(ctx, lu, m, NULL, b, c, NULL);
        if (!rc)
            rc = wiot_tiva(ctx, lu, a, 3, a + 24, 9, vf, 3, NULL);
        if (!rc)
            rc = wiot_extract(ctx, lu, m, to, 0, WIOT_METHOD_WOODBURY, b, c, NULL);
        if (!rc)
            rc = wiot_extract(ctx, glu, m, NULL, WIOT_EXTRACT_FOREIGN, WIOT_METHOD_DENSE, b, NULL, NULL);
        if (!rc)
            rc = wiot_ghosh_exposure(ctx, glu, b, c, NULL);
        if (rc)
            cr_assert_eq(rc, WIOT_ENOMEM, "k=%ld: rc %d (%s)", k, rc, wiot_errmsg(ctx));
        else
            done = 1;
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k=%ld: %ld blocks leaked", k, ta.live);
    }
    cr_assert(done, "never succeeded");
    wiot_lu_free(lu);
    wiot_lu_free(glu);
    wiot_table_free(t);
    wiot_ctx_free(c0);
}
