/* exposure.c -- supply-chain exposure (kernel/METHODS.md §4-5): source selection, value-added
 * origin V = diag(a_v) L and content shares, threshold lists, material-cost shares,
 * trade in value added, Ghosh forward exposure and hypothetical extraction.
 *
 * Nothing here forms V, L or G: every quantity is a solve with the LU of I - A (or
 * I - B), with as many right-hand sides as the question has sources, groups or
 * products. Hypothetical extraction is a rank-k change of the system and reuses the
 * LU through Sherman-Morrison-Woodbury, or refactors when k is large. */
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cblas.h>

#define WI_EPS 2.220446049250313e-16

/* ------------------------------------------------------------------ helpers */
/* a_v[j] = v[j]/x[j], 0 where x[j] = 0 */
static double wi_av(const wiot_table *t, size_t j) { return t->x[j] > 0 ? t->v[j] / t->x[j] : 0.0; }

/* The links a hypothetical extraction removes: sales of i (src[i]) to buyers j whose
 * country is in to (NULL: all), only across borders when foreign. */
typedef struct wi_links {
    const unsigned char *src;
    const unsigned char *to;
    int foreign;
} wi_links;

static int wi_removed(const wi_links *lk, size_t S, size_t i, size_t j)
{
    size_t ci = i / S, cj = j / S;
    return lk->src[i] && (!lk->to || lk->to[cj]) && (!lk->foreign || ci != cj);
}

/* Residual max |M X - B| of nrhs solutions X (ldx) of M X = B (trans = WIOT_NOTRANS)
 * or M^T X = B (WIOT_TRANS), where M = I - K, K = A (Leontief) or B (Ghosh) built
 * from Z and x, with the links lk removed from K (lk may be NULL). Work 2n^2 nrhs
 * flops; memory 16 n nrhs bytes. */
static int wi_resid(wiot_ctx *ctx, const wiot_table *t, int model, int trans, const wi_links *lk,
                    const double *X, size_t ldx, const double *B, size_t ldb, size_t nrhs,
                    double *res)
{
    const size_t n = t->n, S = t->S;
    size_t nm;
    int rc = wi_mul(ctx, n, nrhs, &nm);
    if (rc)
        return rc;
    double *Xs = wi_dalloc(ctx, nm), *R = wi_dalloc(ctx, nm);
    if (!Xs || !R) {
        wi_free(ctx, Xs);
        wi_free(ctx, R);
        return WIOT_ENOMEM;
    }
    const double *x = t->x;
    /* scale by 1/x on the side the coefficient divides: before the product when the
     * divisor is the summation index, after it otherwise */
    const int before = (model == WIOT_LEONTIEF) == (trans == WIOT_NOTRANS);
    for (size_t q = 0; q < nrhs; q++)
        for (size_t i = 0; i < n; i++)
            Xs[i + q * n] = before ? (x[i] > 0 ? X[i + q * ldx] / x[i] : 0.0) : X[i + q * ldx];
    wi_threads th;
    wi_threads_begin(ctx, &th);
    cblas_dgemm(CblasColMajor, trans == WIOT_TRANS ? CblasTrans : CblasNoTrans, CblasNoTrans,
                (int)n, (int)nrhs, (int)n, 1.0, t->Z, (int)n, Xs, (int)n, 0.0, R, (int)n);
    wi_threads_end(&th);
    if (!before)
        for (size_t q = 0; q < nrhs; q++)
            for (size_t i = 0; i < n; i++)
                R[i + q * n] = x[i] > 0 ? R[i + q * n] / x[i] : 0.0;
    if (lk) {   /* take the removed coefficients back out of K X (or K^T X) */
        for (size_t i = 0; i < n; i++) {
            if (!lk->src[i])
                continue;
            for (size_t j = 0; j < n; j++) {
                double z = t->Z[i + j * n];
                if (z == 0.0 || !wi_removed(lk, S, i, j))
                    continue;
                double xd = model == WIOT_LEONTIEF ? x[j] : x[i];
                if (!(xd > 0))
                    continue;
                double kij = z / xd;
                for (size_t q = 0; q < nrhs; q++) {
                    if (trans == WIOT_NOTRANS)
                        R[i + q * n] -= kij * X[j + q * ldx];
                    else
                        R[j + q * n] -= kij * X[i + q * ldx];
                }
            }
        }
    }
    double worst = 0.0;
    for (size_t q = 0; q < nrhs; q++)
        for (size_t i = 0; i < n; i++) {
            double r = fabs(X[i + q * ldx] - R[i + q * n] - B[i + q * ldb]);
            if (r > worst || r != r)
                worst = r;
        }
    wi_free(ctx, Xs);
    wi_free(ctx, R);
    *res = worst;
    return WIOT_OK;
}

