/* accounts.c -- intensities, multipliers and footprints of an extension (METHODS.md
 * §8): S = F diag(x)^{-1}, M = S L and M_down = S (G^T - I) by solves on the
 * factorization (never forming L or G), and the accounts D_cba, D_pba, D_imp, D_exp
 * by country (and by sector) as pymrio defines them. */
#include "satellite/satellite.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

static int wi_ext_fits(wiot_ctx *ctx, const wiot_table *t, const wiot_extension *e, const char *fn)
{
    if (e->n != t->n || e->C != t->C || e->S != t->S || e->K != t->K)
        return wi_error(ctx, WIOT_EINVAL, "%s: the extension was read for a table of %zu x %zu "
                        "country-sectors and %zu final-demand categories, this one has %zu x %zu "
                        "and %zu", fn, e->C, e->S, e->K, t->C, t->S, t->K);
    return WIOT_OK;
}

static double wi_inv(const wiot_table *t, size_t j) { return t->x[j] > 0 ? 1.0 / t->x[j] : 0.0; }

static void wi_info0(const wiot_ctx *ctx, wiot_info *in)
{
    memset(in, 0, sizeof *in);
    in->method = WIOT_METHOD_LU;
    in->residual = ctx->residual ? 0.0 : -1.0;
}

/* max |op(I - A or I - B) Y - R| over m columns, from Z and x (no n x n temporary
 * but one n x m). cost 2n^2 m. */
static int wi_sat_resid(wiot_ctx *ctx, const wiot_lu *lu, int trans, const double *Y, const double *R,
                        size_t m, double *res)
{
    const wiot_table *t = lu->t;
    const size_t n = t->n;
    size_t nm;
    int rc = wi_mul(ctx, n, m, &nm);
    if (rc)
        return rc;
    if (!n || !m) {
        *res = 0;
        return WIOT_OK;
    }
    double *W = wi_dalloc(ctx, nm), *T = wi_dalloc(ctx, nm);
    if (!W || !T) {
        wi_free(ctx, W);
        wi_free(ctx, T);
        return WIOT_ENOMEM;
    }
    const int ghosh = lu->model == WIOT_GHOSH;
    /* Leontief N: Y - Z (Y/x); T: Y - (Z^T Y)/x. Ghosh N: Y - (Z Y)/x; T: Y - Z^T (Y/x) */
    const int pre = (!ghosh && trans == WIOT_NOTRANS) || (ghosh && trans == WIOT_TRANS);
    for (size_t q = 0; q < m; q++)
        for (size_t j = 0; j < n; j++)
            W[j + q * n] = pre ? Y[j + q * n] * wi_inv(t, j) : Y[j + q * n];
    wi_threads th;
    wi_threads_begin(ctx, &th);
    cblas_dgemm(CblasColMajor, trans == WIOT_TRANS ? CblasTrans : CblasNoTrans, CblasNoTrans, (int)n,
                (int)m, (int)n, 1.0, t->Z, (int)n, W, (int)n, 0.0, T, (int)n);
    wi_threads_end(&th);
    double r = 0;
    for (size_t q = 0; q < m; q++)
        for (size_t j = 0; j < n; j++) {
            double v = T[j + q * n] * (pre ? 1.0 : wi_inv(t, j));
            double d = fabs(Y[j + q * n] - v - R[j + q * n]);
            if (d > r || d != d)
                r = d;
        }
    *res = r;
    wi_free(ctx, W);
    wi_free(ctx, T);
    return WIOT_OK;
}

/* Solve in place, with accounting and (WIOT_OPT_RESIDUAL) the residual. */
static int wi_sat_solve(wiot_ctx *ctx, const wiot_lu *lu, int trans, size_t m, double *B, wiot_info *in)
{
    const size_t n = lu->n;
    double *copy = NULL;
    size_t nm;
    int rc = wi_mul(ctx, n, m, &nm);
    if (rc)
        return rc;
    if (ctx->residual && nm) {
        if (!(copy = wi_dalloc(ctx, nm)))
            return WIOT_ENOMEM;
        memcpy(copy, B, nm * sizeof *copy);
    }
    double t0 = wi_now();
    rc = wi_lu_solve(ctx, lu, trans, m, B, n);
    in->seconds += wi_now() - t0;
    in->flops += 2.0 * (double)n * (double)n * (double)m;
    if (!rc && copy) {
        double r0 = wi_now(), res = 0;
        rc = wi_sat_resid(ctx, lu, trans, B, copy, m, &res);
        in->residual_seconds += wi_now() - r0;
        if (!rc && (res > in->residual || res != res))
            in->residual = res;
    }
    wi_free(ctx, copy);
    return rc;
}

