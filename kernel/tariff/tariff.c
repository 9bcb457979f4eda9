/* tariff.c -- tariff pass-through: direct costs, first-order cumulative tariffs, the
 * exact cascading price model, final users' prices, revenue and money burdens
 * (kernel/METHODS.md §3). Schedules are C x C x S; no n x n tariff matrix is ever formed. */
#include "tariff/tariff.h"

#include <math.h>
#include <string.h>
#include <cblas.h>

/* rate importer d levies on (exporter c, sector s) */

static int wi_same_dims(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s)
{
    if (s->C != t->C || s->S != t->S)
        return wi_error(ctx, WIOT_EINVAL,
                        "schedule is %zu countries x %zu sectors but the table is %zu x %zu", s->C,
                        s->S, t->C, t->S);
    return WIOT_OK;
}

static int wi_check_rho(wiot_ctx *ctx, double rho)
{
    if (!(rho >= 0.0 && rho <= 1.0))
        return wi_error(ctx, WIOT_EINVAL, "pass-through rate %g is not in [0, 1]", rho);
    return WIOT_OK;
}

/* Countries imposing a non-zero rate; returns their count. */

/* out[j] = rho * sum_i A[i,j] T[i,j] p[i] for every buyer j (0 outside imposing
 * countries): (rho E^T p). With p == NULL, p = 1 (the direct cost d). */
void wi_Et_apply(int nt, const wiot_table *t, const wiot_schedule *s, const size_t *imp,
                 size_t nimp, double rho, const double *p, double *out)
{
    const size_t n = t->n, S = t->S, C = t->C;
    memset(out, 0, n * sizeof *out);
    const size_t cols = nimp * S;
#pragma omp parallel for num_threads(nt) schedule(static) if (cols * n >= 1u << 18)
    for (size_t r = 0; r < cols; r++) {
        const size_t d = imp[r / S], j = d * S + r % S;
        if (!(t->x[j] > 0))
            continue;
        const double *z = t->Z + j * n;
        double acc = 0.0;
        for (size_t c = 0; c < C; c++) {
            if (c == d)
                continue;
            const double *rate = &WI_RATE(s, d, c, 0);
            const double *zc = z + c * S;
            if (p) {
                const double *pc = p + c * S;
                for (size_t k = 0; k < S; k++)
                    acc += zc[k] * rate[k] * pc[k];
            } else {
                for (size_t k = 0; k < S; k++)
                    acc += zc[k] * rate[k];
            }
        }
        out[j] = rho * acc / t->x[j];
    }
}

int wiot_tariff_direct(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s, double rho,
                       double *d)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !s || !d)
        return wi_error(ctx, WIOT_EINVAL, "wiot_tariff_direct: NULL argument");
    int rc = wi_same_dims(ctx, t, s);
    if (!rc)
        rc = wi_check_rho(ctx, rho);
    if (rc)
        return rc;
    size_t *imp = wi_calloc(ctx, t->C ? t->C : 1, sizeof *imp);
    if (!imp)
        return WIOT_ENOMEM;
    size_t m = wi_imposers(s, imp);
    wi_Et_apply(wi_nthreads(ctx), t, s, imp, m, rho, NULL, d);
    wi_free(ctx, imp);
    return WIOT_OK;
}

int wiot_tariff_cumulative(wiot_ctx *ctx, const wiot_lu *lu, const double *d, double *c)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !d || !c)
        return wi_error(ctx, WIOT_EINVAL, "wiot_tariff_cumulative: NULL argument");
    if (lu->model != WIOT_LEONTIEF)
        return wi_error(ctx, WIOT_EINVAL, "wiot_tariff_cumulative needs a Leontief factorization");
    const size_t n = lu->n;
    double *b = wi_dalloc(ctx, n);
    if (!b)
        return WIOT_ENOMEM;
    memcpy(b, d, n * sizeof *b);
    int rc = wi_lu_solve(ctx, lu, WIOT_TRANS, 1, b, n);
    if (!rc)
        memcpy(c, b, n * sizeof *c);
    wi_free(ctx, b);
    return rc;
}