/* Solve lu X = B in place (nrhs columns, ld ldb) and, when the context asks for
 * residuals, measure max |M X - B| against a copy of B. info accumulates. */
static int wi_solve_checked(wiot_ctx *ctx, const wiot_lu *lu, int trans, size_t nrhs, double *B,
                            size_t ldb, wiot_info *info)
{
    const size_t n = lu->n;
    double *copy = NULL;
    if (ctx->residual && nrhs) {
        size_t nm;
        int rc = wi_mul(ctx, n, nrhs, &nm);
        if (rc)
            return rc;
        if (!(copy = wi_dalloc(ctx, nm)))
            return WIOT_ENOMEM;
        for (size_t q = 0; q < nrhs; q++)
            memcpy(copy + q * n, B + q * ldb, n * sizeof *copy);
    }
    double t0 = wi_now();
    int rc = wi_lu_solve(ctx, lu, trans, nrhs, B, ldb);
    info->seconds += wi_now() - t0;
    info->flops += 2.0 * (double)n * (double)n * (double)nrhs;
    if (!rc && copy) {
        double r0 = wi_now(), res = 0;
        rc = wi_resid(ctx, lu->t, lu->model, trans, NULL, B, ldb, copy, n, nrhs, &res);
        info->residual_seconds += wi_now() - r0;
        if (!rc && (res > info->residual || res != res))
            info->residual = res;
    }
    wi_free(ctx, copy);
    return rc;
}

static void wi_info_start(const wiot_ctx *ctx, wiot_info *info, int method)
{
    memset(info, 0, sizeof *info);
    info->method = method;
    info->residual = ctx->residual ? 0.0 : -1.0;
}

static int wi_need_leontief(wiot_ctx *ctx, const wiot_lu *lu, const char *fn)
{
    if (lu->model != WIOT_LEONTIEF)
        return wi_error(ctx, WIOT_EINVAL, "%s needs a Leontief factorization", fn);
    return WIOT_OK;
}

static int wi_check_measure(wiot_ctx *ctx, int measure, const char *fn)
{
    if (measure != WIOT_MEASURE_VA && measure != WIOT_MEASURE_GROSS)
        return wi_error(ctx, WIOT_EINVAL, "%s: unknown measure %d", fn, measure);
    return WIOT_OK;
}

/* ------------------------------------------------------- value-added origin */
/* W[j + g*ldw] for groups g < G: one transposed solve with G right-hand sides. */
static int wi_origin(wiot_ctx *ctx, const wiot_lu *lu, const size_t *group, size_t G, int measure,
                     double *W, size_t ldw, wiot_info *info)
{
    const wiot_table *t = lu->t;
    const size_t n = t->n, S = t->S;
    for (size_t g = 0; g < G; g++)
        memset(W + g * ldw, 0, n * sizeof *W);
    for (size_t i = 0; i < n; i++) {
        size_t g = group ? group[i] : i / S;
        if (g < G)
            W[i + g * ldw] = measure == WIOT_MEASURE_VA ? wi_av(t, i) : 1.0;
    }
    int rc = wi_solve_checked(ctx, lu, WIOT_TRANS, G, W, ldw, info);
    if (rc || measure != WIOT_MEASURE_GROSS)
        return rc;
    for (size_t j = 0; j < n; j++) {   /* L - I: the unit of j itself is no input */
        size_t g = group ? group[j] : j / S;
        if (g < G)
            W[j + g * ldw] -= 1.0;
    }
    return WIOT_OK;
}

int wiot_va_origin(wiot_ctx *ctx, const wiot_lu *lu, const size_t *group, size_t ngroups,
                   int measure, double *W, size_t ldw, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !W)
        return wi_error(ctx, WIOT_EINVAL, "wiot_va_origin: NULL argument");
    int rc = wi_need_leontief(ctx, lu, "wiot_va_origin");
    if (!rc)
        rc = wi_check_measure(ctx, measure, "wiot_va_origin");
    if (rc)
        return rc;
    if (ldw < lu->n)
        return wi_error(ctx, WIOT_EINVAL, "wiot_va_origin: ldw %zu < n = %zu", ldw, lu->n);
    if (!group && ngroups != lu->t->C)
        return wi_error(ctx, WIOT_EINVAL, "wiot_va_origin: group == NULL means one group per "
                        "country, so ngroups must be %zu, not %zu", lu->t->C, ngroups);
    wiot_info inf;
    wi_info_start(ctx, &inf, WIOT_METHOD_LU);
    rc = wi_origin(ctx, lu, group, ngroups, measure, W, ldw, &inf);
    if (!rc && info)
        *info = inf;
    return rc;
}