/* NaN/Inf in a result: WIOT_EDATA naming the stressor and the column. */
static int wi_sat_finite(wiot_ctx *ctx, const wiot_extension *e, const char *what, const double *v,
                         size_t cols, size_t ld, char *const *country)
{
    for (size_t c = 0; c < cols; c++)
        for (size_t k = 0; k < e->p; k++)
            if (!isfinite(v[k + c * ld]))
                return wi_error(ctx, WIOT_EDATA, "%s of stressor '%s' is %g (column %zu%s%s)", what,
                                e->name[k], v[k + c * ld], c, country ? ", country " : "",
                                country ? country[c % e->C] : "");
    return WIOT_OK;
}

int wiot_ext_intensities(wiot_ctx *ctx, const wiot_table *t, const wiot_extension *e, double *S,
                         size_t lds)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !e || !S)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ext_intensities: NULL argument");
    int rc = wi_ext_fits(ctx, t, e, "wiot_ext_intensities");
    if (rc)
        return rc;
    if (lds < e->p)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ext_intensities: lds %zu < p = %zu", lds, e->p);
    for (size_t j = 0; j < t->n; j++) {
        const double w = wi_inv(t, j);
        for (size_t k = 0; k < e->p; k++)
            S[k + j * lds] = e->F[k + j * e->p] * w;
    }
    return WIOT_OK;
}

int wiot_ext_multipliers(wiot_ctx *ctx, const wiot_lu *lu, const wiot_extension *e, double *M,
                         size_t ldm, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !e || !M)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ext_multipliers: NULL argument");
    const wiot_table *t = lu->t;
    int rc = wi_ext_fits(ctx, t, e, "wiot_ext_multipliers");
    if (rc)
        return rc;
    const size_t n = t->n, p = e->p;
    if (ldm < p)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ext_multipliers: ldm %zu < p = %zu", ldm, p);
    size_t np;
    if ((rc = wi_mul(ctx, n, p, &np)) ||
        (rc = wi_budget(ctx, np * sizeof(double), "the multipliers' workspace", "%zu x %zu", n, p)))
        return rc;
    double *Y = wi_dalloc(ctx, np ? np : 1);
    if (!Y)
        return WIOT_ENOMEM;
    for (size_t k = 0; k < p; k++)   /* Y = S^T */
        for (size_t j = 0; j < n; j++)
            Y[j + k * n] = e->F[k + j * p] * wi_inv(t, j);
    wiot_info in;
    wi_info0(ctx, &in);
    const int ghosh = lu->model == WIOT_GHOSH;
    rc = wi_sat_solve(ctx, lu, ghosh ? WIOT_NOTRANS : WIOT_TRANS, p, Y, &in);
    for (size_t j = 0; !rc && j < n; j++)
        for (size_t k = 0; k < p; k++)
            if (!isfinite(Y[j + k * n]))
                rc = wi_error(ctx, WIOT_EDATA, "multiplier of stressor '%s' is %g in column %zu",
                              e->name[k], Y[j + k * n], j);
    if (!rc) {
        for (size_t j = 0; j < n; j++)
            for (size_t k = 0; k < p; k++)
                M[k + j * ldm] = Y[j + k * n] - (ghosh ? e->F[k + j * p] * wi_inv(t, j) : 0.0);
        if (info)
            *info = in;
    }
    wi_free(ctx, Y);
    return rc;
}

/* Final demand by country, Y[n x C] (summed over categories), or the table's F. */
static void wi_fd_by_country(const wiot_table *t, double *Y)
{
    const size_t n = t->n;
    memset(Y, 0, n * t->C * sizeof *Y);
    for (size_t d = 0; d < t->C; d++)
        for (size_t q = 0; q < t->K; q++) {
            const double *f = t->F + (d * t->K + q) * n;
            for (size_t i = 0; i < n; i++)
                Y[i + d * n] += f[i];
        }
}