/* ------------------------------------------------------- exact price model */
/* r = d - (I - A^T - rho E^T) p; returns ||r||_inf. tmp[n] scratch. */
static double wi_exact_residual(const wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s,
                                const size_t *imp, size_t nimp, double rho, const double *d,
                                const double *p, double *r, double *tmp)
{
    const size_t n = t->n;
    /* (A^T p)[j] = (Z^T p)[j] / x[j] */
    wi_threads th;
    wi_threads_begin(ctx, &th);
    cblas_dgemv(CblasColMajor, CblasTrans, (int)n, (int)n, 1.0, t->Z, (int)n, p, 1, 0.0, r, 1);
    wi_threads_end(&th);
    for (size_t j = 0; j < n; j++)
        r[j] = t->x[j] > 0 ? r[j] / t->x[j] : 0.0;
    wi_Et_apply(wi_nthreads(ctx), t, s, imp, nimp, rho, p, tmp);
    double worst = 0.0;
    for (size_t j = 0; j < n; j++) {
        r[j] = d[j] - (p[j] - r[j] - tmp[j]);
        double a = fabs(r[j]);
        if (a > worst || a != a)
            worst = a;
    }
    return worst;
}

/* Woodbury state: M = M0 - P W, M0 = I - A^T, P selects the k buyer rows j_r of the
 * imposing countries, W[r,i] = rho A[i,j_r] T[i,j_r]. */
typedef struct wi_wood {
    size_t n, k;
    double *Y;        /* n x k: M0^{-1} P */
    double *W;        /* k x n */
    double *Sk;       /* k x k: LU of I_k - W Y */
    lapack_int *piv;  /* k */
    double *z;        /* k */
} wi_wood;

static void wi_wood_free(wiot_ctx *ctx, wi_wood *w)
{
    wi_free(ctx, w->Y);
    wi_free(ctx, w->W);
    wi_free(ctx, w->Sk);
    wi_free(ctx, w->piv);
    wi_free(ctx, w->z);
}

static int wi_wood_setup(wiot_ctx *ctx, const wiot_lu *lu, const wiot_schedule *s,
                         const size_t *imp, size_t nimp, double rho, wi_wood *w, double *flops)
{
    const wiot_table *t = lu->t;
    const size_t n = t->n, S = t->S, C = t->C, k = nimp * S;
    memset(w, 0, sizeof *w);
    w->n = n;
    w->k = k;
    size_t nk = 0, kk = 0;
    int rc = wi_mul(ctx, n, k, &nk);
    if (!rc)
        rc = wi_mul(ctx, k, k, &kk);
    if (rc)
        return rc;
    w->Y = wi_dalloc(ctx, nk);
    w->W = wi_dalloc(ctx, nk);
    w->Sk = wi_dalloc(ctx, kk);
    w->piv = wi_calloc(ctx, k, sizeof *w->piv);
    w->z = wi_dalloc(ctx, k);
    if (!w->Y || !w->W || !w->Sk || !w->piv || !w->z) {
        wi_wood_free(ctx, w);
        return WIOT_ENOMEM;
    }
    /* Y = P, then Y = M0^{-1} P = L^T P */
    memset(w->Y, 0, nk * sizeof *w->Y);
    for (size_t r = 0; r < k; r++) {
        size_t j = imp[r / S] * S + r % S;
        w->Y[j + r * n] = 1.0;
    }
    rc = wi_lu_solve(ctx, lu, WIOT_TRANS, k, w->Y, n);
    if (rc) {
        wi_wood_free(ctx, w);
        return rc;
    }
    /* W: row r = rho A[:, j_r] o T[:, j_r] */
    memset(w->W, 0, nk * sizeof *w->W);
    for (size_t r = 0; r < k; r++) {
        size_t d = imp[r / S], j = d * S + r % S;
        if (!(t->x[j] > 0))
            continue;
        const double *zj = t->Z + j * n;
        double f = rho / t->x[j];
        for (size_t c = 0; c < C; c++) {
            if (c == d)
                continue;
            for (size_t q = 0; q < S; q++) {
                size_t i = c * S + q;
                w->W[r + i * k] = f * zj[i] * WI_RATE(s, d, c, q);
            }
        }
    }
    /* Sk = I_k - W Y */
    lapack_int lk;
    rc = wi_lapack_int(ctx, k, &lk);
    if (rc) {
        wi_wood_free(ctx, w);
        return rc;
    }
    (void)lk;
    double *work = wi_dalloc(ctx, 4 * k);
    lapack_int *iwork = work ? wi_calloc(ctx, k, sizeof *iwork) : NULL;
    if (!iwork) {
        wi_free(ctx, work);
        wi_wood_free(ctx, w);
        return WIOT_ENOMEM;
    }
    double t0 = wi_now(), rcond = 0;
    wi_threads th;
    wi_threads_begin(ctx, &th);
    /* the capacitance I_k - W Y, factored with its condition (model/lowrank.c) */
    int linfo = wi_lowrank_factor(k, n, -1.0, w->W, k, w->Y, n, w->Sk, w->piv, work, iwork, &rcond);
    wi_free(ctx, work);
    wi_free(ctx, iwork);
    wi_threads_end(&th);
    double fl = 2.0 * (double)k * (double)k * (double)n + 2.0 / 3.0 * (double)k * (double)k * (double)k;
    wi_account(ctx, fl, wi_now() - t0);
    *flops += fl + 2.0 * (double)n * (double)n * (double)k;
    if (linfo != 0) {
        wi_wood_free(ctx, w);
        return linfo > 0 ? wi_error(ctx, WIOT_ESINGULAR,
                                    "the tariff-perturbed price system is singular to working "
                                    "precision (Woodbury capacitance rcond %.2g)", rcond)
                         : wi_error(ctx, WIOT_ELAPACK, "dgetrf: argument %d invalid", (int)-linfo);
    }
    return WIOT_OK;
}