int wiot_content(wiot_ctx *ctx, const wiot_lu *lu, const unsigned char *source, int measure,
                 double *share, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !source || !share)
        return wi_error(ctx, WIOT_EINVAL, "wiot_content: NULL argument");
    int rc = wi_need_leontief(ctx, lu, "wiot_content");
    if (!rc)
        rc = wi_check_measure(ctx, measure, "wiot_content");
    if (rc)
        return rc;
    const size_t n = lu->n;
    size_t *group = wi_calloc(ctx, n ? n : 1, sizeof *group);
    double *y = wi_dalloc(ctx, n);
    if (!group || !y) {
        wi_free(ctx, group);
        wi_free(ctx, y);
        return WIOT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        group[i] = source[i] ? 0 : 1;   /* group 1 does not exist: left out */
    wiot_info inf;
    wi_info_start(ctx, &inf, WIOT_METHOD_LU);
    rc = wi_origin(ctx, lu, group, 1, measure, y, n, &inf);
    if (!rc) {
        for (size_t j = 0; j < n; j++)   /* tiny negative rounding where the share is 0 */
            share[j] = y[j] > 0 ? y[j] : 0.0;
        if (info)
            *info = inf;
    }
    wi_free(ctx, group);
    wi_free(ctx, y);
    return rc;
}

int wiot_va_columns(wiot_ctx *ctx, const wiot_lu *lu, const size_t *cols, size_t m, int measure,
                    double *V, size_t ldv, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || (m && (!cols || !V)))
        return wi_error(ctx, WIOT_EINVAL, "wiot_va_columns: NULL argument");
    int rc = wi_need_leontief(ctx, lu, "wiot_va_columns");
    if (!rc)
        rc = wi_check_measure(ctx, measure, "wiot_va_columns");
    if (rc)
        return rc;
    const wiot_table *t = lu->t;
    const size_t n = t->n;
    if (ldv < n)
        return wi_error(ctx, WIOT_EINVAL, "wiot_va_columns: ldv %zu < n = %zu", ldv, n);
    for (size_t q = 0; q < m; q++)
        if (cols[q] >= n)
            return wi_error(ctx, WIOT_EINVAL, "wiot_va_columns: column %zu out of range (n = %zu)",
                            cols[q], n);
    for (size_t q = 0; q < m; q++) {
        memset(V + q * ldv, 0, n * sizeof *V);
        V[cols[q] + q * ldv] = 1.0;
    }
    wiot_info inf;
    wi_info_start(ctx, &inf, WIOT_METHOD_LU);
    rc = wi_solve_checked(ctx, lu, WIOT_NOTRANS, m, V, ldv, &inf);   /* L[:, cols] */
    if (rc)
        return rc;
    for (size_t q = 0; q < m; q++) {
        double *c = V + q * ldv;
        if (measure == WIOT_MEASURE_VA)
            for (size_t i = 0; i < n; i++)
                c[i] *= wi_av(t, i);
        else
            c[cols[q]] -= 1.0;
    }
    if (info)
        *info = inf;
    return WIOT_OK;
}

/* ------------------------------------------------------------ thresholds */
/* heap sort of list[0..m) by share descending, ties by index ascending; no
 * allocation and no global comparator state */
static int wi_before(const double *key, size_t a, size_t b)   /* a sorts after b? */
{
    return key[a] < key[b] || (key[a] == key[b] && a > b);
}

static void wi_sift(const double *key, size_t *h, size_t root, size_t m)
{
    for (;;) {
        size_t c = 2 * root + 1;
        if (c >= m)
            return;
        /* min-heap on the final order: the element that sorts last rises */
        if (c + 1 < m && wi_before(key, h[c + 1], h[c]))
            c++;
        if (!wi_before(key, h[c], h[root]))
            return;
        size_t tmp = h[c];
        h[c] = h[root];
        h[root] = tmp;
        root = c;
    }
}

size_t wiot_crossing(const double *share, size_t n, double threshold, size_t *list)
{
    if (!share)
        return 0;
    size_t m = 0;
    for (size_t j = 0; j < n; j++)
        if (share[j] >= threshold) {
            if (list)
                list[m] = j;
            m++;
        }
    if (!list || m < 2)
        return m;
    for (size_t r = m / 2; r-- > 0;)
        wi_sift(share, list, r, m);
    for (size_t e = m - 1; e > 0; e--) {
        size_t tmp = list[0];
        list[0] = list[e];
        list[e] = tmp;
        wi_sift(share, list, 0, e);
    }
    return m;
}