int wiot_footprint(wiot_ctx *ctx, const wiot_lu *lu, const wiot_extension *e, double *acc, size_t lda,
                   double *cat, size_t ldc, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !e || !acc)
        return wi_error(ctx, WIOT_EINVAL, "wiot_footprint: NULL argument");
    if (lu->model != WIOT_LEONTIEF)
        return wi_error(ctx, WIOT_EINVAL, "wiot_footprint needs a Leontief factorization");
    const wiot_table *t = lu->t;
    int rc = wi_ext_fits(ctx, t, e, "wiot_footprint");
    if (rc)
        return rc;
    const size_t n = t->n, p = e->p, C = t->C, K = t->K, S = t->S, CK = C * K;
    if (lda < p || (cat && ldc < p))
        return wi_error(ctx, WIOT_EINVAL, "wiot_footprint: leading dimension below p = %zu", p);
    const size_t m = cat ? CK : C;
    size_t nm, need;
    if ((rc = wi_mul(ctx, n, m + C + 1, &nm)) || (rc = wi_mul(ctx, nm, sizeof(double), &need)) ||
        (rc = wi_add(ctx, need, (4 * C + CK) * p * sizeof(double), &need)) ||
        (rc = wi_budget(ctx, need, "the footprint's workspace", "n = %zu, %zu right-hand sides", n, m)))
        return rc;
    double *X = wi_dalloc(ctx, n * m + (n * m == 0));           /* L F or L Y */
    double *Xs = wi_dalloc(ctx, n * C + (n * C == 0));          /* L Y scaled, domestic block 0 */
    double *xe = wi_dalloc(ctx, n ? n : 1);
    double *A = wi_calloc(ctx, 4 * C * p + CK * p + 1, sizeof(double));
    if (!X || !Xs || !xe || !A) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    if (cat && n && CK)
        memcpy(X, t->F, n * CK * sizeof *X);
    else if (!cat)
        wi_fd_by_country(t, X);
    wiot_info in;
    wi_info0(ctx, &in);
    if ((rc = wi_sat_solve(ctx, lu, WIOT_NOTRANS, m, X, &in)))
        goto done;
    double t0 = wi_now();
    /* Xa = L Y by country; cat: the sum of the category columns */
    double *Xa = X;
    if (cat) {
        Xa = Xs;   /* build by country into Xs first, then scale a copy below */
        memset(Xa, 0, n * C * sizeof *Xa);
        for (size_t d = 0; d < C; d++)
            for (size_t q = 0; q < K; q++)
                for (size_t i = 0; i < n; i++)
                    Xa[i + d * n] += X[i + (d * K + q) * n];
    }
    double *dom = A, *imp = A + 2 * C * p, *exp_ = A + 3 * C * p, *pba = A + C * p, *cv = A + 4 * C * p;
    /* dom[k,c] = sum_{j in c} s_kj Xa[j,c]; exp[k,c] = sum_{j in c} s_kj sum_{d != c} Xa[j,d] */
    for (size_t j = 0; j < n; j++) {
        const size_t c = j / S;
        const double w = wi_inv(t, j);
        double fx = 0;
        for (size_t d = 0; d < C; d++)
            if (d != c)
                fx += Xa[j + d * n];
        xe[j] = fx;
        const double xd = Xa[j + c * n];
        for (size_t k = 0; k < p; k++) {
            const double s = e->F[k + j * p] * w;
            dom[k + c * p] += s * xd;
            exp_[k + c * p] += s * fx;
        }
    }
    /* imp = F diag(1/x) (Xa with the domestic blocks set to 0), pymrio's S x_trade */
    double *Xf = cat ? X : Xs;
    if (cat) {
        /* X (the category solutions) is still needed for cv: compute cv first */
        for (size_t q = 0; q < CK; q++)
            for (size_t i = 0; i < n; i++)
                X[i + q * n] *= wi_inv(t, i);
        if (n && p && CK)
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)p, (int)CK, (int)n, 1.0, e->F,
                        (int)p, X, (int)n, 0.0, cv, (int)p);
        if (e->FY)
            for (size_t q = 0; q < CK * p; q++)
                cv[q] += e->FY[q];
        Xf = X;   /* reuse as n x C */
    }
    for (size_t d = 0; d < C; d++)
        for (size_t i = 0; i < n; i++)
            Xf[i + d * n] = i / S == d ? 0.0 : Xa[i + d * n] * wi_inv(t, i);
    if (n && p && C) {
        wi_threads th;
        wi_threads_begin(ctx, &th);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)p, (int)C, (int)n, 1.0, e->F, (int)p,
                    Xf, (int)n, 0.0, imp, (int)p);
        wi_threads_end(&th);
    }
    /* pba = dom + exp + F_Y; cba = dom + imp + F_Y (stored: cba over dom) */
    for (size_t c = 0; c < C; c++)
        for (size_t k = 0; k < p; k++) {
            double fy = 0;
            for (size_t q = 0; e->FY && q < K; q++)
                fy += e->FY[k + (c * K + q) * p];
            const double d0 = dom[k + c * p];
            pba[k + c * p] = d0 + exp_[k + c * p] + fy;
            dom[k + c * p] = d0 + imp[k + c * p] + fy;   /* now D_cba */
        }
    in.seconds += wi_now() - t0;
    in.flops += 2.0 * (double)p * (double)n * (double)(C + (cat ? CK : 0)) + 4.0 * (double)p * (double)n;
    if ((rc = wi_sat_finite(ctx, e, "footprint", A, 4 * C, p, t->country)))
        goto done;
    if (cat && (rc = wi_sat_finite(ctx, e, "footprint by category", cv, CK, p, NULL)))
        goto done;
    for (size_t a = 0; a < 4 * C; a++)
        memcpy(acc + a * lda, A + a * p, p * sizeof(double));
    for (size_t q = 0; cat && q < CK; q++)
        memcpy(cat + q * ldc, cv + q * p, p * sizeof(double));
    if (info)
        *info = in;