/* b <- M^{-1} b in place, M = M0 - P W. */
static int wi_wood_solve(wiot_ctx *ctx, const wiot_lu *lu, wi_wood *w, double *b, double *flops)
{
    const size_t n = w->n, k = w->k;
    int rc = wi_lu_solve(ctx, lu, WIOT_TRANS, 1, b, n);   /* y0 = M0^{-1} b */
    if (rc)
        return rc;
    wi_threads th;
    wi_threads_begin(ctx, &th);
    cblas_dgemv(CblasColMajor, CblasNoTrans, (int)k, (int)n, 1.0, w->W, (int)k, b, 1, 0.0, w->z, 1);
    int linfo = wi_lowrank_apply(n, k, 1, -1.0, w->Y, n, w->Sk, w->piv, w->z, k, b, n);
    wi_threads_end(&th);
    *flops += 2.0 * (double)n * (double)n + 4.0 * (double)n * (double)k + 2.0 * (double)k * (double)k;
    if (linfo != 0)
        return wi_error(ctx, WIOT_ELAPACK, "dgetrs: argument %d invalid", (int)-linfo);
    return WIOT_OK;
}

#define WI_MAX_REFINE 3
#define WI_MAX_ITER 500

/* tolerance on the residual: a few ulps of the data's scale */
static double wi_res_tol(const double *d, const double *p, size_t n)
{
    double sd = 0, sp = 0;
    for (size_t i = 0; i < n; i++) {
        if (fabs(d[i]) > sd)
            sd = fabs(d[i]);
        if (fabs(p[i]) > sp)
            sp = fabs(p[i]);
    }
    return 4.0 * 2.220446049250313e-16 * (sd + sp);
}

static int wi_exact_woodbury(wiot_ctx *ctx, const wiot_lu *lu, const wiot_schedule *s,
                             const size_t *imp, size_t nimp, double rho, const double *d,
                             double *dp, double *scratch, wiot_info *info)
{
    const size_t n = lu->n;
    double *r = scratch, *tmp = scratch + n;
    wi_wood w;
    int rc = wi_wood_setup(ctx, lu, s, imp, nimp, rho, &w, &info->flops);
    if (rc)
        return rc;
    memcpy(dp, d, n * sizeof *dp);
    rc = wi_wood_solve(ctx, lu, &w, dp, &info->flops);
    double res = rc ? 0 : wi_exact_residual(ctx, lu->t, s, imp, nimp, rho, d, dp, r, tmp);
    int it = 0;
    /* iterative refinement with the same factors (cheap: 2n^2 per step) */
    while (!rc && it < WI_MAX_REFINE && res > wi_res_tol(d, dp, n)) {
        rc = wi_wood_solve(ctx, lu, &w, r, &info->flops);
        if (rc)
            break;
        for (size_t i = 0; i < n; i++)
            dp[i] += r[i];
        it++;
        res = wi_exact_residual(ctx, lu->t, s, imp, nimp, rho, d, dp, r, tmp);
    }
    wi_wood_free(ctx, &w);
    info->method = WIOT_METHOD_WOODBURY;
    info->rank = nimp * lu->t->S;
    info->iterations = it;
    info->residual = res;
    return rc;
}