/* --------------------------------------------------------- material cost */
int wiot_material_share(wiot_ctx *ctx, const wiot_lu *lu, const unsigned char *inputs,
                        const unsigned char *base, double *direct, double *total, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !inputs)
        return wi_error(ctx, WIOT_EINVAL, "wiot_material_share: NULL argument");
    int rc = wi_need_leontief(ctx, lu, "wiot_material_share");
    if (rc)
        return rc;
    const wiot_table *t = lu->t;
    const size_t n = t->n;
    wiot_info inf;
    wi_info_start(ctx, &inf, WIOT_METHOD_LU);
#define WI_IN_BASE(i) (!base || base[i])
    if (direct) {
        for (size_t j = 0; j < n; j++) {
            const double *z = t->Z + j * n;
            double num = 0, den = 0;
            for (size_t i = 0; i < n; i++)
                if (WI_IN_BASE(i)) {
                    den += z[i];
                    if (inputs[i])
                        num += z[i];
                }
            direct[j] = den > 0 ? num / den : 0.0;
        }
        inf.flops += 2.0 * (double)n * (double)n;
    }
    if (total) {
        double *Y = wi_dalloc(ctx, 2 * (n ? n : 1));
        if (!Y)
            return WIOT_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            Y[i] = WI_IN_BASE(i) && inputs[i] ? 1.0 : 0.0;
            Y[i + n] = WI_IN_BASE(i) ? 1.0 : 0.0;
        }
        rc = wi_solve_checked(ctx, lu, WIOT_TRANS, 2, Y, n, &inf);
        if (!rc)
            for (size_t j = 0; j < n; j++) {
                double num = Y[j] - (WI_IN_BASE(j) && inputs[j] ? 1.0 : 0.0);
                double den = Y[j + n] - (WI_IN_BASE(j) ? 1.0 : 0.0);
                double s = den > 0 ? num / den : 0.0;
                total[j] = s < 0 ? 0.0 : s > 1 ? 1.0 : s;   /* rounding at the ends */
            }
        wi_free(ctx, Y);
    }
#undef WI_IN_BASE
    if (!rc && info)
        *info = inf;
    return rc;
}