done:
    wi_free(ctx, X);
    wi_free(ctx, Xs);
    wi_free(ctx, xe);
    wi_free(ctx, A);
    return rc;
}

int wiot_footprint_sectors(wiot_ctx *ctx, const wiot_lu *lu, const wiot_extension *e, double *D,
                           size_t ldd, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !e || !D)
        return wi_error(ctx, WIOT_EINVAL, "wiot_footprint_sectors: NULL argument");
    if (lu->model != WIOT_LEONTIEF)
        return wi_error(ctx, WIOT_EINVAL, "wiot_footprint_sectors needs a Leontief factorization");
    const wiot_table *t = lu->t;
    int rc = wi_ext_fits(ctx, t, e, "wiot_footprint_sectors");
    if (rc)
        return rc;
    const size_t n = t->n, p = e->p, C = t->C, S = t->S;
    if (ldd < p)
        return wi_error(ctx, WIOT_EINVAL, "wiot_footprint_sectors: ldd %zu < p = %zu", ldd, p);
    size_t pC, npC, need;
    if ((rc = wi_mul(ctx, p, C, &pC)) || (rc = wi_mul(ctx, n, pC + 2 * C, &npC)) ||
        (rc = wi_mul(ctx, npC, sizeof(double), &need)) ||
        (rc = wi_add(ctx, need, 4 * n * p * sizeof(double), &need)) ||
        (rc = wi_budget(ctx, need, "the sector footprint's workspace", "%zu right-hand sides of %zu",
                        pC, n)))
        return rc;
    double *R = wi_dalloc(ctx, n * pC + (n * pC == 0));   /* column r*p + k: S_r^T, then M_r^T */
    double *Y = wi_dalloc(ctx, n * C + (n * C == 0));
    double *X = wi_dalloc(ctx, n * C + (n * C == 0));
    double *out = wi_calloc(ctx, 4 * n * p + 1, sizeof(double));
    if (!R || !Y || !X || !out) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    memset(R, 0, n * pC * sizeof *R);
    for (size_t j = 0; j < n; j++) {
        const size_t r = j / S;
        for (size_t k = 0; k < p; k++)
            R[j + (r * p + k) * n] = e->F[k + j * p] * wi_inv(t, j);
    }
    wi_fd_by_country(t, Y);
    memcpy(X, Y, n * C * sizeof *X);
    wiot_info in;
    wi_info0(ctx, &in);
    if ((rc = wi_sat_solve(ctx, lu, WIOT_TRANS, pC, R, &in)) ||
        (rc = wi_sat_solve(ctx, lu, WIOT_NOTRANS, C, X, &in)))
        goto done;
    double t0 = wi_now();
    double *cba = out, *pba = out + n * p, *imp = out + 2 * n * p, *exp_ = out + 3 * n * p;
    for (size_t i = 0; i < n; i++) {
        const size_t s = i % S;
        for (size_t k = 0; k < p; k++) {
            double Mt = 0;   /* M[k,i] = sum_r M_r[k,i] */
            for (size_t r = 0; r < C; r++)
                Mt += R[i + (r * p + k) * n];
            for (size_t d = 0; d < C; d++) {
                const double y = Y[i + d * n];
                if (y == 0)
                    continue;
                cba[k + (d * S + s) * p] += Mt * y;
                imp[k + (d * S + s) * p] += (Mt - R[i + (d * p + k) * n]) * y;
            }
        }
    }
    for (size_t j = 0; j < n; j++) {
        const size_t c = j / S;
        double xt = 0, xf = 0;
        for (size_t d = 0; d < C; d++) {
            xt += X[j + d * n];
            if (d != c)
                xf += X[j + d * n];
        }
        for (size_t k = 0; k < p; k++) {
            const double s = e->F[k + j * p] * wi_inv(t, j);
            pba[k + j * p] = s * xt;
            exp_[k + j * p] = s * xf;
        }
    }
    in.seconds += wi_now() - t0;
    in.flops += 2.0 * (double)n * (double)p * (double)C * 2.0;
    if ((rc = wi_sat_finite(ctx, e, "sector footprint", out, 4 * n, p, NULL)))
        goto done;
    for (size_t a = 0; a < 4 * n; a++)
        memcpy(D + a * ldd, out + a * p, p * sizeof(double));
    if (info)
        *info = in;