/* fixed point dp <- L^T (d + rho E^T dp); converges when ||L^T rho E^T|| < 1. */
static int wi_exact_iteration(wiot_ctx *ctx, const wiot_lu *lu, const wiot_schedule *s,
                              const size_t *imp, size_t nimp, double rho, const double *d,
                              double *dp, double *scratch, wiot_info *info)
{
    const wiot_table *t = lu->t;
    const size_t n = t->n;
    double *e = scratch, *prev = scratch + n;
    memcpy(dp, d, n * sizeof *dp);
    int rc = wi_lu_solve(ctx, lu, WIOT_TRANS, 1, dp, n);   /* first-order start */
    int it = 0;
    double delta = INFINITY, last = INFINITY;
    while (!rc && it < WI_MAX_ITER) {
        memcpy(prev, dp, n * sizeof *dp);
        wi_Et_apply(wi_nthreads(ctx), t, s, imp, nimp, rho, dp, e);
        for (size_t i = 0; i < n; i++)
            dp[i] = d[i] + e[i];
        rc = wi_lu_solve(ctx, lu, WIOT_TRANS, 1, dp, n);
        it++;
        delta = 0;
        for (size_t i = 0; i < n; i++) {
            double a = fabs(dp[i] - prev[i]);
            if (a > delta || a != a)
                delta = a;
        }
        if (delta <= wi_res_tol(d, dp, n) / 4.0)
            break;
        if (it > 20 && !(delta < 0.999 * last))
            break;   /* stagnating or diverging */
        last = delta;
    }
    info->flops += (double)it * (2.0 * (double)n * (double)n + 2.0 * (double)n * (double)(nimp * t->S));
    info->method = WIOT_METHOD_ITERATION;
    info->iterations = it;
    if (rc)
        return rc;
    info->residual = wi_exact_residual(ctx, t, s, imp, nimp, rho, d, dp, scratch, scratch + n);
    if (!(delta <= wi_res_tol(d, dp, n) / 4.0) && !(info->residual <= wi_res_tol(d, dp, n)))
        return wi_error(ctx, WIOT_ENOCONV,
                        "fixed-point price iteration did not converge in %d iterations "
                        "(last change %.3g)", it, delta);
    return WIOT_OK;
}