/* ------------------------------------------------------ trade in value added */
int wiot_tiva(wiot_ctx *ctx, const wiot_lu *lu, double *country, size_t ldc, double *sector,
              size_t lds, double *vafd, size_t ldv, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !country)
        return wi_error(ctx, WIOT_EINVAL, "wiot_tiva: NULL argument");
    int rc = wi_need_leontief(ctx, lu, "wiot_tiva");
    if (rc)
        return rc;
    const wiot_table *t = lu->t;
    const size_t n = t->n, C = t->C, S = t->S, K = t->K;
    if (ldc < C || (sector && lds < n) || (vafd && ldv < C))
        return wi_error(ctx, WIOT_EINVAL, "wiot_tiva: leading dimension too small (ldc %zu, C = %zu; "
                        "lds %zu, n = %zu; ldv %zu)", ldc, C, lds, n, ldv);
    size_t nC, CC;
    if ((rc = wi_mul(ctx, n, C, &nC)) || (rc = wi_mul(ctx, C, C, &CC)))
        return rc;
    /* e[n], Fd[n x C] final demand by destination country, Wc[n x C] VA shares by
     * origin country, M[C x C] VA of origin o in final demand of d */
    double *e = wi_dalloc(ctx, n), *Fd = wi_dalloc(ctx, nC), *Wc = wi_dalloc(ctx, nC);
    double *M = wi_dalloc(ctx, CC);
    double *X = NULL;
    if (!e || !Fd || !Wc || !M) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    wiot_info inf;
    wi_info_start(ctx, &inf, WIOT_METHOD_LU);
    /* gross exports: sales to buyers (intermediate or final) in other countries */
    memset(e, 0, n * sizeof *e);
    memset(Fd, 0, nC * sizeof *Fd);
    for (size_t k = 0; k < n; k++) {
        const double *z = t->Z + k * n;
        const size_t ck = k / S;
        for (size_t j = 0; j < n; j++)
            if (j / S != ck)
                e[j] += z[j];
    }
    for (size_t d = 0; d < C; d++)
        for (size_t q = 0; q < K; q++) {
            const double *f = t->F + (d * K + q) * n;
            double *fd = Fd + d * n;
            for (size_t j = 0; j < n; j++)
                fd[j] += f[j];
        }
    for (size_t d = 0; d < C; d++)
        for (size_t j = 0; j < n; j++)
            if (j / S != d)
                e[j] += Fd[j + d * n];
    double t0 = wi_now();
    rc = wi_origin(ctx, lu, NULL, C, WIOT_MEASURE_VA, Wc, n, &inf);
    if (rc)
        goto done;
    /* M = Wc^T Fd: VA of origin o absorbed in the final demand of d */
    {
        wi_threads th;
        wi_threads_begin(ctx, &th);
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)C, (int)C, (int)n, 1.0, Wc, (int)n,
                    Fd, (int)n, 0.0, M, (int)C);
        wi_threads_end(&th);
        inf.flops += 2.0 * (double)n * (double)C * (double)C;
    }
    for (size_t c = 0; c < C; c++)
        for (size_t it = 0; it < WIOT_TIVA_NITEMS; it++)
            country[c + it * ldc] = 0.0;
    for (size_t j = 0; j < n; j++) {
        const size_t c = j / S;
        country[c + WIOT_TIVA_EXPORTS * ldc] += e[j];
        country[c + WIOT_TIVA_VA * ldc] += t->v[j];
        if (!(t->x[j] > 0)) {
            country[c + WIOT_TIVA_NOORIGIN * ldc] += e[j];
            continue;
        }
        double dom = Wc[j + c * n];
        country[c + WIOT_TIVA_DVA * ldc] += dom * e[j];
        country[c + WIOT_TIVA_FVA * ldc] += (1.0 - dom) * e[j];
        for (size_t o = 0; o < C; o++)
            if (o != c)
                country[o + WIOT_TIVA_FORWARD * ldc] += Wc[j + o * n] * e[j];
    }
    for (size_t o = 0; o < C; o++)
        for (size_t d = 0; d < C; d++) {
            country[o + WIOT_TIVA_VAFD * ldc] += M[o + d * C];
            if (d != o)
                country[o + WIOT_TIVA_VAX * ldc] += M[o + d * C];
        }
    if (vafd)
        for (size_t d = 0; d < C; d++)
            for (size_t o = 0; o < C; o++)
                vafd[o + d * ldv] = M[o + d * C];
    if (sector) {
        /* by origin sector i: X = L [e^(c) | f_c | f] for every country c, where e^(c)
         * is e with c's own products zeroed; 2C + 1 right-hand sides */
        const size_t nr = 2 * C + 1;
        size_t nx;
        if ((rc = wi_mul(ctx, n, nr, &nx)))
            goto done;
        if (!(X = wi_dalloc(ctx, nx))) {
            rc = WIOT_ENOMEM;
            goto done;
        }
        double *Xf = X + 2 * C * n;
        memset(Xf, 0, n * sizeof *Xf);
        for (size_t c = 0; c < C; c++) {
            double *ec = X + c * n, *fc = X + (C + c) * n;
            for (size_t j = 0; j < n; j++) {
                ec[j] = j / S == c ? 0.0 : e[j];
                fc[j] = Fd[j + c * n];
                Xf[j] += fc[j];
            }
        }
        rc = wi_solve_checked(ctx, lu, WIOT_NOTRANS, nr, X, n, &inf);
        if (rc)
            goto done;
        for (size_t j = 0; j < n; j++) {
            const size_t c = j / S;
            const double av = wi_av(t, j), dom = t->x[j] > 0 ? Wc[j + c * n] : 0.0;
            const int has = t->x[j] > 0;
            sector[j + WIOT_TIVA_EXPORTS * lds] = e[j];
            sector[j + WIOT_TIVA_DVA * lds] = dom * e[j];
            sector[j + WIOT_TIVA_FVA * lds] = has ? (1.0 - dom) * e[j] : 0.0;
            sector[j + WIOT_TIVA_NOORIGIN * lds] = has ? 0.0 : e[j];
            sector[j + WIOT_TIVA_FORWARD * lds] = av * X[j + c * n];
            sector[j + WIOT_TIVA_VAX * lds] = av * (Xf[j] - X[j + (C + c) * n]);
            sector[j + WIOT_TIVA_VA * lds] = t->v[j];
            sector[j + WIOT_TIVA_VAFD * lds] = av * Xf[j];
        }
    }
    inf.seconds = wi_now() - t0 - inf.residual_seconds;
    if (info)
        *info = inf;
done:
    wi_free(ctx, e);
    wi_free(ctx, Fd);
    wi_free(ctx, Wc);
    wi_free(ctx, M);
    wi_free(ctx, X);
    return rc;
}