done:
    wi_free(ctx, R);
    wi_free(ctx, Y);
    wi_free(ctx, X);
    wi_free(ctx, out);
    return rc;
}

int wiot_ext_embodied(wiot_ctx *ctx, const wiot_lu *lu, const wiot_extension *e, const double *B, size_t m,
                      size_t ldb, double *E, size_t lde, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !e || (m && (!B || !E)))
        return wi_error(ctx, WIOT_EINVAL, "wiot_ext_embodied: NULL argument");
    if (lu->model != WIOT_LEONTIEF)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ext_embodied needs a Leontief factorization");
    const wiot_table *t = lu->t;
    int rc = wi_ext_fits(ctx, t, e, "wiot_ext_embodied");
    if (rc)
        return rc;
    const size_t n = t->n, p = e->p, C = t->C, S = t->S;
    if (ldb < n || lde < p)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ext_embodied: ldb %zu < n = %zu or lde %zu < p = %zu", ldb, n,
                        lde, p);
    size_t nm, cm;
    if ((rc = wi_mul(ctx, n, m, &nm)) || (rc = wi_mul(ctx, C * p, m, &cm)) ||
        (rc = wi_budget(ctx, (nm + cm) * sizeof(double), "the embodied stressors' workspace", NULL)))
        return rc;
    double *X = wi_dalloc(ctx, nm + 1), *out = wi_calloc(ctx, cm + 1, sizeof(double));
    if (!X || !out) {
        wi_free(ctx, X);
        wi_free(ctx, out);
        return WIOT_ENOMEM;
    }
    for (size_t q = 0; q < m; q++)
        memcpy(X + q * n, B + q * ldb, n * sizeof *X);
    wiot_info in;
    wi_info0(ctx, &in);
    rc = wi_sat_solve(ctx, lu, WIOT_NOTRANS, m, X, &in);
    if (!rc) {
        for (size_t q = 0; q < m; q++)
            for (size_t i = 0; i < n; i++) {
                const double xi = X[i + q * n] * wi_inv(t, i);
                double *o = out + (i / S + q * C) * p;
                for (size_t k = 0; k < p; k++)
                    o[k] += e->F[k + i * p] * xi;
            }
        in.flops += 2.0 * (double)p * (double)n * (double)m;
        rc = wi_sat_finite(ctx, e, "embodied stressor", out, C * m, p, t->country);
    }
    if (!rc) {
        for (size_t c = 0; c < C * m; c++)
            memcpy(E + c * lde, out + c * p, p * sizeof(double));
        if (info)
            *info = in;
    }
    wi_free(ctx, X);
    wi_free(ctx, out);
    return rc;
}