/* Brute force: M = I - A^T - rho E^T formed densely, fresh LU (dgesv). */
static int wi_exact_dense(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s,
                          const size_t *imp, size_t nimp, double rho, const double *d, double *dp,
                          double *scratch, wiot_info *info)
{
    const size_t n = t->n, S = t->S, C = t->C;
    size_t nn = 0;
    lapack_int ln;
    int rc = wi_mul(ctx, n, n, &nn);
    if (!rc)
        rc = wi_lapack_int(ctx, n, &ln);
    if (rc)
        return rc;
    double *M = wi_dalloc(ctx, nn);
    lapack_int *piv = wi_calloc(ctx, n ? n : 1, sizeof *piv);
    if (!M || !piv) {
        wi_free(ctx, M);
        wi_free(ctx, piv);
        return WIOT_ENOMEM;
    }
    /* row j of M: e_j^T - A[:,j]^T - rho (A o T)[:,j]^T ; M[j + i n] */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            M[j + i * n] = (t->x[j] > 0 ? -t->Z[i + j * n] / t->x[j] : 0.0) + (i == j ? 1.0 : 0.0);
    for (size_t q = 0; q < nimp; q++) {
        size_t dd = imp[q];
        for (size_t js = 0; js < S; js++) {
            size_t j = dd * S + js;
            if (!(t->x[j] > 0))
                continue;
            for (size_t c = 0; c < C; c++)
                for (size_t k = 0; k < S; k++) {
                    size_t i = c * S + k;
                    M[j + i * n] -= rho * t->Z[i + j * n] / t->x[j] * WI_RATE(s, dd, c, k);
                }
        }
    }
    memcpy(dp, d, n * sizeof *dp);
    double t0 = wi_now();
    wi_threads th;
    wi_threads_begin(ctx, &th);
    lapack_int linfo = n ? LAPACKE_dgesv_work(LAPACK_COL_MAJOR, ln, 1, M, ln, piv, dp, ln) : 0;
    wi_threads_end(&th);
    double fl = 2.0 / 3.0 * (double)n * (double)n * (double)n + 2.0 * (double)n * (double)n;
    wi_account(ctx, fl, wi_now() - t0);
    info->flops += fl;
    wi_free(ctx, M);
    wi_free(ctx, piv);
    info->method = WIOT_METHOD_DENSE;
    if (linfo > 0)
        return wi_error(ctx, WIOT_ESINGULAR, "the tariff-perturbed price system is singular (pivot %d)",
                        (int)linfo);
    if (linfo < 0)
        return wi_error(ctx, WIOT_ELAPACK, "dgesv: argument %d invalid", (int)-linfo);
    info->residual = wi_exact_residual(ctx, t, s, imp, nimp, rho, d, dp, scratch, scratch + n);
    return WIOT_OK;
}

int wiot_price_exact(wiot_ctx *ctx, const wiot_lu *lu, const wiot_schedule *s, double rho,
                     int method, const double *d, double *dp, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !s || !d || !dp)
        return wi_error(ctx, WIOT_EINVAL, "wiot_price_exact: NULL argument");
    if (lu->model != WIOT_LEONTIEF)
        return wi_error(ctx, WIOT_EINVAL, "wiot_price_exact needs a Leontief factorization");
    const wiot_table *t = lu->t;
    int rc = wi_same_dims(ctx, t, s);
    if (!rc)
        rc = wi_check_rho(ctx, rho);
    if (rc)
        return rc;
    if (method != WIOT_METHOD_NONE && method != WIOT_METHOD_WOODBURY &&
        method != WIOT_METHOD_ITERATION && method != WIOT_METHOD_DENSE)
        return wi_error(ctx, WIOT_EINVAL, "wiot_price_exact: unknown method %d", method);
    const size_t n = t->n;
    wiot_info inf;
    memset(&inf, 0, sizeof inf);
    size_t *imp = wi_calloc(ctx, t->C ? t->C : 1, sizeof *imp);
    double *out = wi_dalloc(ctx, 3 * (n ? n : 1));
    if (!imp || !out) {
        wi_free(ctx, imp);
        wi_free(ctx, out);
        return WIOT_ENOMEM;
    }
    double *scratch = out + n;
    size_t nimp = wi_imposers(s, imp);
    size_t k = nimp * t->S;
    double t0 = wi_now();
    if (method == WIOT_METHOD_NONE)
        method = 3 * k <= n ? WIOT_METHOD_WOODBURY : WIOT_METHOD_ITERATION;
    if (nimp == 0) {   /* no tariff: dp = L^T d exactly */
        memcpy(out, d, n * sizeof *out);
        rc = wi_lu_solve(ctx, lu, WIOT_TRANS, 1, out, n);
        inf.method = WIOT_METHOD_LU;
        inf.flops = 2.0 * (double)n * (double)n;
        if (!rc)
            inf.residual = wi_exact_residual(ctx, t, s, imp, 0, rho, d, out, scratch, scratch + n);
    } else if (method == WIOT_METHOD_WOODBURY) {
        rc = wi_exact_woodbury(ctx, lu, s, imp, nimp, rho, d, out, scratch, &inf);
    } else if (method == WIOT_METHOD_ITERATION) {
        rc = wi_exact_iteration(ctx, lu, s, imp, nimp, rho, d, out, scratch, &inf);
        if (rc == WIOT_ENOCONV) {   /* fall back to the brute-force solve */
            int its = inf.iterations;
            memset(&inf, 0, sizeof inf);
            rc = wi_exact_dense(ctx, t, s, imp, nimp, rho, d, out, scratch, &inf);
            inf.iterations = its;
        }
    } else {
        rc = wi_exact_dense(ctx, t, s, imp, nimp, rho, d, out, scratch, &inf);
    }
    inf.seconds = wi_now() - t0;
    if (!rc) {
        for (size_t i = 0; i < n; i++)
            if (!isfinite(out[i])) {
                rc = wi_error(ctx, WIOT_ESINGULAR,
                              "exact price change of '%s_%s' is not finite: the tariff-perturbed "
                              "system is (nearly) singular", t->country[i / t->S], t->sector[i % t->S]);
                break;
            }
    }
    if (!rc) {
        memcpy(dp, out, n * sizeof *dp);
        if (info)
            *info = inf;
    }
    wi_free(ctx, imp);
    wi_free(ctx, out);
    return rc;
}