/* ------------------------------------------------------------ supply side */
int wiot_ghosh_exposure(wiot_ctx *ctx, const wiot_lu *glu, const double *dv, double *dx,
                        wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!glu || !dv || !dx)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ghosh_exposure: NULL argument");
    if (glu->model != WIOT_GHOSH)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ghosh_exposure needs a Ghosh factorization "
                        "(WIOT_GHOSH)");
    const size_t n = glu->n;
    double *b = wi_dalloc(ctx, n);
    if (!b)
        return WIOT_ENOMEM;
    memcpy(b, dv, n * sizeof *b);
    wiot_info inf;
    wi_info_start(ctx, &inf, WIOT_METHOD_LU);
    int rc = wi_solve_checked(ctx, glu, WIOT_TRANS, 1, b, n, &inf);   /* G^T dv */
    if (!rc) {
        memcpy(dx, b, n * sizeof *dx);
        if (info)
            *info = inf;
    }
    wi_free(ctx, b);
    return rc;
}

/* Coefficient of a removed link: A[i,j] = Z/x[j] (Leontief) or B[i,j] = Z/x[i]. */
static double wi_coef(const wiot_table *t, int model, size_t i, size_t j)
{
    double xd = model == WIOT_LEONTIEF ? t->x[j] : t->x[i];
    return xd > 0 ? t->Z[i + j * t->n] / xd : 0.0;
}

/* y <- M*^{-1} y (Leontief, M* = M + U W) or M*^{-T} y (Ghosh) for nrhs columns by
 * Woodbury on lu: U = the k source columns of I, W[r, j] = removed coefficient of
 * (src[r], j). Leontief: Y = M^{-1} U, cap = I + W Y,
 *   M*^{-1} b = M^{-1} b - Y cap^{-1} W M^{-1} b;
 * Ghosh: Y = M^{-T} W^T, cap = I + U^T Y,
 *   M*^{-T} b = M^{-T} b - Y cap^{-1} U^T M^{-T} b. */
static int wi_extract_woodbury(wiot_ctx *ctx, const wiot_lu *lu, const wi_links *lk,
                               const size_t *src, size_t k, double *B, size_t nrhs, wiot_info *inf)
{
    const wiot_table *t = lu->t;
    const size_t n = t->n, S = t->S;
    const int leo = lu->model == WIOT_LEONTIEF;
    size_t nk, kk, km;
    lapack_int lk_, lm;   /* checked: k and nrhs fit LAPACK's integers */
    int rc;
    if ((rc = wi_mul(ctx, n, k, &nk)) || (rc = wi_mul(ctx, k, k, &kk)) ||
        (rc = wi_mul(ctx, k, nrhs, &km)) || (rc = wi_lapack_int(ctx, k, &lk_)) ||
        (rc = wi_lapack_int(ctx, nrhs, &lm)))
        return rc;
    double *Y = wi_dalloc(ctx, nk), *W = wi_dalloc(ctx, nk), *cap = wi_dalloc(ctx, kk);
    double *Z = wi_dalloc(ctx, km), *work = wi_dalloc(ctx, 4 * k);
    lapack_int *piv = wi_calloc(ctx, k, sizeof *piv), *iwork = wi_calloc(ctx, k, sizeof *iwork);
    if (!Y || !W || !cap || !Z || !work || !piv || !iwork) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    /* W (k x n, ld k): the removed coefficients of each source row */
    memset(W, 0, nk * sizeof *W);
    for (size_t r = 0; r < k; r++)
        for (size_t j = 0; j < n; j++)
            if (wi_removed(lk, S, src[r], j))
                W[r + j * k] = wi_coef(t, lu->model, src[r], j);
    /* Y (n x k) */
    memset(Y, 0, nk * sizeof *Y);
    for (size_t r = 0; r < k; r++) {
        if (leo)
            Y[src[r] + r * n] = 1.0;
        else
            for (size_t j = 0; j < n; j++)
                Y[j + r * n] = W[r + j * k];
    }
    if ((rc = wi_lu_solve(ctx, lu, leo ? WIOT_NOTRANS : WIOT_TRANS, k, Y, n)))
        goto done;
    /* the baseline solves of the right-hand sides */
    if ((rc = wi_lu_solve(ctx, lu, leo ? WIOT_NOTRANS : WIOT_TRANS, nrhs, B, n)))
        goto done;
    wi_threads th;
    wi_threads_begin(ctx, &th);
    if (leo) {   /* Z = W B; cap = I + W Y below */
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)k, (int)nrhs, (int)n, 1.0, W,
                    (int)k, B, (int)n, 0.0, Z, (int)k);
    } else {     /* cap = I + U^T Y = I + Y[src, :]; Z = B[src, :] */
        for (size_t c = 0; c < k; c++)
            for (size_t r = 0; r < k; r++)
                cap[r + c * k] = Y[src[r] + c * n];
        for (size_t q = 0; q < nrhs; q++)
            for (size_t r = 0; r < k; r++)
                Z[r + q * k] = B[src[r] + q * n];
    }
    /* the capacitance, factored with its condition, and B -= Y cap^{-1} Z (model/lowrank.c) */
    double rcond = 0;
    int linfo = wi_lowrank_factor(k, n, 1.0, leo ? W : NULL, k, Y, n, cap, piv, work, iwork, &rcond);
    if (linfo == 0)
        linfo = wi_lowrank_apply(n, k, nrhs, 1.0, Y, n, cap, piv, Z, k, B, n);
    wi_threads_end(&th);
    const double dn = (double)n, dk = (double)k, dm = (double)nrhs;
    inf->flops += 2 * dn * dn * (dk + dm) + (leo ? 2 * dk * dk * dn + 2 * dk * dn * dm : 0) +
                  2.0 / 3.0 * dk * dk * dk + 2 * dk * dk * dm + 2 * dn * dk * dm;
    if (linfo > 0)
        rc = wi_error(ctx, WIOT_ESINGULAR, "the extracted system is singular to working precision "
                      "(Woodbury capacitance rcond %.2g)", rcond);
    else if (linfo < 0)
        rc = wi_error(ctx, WIOT_ELAPACK, "dgetrf/dgetrs: argument %d invalid", (int)-linfo);
done:
    wi_free(ctx, Y);
    wi_free(ctx, W);
    wi_free(ctx, cap);
    wi_free(ctx, Z);
    wi_free(ctx, work);
    wi_free(ctx, piv);
    wi_free(ctx, iwork);
    return rc;
}

/* The brute-force route: a fresh LU of the extracted system. */
static int wi_extract_dense(wiot_ctx *ctx, const wiot_lu *lu, const wi_links *lk, double *B,
                            size_t nrhs, wiot_info *inf)
{
    const wiot_table *t = lu->t;
    const size_t n = t->n, S = t->S;
    size_t nn;
    lapack_int ln, lm;
    int rc;
    if ((rc = wi_mul(ctx, n, n, &nn)) || (rc = wi_lapack_int(ctx, n, &ln)) ||
        (rc = wi_lapack_int(ctx, nrhs, &lm)))
        return rc;
    double *Ms = wi_dalloc(ctx, nn);
    lapack_int *piv = wi_calloc(ctx, n ? n : 1, sizeof *piv);
    if (!Ms || !piv) {
        wi_free(ctx, Ms);
        wi_free(ctx, piv);
        return WIOT_ENOMEM;
    }
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            double a = lk->src[i] && wi_removed(lk, S, i, j) ? 0.0 : wi_coef(t, lu->model, i, j);
            Ms[i + j * n] = (i == j) - a;
        }
    wi_threads th;
    wi_threads_begin(ctx, &th);
    lapack_int linfo = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, ln, ln, Ms, ln, piv);
    if (linfo == 0)
        linfo = LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, lu->model == WIOT_LEONTIEF ? 'N' : 'T', ln, lm,
                                    Ms, ln, piv, B, ln);
    wi_threads_end(&th);
    double fl = 2.0 / 3.0 * (double)n * (double)n * (double)n + 2.0 * (double)n * (double)n * (double)nrhs;
    inf->flops += fl;
    wi_account(ctx, fl, 0.0);
    wi_free(ctx, Ms);
    wi_free(ctx, piv);
    if (linfo > 0)
        return wi_error(ctx, WIOT_ESINGULAR, "the extracted system is singular: U(%d,%d) = 0",
                        (int)linfo, (int)linfo);
    if (linfo < 0)
        return wi_error(ctx, WIOT_ELAPACK, "dgetrf/dgetrs: argument %d invalid", (int)-linfo);
    return WIOT_OK;
}