/* ------------------------------------------------------------ final users */
int wiot_final_prices(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s, double rho,
                      const double *dp, double *P, unsigned char *defined, double *P_all,
                      unsigned char *defined_all)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !s || !dp)
        return wi_error(ctx, WIOT_EINVAL, "wiot_final_prices: NULL argument");
    int rc = wi_same_dims(ctx, t, s);
    if (!rc)
        rc = wi_check_rho(ctx, rho);
    if (rc)
        return rc;
    const size_t n = t->n, C = t->C, S = t->S, K = t->K;
    for (size_t d = 0; d < C; d++) {
        double num_all = 0, den_all = 0;
        for (size_t k = 0; k < K; k++) {
            const double *f = t->F + (d * K + k) * n;
            double num = 0, den = 0;
            for (size_t i = 0; i < n; i++) {
                if (f[i] == 0.0)
                    continue;
                double tf = rho * WI_RATE(s, d, i / S, i % S);
                num += f[i] * ((1.0 + dp[i]) * (1.0 + tf) - 1.0);
                den += f[i];
            }
            num_all += num;
            den_all += den;
            int ok = den > 0;
            if (P)
                P[d * K + k] = ok ? num / den : 0.0;
            if (defined)
                defined[d * K + k] = (unsigned char)ok;
        }
        int ok = den_all > 0;
        if (P_all)
            P_all[d] = ok ? num_all / den_all : 0.0;
        if (defined_all)
            defined_all[d] = (unsigned char)ok;
    }
    return WIOT_OK;
}

double wi_revenue(const wiot_table *t, const wiot_schedule *s, size_t d, double *role)
{
    const size_t n = t->n, S = t->S, K = t->K;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = i / S;
        if (c == d)
            continue;
        double r = WI_RATE(s, d, c, i % S);
        if (r == 0.0)
            continue;
        if (s->ntb)   /* an NTB's ad valorem equivalent raises prices, not revenue */
            r -= s->ntb[(d * s->C + c) * s->S + i % S];
        double flow = 0;
        for (size_t j = d * S; j < (d + 1) * S; j++)
            flow += t->Z[i + j * n];
        for (size_t k = 0; k < K; k++)
            flow += t->F[i + (d * K + k) * n];
        sum += r * flow;
        if (role)
            role[c] = (double)((int)role[c] | WIOT_ROLE_TARGET);
    }
    return sum;
}

int wiot_tariff_revenue(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s, double *rev)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !s || !rev)
        return wi_error(ctx, WIOT_EINVAL, "wiot_tariff_revenue: NULL argument");
    int rc = wi_same_dims(ctx, t, s);
    if (rc)
        return rc;
    for (size_t d = 0; d < t->C; d++)
        rev[d] = wi_revenue(t, s, d, NULL);
    return WIOT_OK;
}

/* ----------------------------------------------------------------- results */
struct wiot_result {
    wiot_allocator a;
    size_t n, C, K;
    double *direct, *cum, *exact, *extra, *fin, *fin_def, *fin_all, *fin_all_def, *cextra, *rev,
        *role;
    unsigned char *def8;   /* scratch for defined flags: C*K + C */
    int have_cum, have_exact;
    wiot_result_summary sum;
};

double *wi_result_block(wiot_result *r, size_t *count, int **flags, wiot_result_summary **sum);

int wiot_result_new(wiot_ctx *ctx, const wiot_table *t, wiot_result **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_result_new: NULL argument");
    const size_t n = t->n, C = t->C, K = t->K;
    size_t ck = 0;
    int rc = wi_mul(ctx, C, K, &ck);
    if (rc)
        return rc;
    size_t total = 4 * n + 2 * ck + 5 * C;
    wiot_result *r = wi_calloc(ctx, 1, sizeof *r);
    double *blk = r ? wi_calloc(ctx, total, sizeof(double)) : NULL;
    unsigned char *def8 = blk ? wi_calloc(ctx, ck + C + 1, 1) : NULL;
    if (!def8) {
        if (r) {
            wi_free(ctx, blk);
            wi_free(ctx, r);
        }
        return WIOT_ENOMEM;
    }
    r->a = ctx->a;
    r->n = n;
    r->C = C;
    r->K = K;
    r->direct = blk;
    r->cum = r->direct + n;
    r->exact = r->cum + n;
    r->extra = r->exact + n;
    r->fin = r->extra + n;
    r->fin_def = r->fin + ck;
    r->fin_all = r->fin_def + ck;
    r->fin_all_def = r->fin_all + C;
    r->cextra = r->fin_all_def + C;
    r->rev = r->cextra + C;
    r->role = r->rev + C;
    r->def8 = def8;
    *out = r;
    return WIOT_OK;
}

void wiot_result_free(wiot_result *r)
{
    if (!r)
        return;
    wiot_allocator a = r->a;
    wi_hfree(&a, r->direct);
    wi_hfree(&a, r->def8);
    wi_hfree(&a, r);
}

const double *wiot_result_get(const wiot_result *r, int item, size_t *len)
{
    if (!r)
        return NULL;
    const double *p = NULL;
    size_t l = 0;
    switch (item) {
    case WIOT_R_DIRECT: p = r->direct; l = r->n; break;
    case WIOT_R_CUMULATIVE: p = r->have_cum ? r->cum : NULL; l = r->n; break;
    case WIOT_R_EXACT: p = r->have_exact ? r->exact : NULL; l = r->n; break;
    case WIOT_R_EXTRA_COST: p = r->extra; l = r->n; break;
    case WIOT_R_FINAL_PRICE: p = r->fin; l = r->C * r->K; break;
    case WIOT_R_FINAL_DEFINED: p = r->fin_def; l = r->C * r->K; break;
    case WIOT_R_FINAL_ALL: p = r->fin_all; l = r->C; break;
    case WIOT_R_FINAL_ALL_DEFINED: p = r->fin_all_def; l = r->C; break;
    case WIOT_R_COUNTRY_EXTRA_COST: p = r->cextra; l = r->C; break;
    case WIOT_R_REVENUE: p = r->rev; l = r->C; break;
    case WIOT_R_ROLE: p = r->role; l = r->C; break;
    default: return NULL;
    }
    if (p && len)
        *len = l;
    return p;
}

const wiot_result_summary *wiot_result_summary_get(const wiot_result *r) { return r ? &r->sum : NULL; }