int wiot_extract(wiot_ctx *ctx, const wiot_lu *lu, const unsigned char *source,
                 const unsigned char *to, int flags, int method, double *lost, double *lost_final,
                 wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !source || !lost)
        return wi_error(ctx, WIOT_EINVAL, "wiot_extract: NULL argument");
    if (flags & ~WIOT_EXTRACT_FOREIGN)
        return wi_error(ctx, WIOT_EINVAL, "wiot_extract: unknown flags %#x", (unsigned)flags);
    if (method != WIOT_METHOD_NONE && method != WIOT_METHOD_WOODBURY && method != WIOT_METHOD_DENSE)
        return wi_error(ctx, WIOT_EINVAL, "wiot_extract: method must be WIOT_METHOD_NONE, "
                        "WIOT_METHOD_WOODBURY or WIOT_METHOD_DENSE, not %d", method);
    const wiot_table *t = lu->t;
    const size_t n = t->n, S = t->S, C = t->C, K = t->K;
    const int leo = lu->model == WIOT_LEONTIEF;
    const size_t nrhs = leo && lost_final ? 2 : 1;
    wi_links lk = {source, to, flags & WIOT_EXTRACT_FOREIGN};
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += source[i] != 0;
    if (method == WIOT_METHOD_NONE)
        method = 3 * k <= n ? WIOT_METHOD_WOODBURY : WIOT_METHOD_DENSE;
    size_t *src = wi_calloc(ctx, k ? k : 1, sizeof *src);
    double *x0 = wi_dalloc(ctx, n), *B = wi_dalloc(ctx, 2 * (n ? n : 1)), *B0 = NULL;
    int rc = WIOT_OK;
    if (!src || !x0 || !B) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    for (size_t i = 0, r = 0; i < n; i++)
        if (source[i])
            src[r++] = i;
    wiot_info inf;
    wi_info_start(ctx, &inf, method);
    inf.rank = k;
    double t0 = wi_now();
    /* the model's baseline: x0 = L f (Leontief) or G^T v (Ghosh) */
    for (size_t i = 0; i < n; i++) {
        double f = 0;
        for (size_t q = 0; q < C * K; q++)
            f += t->F[i + q * n];
        x0[i] = leo ? f : t->v[i];
    }
    if ((rc = wi_lu_solve(ctx, lu, leo ? WIOT_NOTRANS : WIOT_TRANS, 1, x0, n)))
        goto done;
    inf.flops += 2.0 * (double)n * (double)n;
    /* right-hand sides: lost = M*^{-1} (M* x0 - f*), whose only non-zeros are the
     * removed flows at baseline output (and the removed final sales):
     *   Leontief: b[i] = sum_{j removed} A[i,j] x0[j]  (+ removed F[i, .])
     *   Ghosh:    b[j] = sum_{i removed} x0[i] B[i,j] */
    memset(B, 0, 2 * n * sizeof *B);
    for (size_t r = 0; r < k; r++) {
        const size_t i = src[r];
        for (size_t j = 0; j < n; j++) {
            if (!wi_removed(&lk, S, i, j))
                continue;
            double a = wi_coef(t, lu->model, i, j);
            if (leo)
                B[i] += a * x0[j];
            else
                B[j] += a * x0[i];
        }
    }
    if (nrhs == 2) {
        memcpy(B + n, B, n * sizeof *B);
        for (size_t r = 0; r < k; r++) {
            const size_t i = src[r];
            for (size_t d = 0; d < C; d++) {
                if ((to && !to[d]) || (lk.foreign && d == i / S))
                    continue;
                for (size_t q = 0; q < K; q++)
                    B[i + n] += t->F[i + (d * K + q) * n];
            }
        }
    }
    if (ctx->residual) {
        if (!(B0 = wi_dalloc(ctx, 2 * (n ? n : 1)))) {
            rc = WIOT_ENOMEM;
            goto done;
        }
        memcpy(B0, B, nrhs * n * sizeof *B);
    }
    if (k == 0)   /* nothing removed: nothing lost (B is 0) */
        ;
    else if (method == WIOT_METHOD_WOODBURY)
        rc = wi_extract_woodbury(ctx, lu, &lk, src, k, B, nrhs, &inf);
    else
        rc = wi_extract_dense(ctx, lu, &lk, B, nrhs, &inf);
    if (rc)
        goto done;
    inf.seconds = wi_now() - t0;
    if (B0) {
        double r0 = wi_now();
        rc = wi_resid(ctx, t, lu->model, leo ? WIOT_NOTRANS : WIOT_TRANS, &lk, B, n, B0, n, nrhs,
                      &inf.residual);
        inf.residual_seconds = wi_now() - r0;
        if (rc)
            goto done;
    }
    memcpy(lost, B, n * sizeof *lost);
    if (lost_final)
        memcpy(lost_final, B + (nrhs - 1) * n, n * sizeof *lost_final);
    if (info)
        *info = inf;
done:
    wi_free(ctx, src);
    wi_free(ctx, x0);
    wi_free(ctx, B);
    wi_free(ctx, B0);
    return rc;
}