int wiot_tariff(wiot_ctx *ctx, const wiot_lu *lu, const wiot_schedule *s, double rho, int models,
                wiot_result *r)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !s || !r)
        return wi_error(ctx, WIOT_EINVAL, "wiot_tariff: NULL argument");
    if (models < WIOT_FIRST_ORDER || models > WIOT_BOTH)
        return wi_error(ctx, WIOT_EINVAL, "wiot_tariff: models must be first-order, exact or both");
    const wiot_table *t = lu->t;
    if (r->n != t->n || r->C != t->C || r->K != t->K)
        return wi_error(ctx, WIOT_EINVAL, "wiot_tariff: result was made for another table");
    double t0 = wi_now();
    const size_t n = t->n, C = t->C, S = t->S, K = t->K;
    r->have_cum = r->have_exact = 0;
    memset(&r->sum, 0, sizeof r->sum);

    int rc = wiot_tariff_direct(ctx, t, s, rho, r->direct);
    if (!rc && (models & WIOT_FIRST_ORDER)) {
        rc = wiot_tariff_cumulative(ctx, lu, r->direct, r->cum);
        r->have_cum = !rc;
    }
    if (!rc && (models & WIOT_EXACT)) {
        rc = wiot_price_exact(ctx, lu, s, rho, WIOT_METHOD_NONE, r->direct, r->exact, &r->sum.exact);
        r->have_exact = !rc;
    }
    if (rc)
        return rc;
    const double *dp = r->have_exact ? r->exact : r->cum;
    unsigned char *def = r->def8, *def_all = r->def8 + C * K;
    rc = wiot_final_prices(ctx, t, s, rho, dp, r->fin, def, r->fin_all, def_all);
    if (!rc)
        rc = wiot_tariff_revenue(ctx, t, s, r->rev);
    if (rc)
        return rc;
    for (size_t q = 0; q < C * K; q++)
        r->fin_def[q] = def[q];
    for (size_t d = 0; d < C; d++) {
        r->fin_all_def[d] = def_all[d];
        r->cextra[d] = 0;
        r->role[d] = 0;
    }
    double total = 0;
    for (size_t j = 0; j < n; j++) {
        r->extra[j] = dp[j] * t->x[j];
        r->cextra[j / S] += r->extra[j];
        total += r->extra[j];
    }
    for (size_t d = 0; d < C; d++)
        for (size_t c = 0; c < C; c++)
            for (size_t q = 0; q < S; q++)
                if (WI_RATE(s, d, c, q) != 0.0) {
                    r->role[d] = (double)((int)r->role[d] | WIOT_ROLE_IMPOSER);
                    r->role[c] = (double)((int)r->role[c] | WIOT_ROLE_TARGET);
                }
    double third = 0, revenue = 0;
    for (size_t d = 0; d < C; d++) {
        if (r->role[d] == 0)
            third += r->cextra[d];
        revenue += r->rev[d];
    }
    /* huge rates can overflow: no result is returned with NaN or Inf in it */
    const double *tot[3] = {&total, &third, &revenue};
    if ((rc = wi_check_finite(ctx, t, "direct tariff cost", r->direct, n, 1, n)) ||
        (r->have_cum && (rc = wi_check_finite(ctx, t, "cumulative tariff", r->cum, n, 1, n))) ||
        (r->have_exact && (rc = wi_check_finite(ctx, t, "exact price change", r->exact, n, 1, n))) ||
        (rc = wi_check_finite(ctx, t, "extra input cost", r->extra, n, 1, n)) ||
        (rc = wi_check_finite(ctx, t, "final users' price change", r->fin, C * K, 1, C * K)) ||
        (rc = wi_check_finite(ctx, t, "final price change (all final demand)", r->fin_all, C, 1, C)) ||
        (rc = wi_check_finite(ctx, t, "extra cost", r->cextra, C, 1, C)) ||
        (rc = wi_check_finite(ctx, t, "tariff revenue", r->rev, C, 1, C)) ||
        (rc = wi_check_finite(ctx, t, "total extra cost", tot[0], 1, 1, 1)) ||
        (rc = wi_check_finite(ctx, t, "extra cost in third countries", tot[1], 1, 1, 1)) ||
        (rc = wi_check_finite(ctx, t, "total tariff revenue", tot[2], 1, 1, 1)))
        return rc;
    r->sum.total_extra_cost = total;
    r->sum.third_extra_cost = third;
    r->sum.total_revenue = revenue;
    r->sum.models = (r->have_cum ? WIOT_FIRST_ORDER : 0) | (r->have_exact ? WIOT_EXACT : 0);
    r->sum.rho = rho;
    r->sum.seconds = wi_now() - t0;
    return WIOT_OK;
}

/* Internal (MPI): the result's doubles as one block (4n + 2CK + 5C values, in the
 * order of the struct's arrays), its flags and its summary. */
double *wi_result_block(wiot_result *r, size_t *count, int **flags, wiot_result_summary **sum)
{
    *count = 4 * r->n + 2 * r->C * r->K + 5 * r->C;
    *flags = &r->have_cum;   /* have_cum, have_exact are adjacent ints */
    *sum = &r->sum;
    return r->direct;
}
