/* leontief.c -- coefficients, the LU of I - A (or I - B), solves, inverses,
 * multipliers and linkages (kernel/METHODS.md §2, Miller & Blair ch. 2, 12). */
#include "model/model.h"

#include <math.h>
#include <string.h>
#include <cblas.h>

/* ------------------------------------------------------------ coefficients */
static int wi_check_table(wiot_ctx *ctx, const wiot_table *t, const void *out, size_t ld)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !out)
        return wi_error(ctx, WIOT_EINVAL, "NULL table or output");
    if (ld < t->n)
        return wi_error(ctx, WIOT_EINVAL, "leading dimension %zu < n = %zu", ld, t->n);
    return WIOT_OK;
}

int wiot_coefficients(wiot_ctx *ctx, const wiot_table *t, double *A, size_t lda)
{
    int rc = wi_check_table(ctx, t, A, lda);
    if (rc)
        return rc;
    const size_t n = t->n;
    const double *Z = t->Z, *x = t->x;
    int nt = wi_nthreads(ctx);
#pragma omp parallel for num_threads(nt) schedule(static) if (n >= 512)
    for (size_t j = 0; j < n; j++) {
        double *a = A + j * lda;
        const double *z = Z + j * n;
        if (x[j] > 0) {
            double r = 1.0 / x[j];
            for (size_t i = 0; i < n; i++)
                a[i] = z[i] * r;
        } else {
            memset(a, 0, n * sizeof *a);
        }
    }
    return WIOT_OK;
}

int wiot_va_coefficients(wiot_ctx *ctx, const wiot_table *t, double *av)
{
    int rc = wi_check_table(ctx, t, av, t ? t->n : 0);
    if (rc)
        return rc;
    for (size_t j = 0; j < t->n; j++)
        av[j] = t->x[j] > 0 ? t->v[j] / t->x[j] : 0.0;
    return WIOT_OK;
}

int wiot_allocation(wiot_ctx *ctx, const wiot_table *t, double *B, size_t ldb)
{
    int rc = wi_check_table(ctx, t, B, ldb);
    if (rc)
        return rc;
    const size_t n = t->n;
    const double *Z = t->Z, *x = t->x;
    int nt = wi_nthreads(ctx);
#pragma omp parallel for num_threads(nt) schedule(static) if (n >= 512)
    for (size_t j = 0; j < n; j++) {
        double *b = B + j * ldb;
        const double *z = Z + j * n;
        for (size_t i = 0; i < n; i++)
            b[i] = x[i] > 0 ? z[i] / x[i] : 0.0;
    }
    /* B is not bounded by the table's checks: a tiny output with large sales overflows */
    return wi_check_finite(ctx, t, "allocation coefficient (row)", B, n, n, ldb);
}

/* M = I - A (model Leontief) or I - B (Ghosh), n x n with leading dimension ld. */
static int wi_form_system(wiot_ctx *ctx, const wiot_table *t, int model, double *M, size_t ld)
{
    int rc = model == WIOT_GHOSH ? wiot_allocation(ctx, t, M, ld) : wiot_coefficients(ctx, t, M, ld);
    if (rc)
        return rc;
    const size_t n = t->n;
    int nt = wi_nthreads(ctx);
#pragma omp parallel for num_threads(nt) schedule(static) if (n >= 512)
    for (size_t j = 0; j < n; j++) {
        double *m = M + j * ld;
        for (size_t i = 0; i < n; i++)
            m[i] = -m[i];
        m[j] += 1.0;
    }
    return WIOT_OK;
}

/* ----------------------------------------------------------- factorization */
int wiot_lu_new(wiot_ctx *ctx, const wiot_table *t, int model, wiot_lu **out, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_lu_new: NULL table or output");
    if (model != WIOT_LEONTIEF && model != WIOT_GHOSH)
        return wi_error(ctx, WIOT_EINVAL, "wiot_lu_new: unknown model %d", model);
    const size_t n = t->n;
    lapack_int ln;
    size_t nn = 0, bytes = 0;
    int rc = wi_lapack_int(ctx, n, &ln);
    if (!rc)
        rc = wi_mul(ctx, n, n, &nn);
    if (!rc && wi_mul(NULL, nn + 5 * n, sizeof(double), &bytes))
        bytes = SIZE_MAX;
    if (!rc)
        rc = wi_budget(ctx, bytes, "the factorization of I - A", "n = %zu", n);
    if (rc)
        return rc;

    wiot_lu *lu = wi_calloc(ctx, 1, sizeof *lu);
    if (!lu)
        return WIOT_ENOMEM;
    lu->a = ctx->a;
    lu->t = t;
    lu->model = model;
    lu->n = n;
    lu->lu = wi_dalloc(ctx, nn);
    lu->ipiv = wi_calloc(ctx, n ? n : 1, sizeof *lu->ipiv);
    /* dgecon's workspace: 4n doubles and n integers */
    double *cwork = lu->lu && lu->ipiv ? wi_dalloc(ctx, 4 * n + n * sizeof(lapack_int) / sizeof(double) + 1)
                                       : NULL;
    if (!cwork) {
        wiot_lu_free(lu);
        return WIOT_ENOMEM;
    }
    rc = wi_form_system(ctx, t, model, lu->lu, n);
    if (rc) {
        wi_free(ctx, cwork);
        wiot_lu_free(lu);
        return rc;
    }
    double anorm = 0;   /* ||I - A||_1 */
    for (size_t j = 0; j < n; j++) {
        double cs = 0;
        for (size_t i = 0; i < n; i++)
            cs += fabs(lu->lu[i + j * n]);
        if (cs > anorm || cs != cs)
            anorm = cs;
    }
    double t0 = wi_now();
    wi_threads th;
    wi_threads_begin(ctx, &th);
    lapack_int linfo = n ? LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, ln, ln, lu->lu, ln, lu->ipiv) : 0;
    wi_threads_end(&th);
    double secs = wi_now() - t0;
    double flops = 2.0 / 3.0 * (double)n * (double)n * (double)n;
    wi_account(ctx, flops, secs);
    if (linfo > 0) {
        wi_free(ctx, cwork);
        wiot_lu_free(lu);
        return wi_error(ctx, WIOT_ESINGULAR, "I - %s is singular: U(%d,%d) = 0 (sector '%s_%s')",
                        model == WIOT_GHOSH ? "B" : "A", (int)linfo, (int)linfo,
                        t->country[(size_t)(linfo - 1) / t->S], t->sector[(size_t)(linfo - 1) % t->S]);
    }
    if (linfo < 0) {
        wi_free(ctx, cwork);
        wiot_lu_free(lu);
        return wi_error(ctx, WIOT_ELAPACK, "dgetrf: argument %d invalid", (int)-linfo);
    }
    /* Condition estimate (2n^2 flops per step of dgecon's few solves). Below n*eps the
     * solves lose every digit: refuse, naming the column with the smallest pivot. */
    double rcond = 0;
    lapack_int cinfo = n ? LAPACKE_dgecon_work(LAPACK_COL_MAJOR, '1', ln, lu->lu, ln, anorm, &rcond,
                                               cwork, (lapack_int *)(cwork + 4 * n))
                         : (rcond = 1, 0);
    wi_free(ctx, cwork);
    const double tiny = (double)(n ? n : 1) * 2.220446049250313e-16;
    if (cinfo != 0 || !(rcond >= tiny)) {
        size_t jmin = 0;
        for (size_t j = 1; j < n; j++)
            if (!(fabs(lu->lu[j + j * n]) >= fabs(lu->lu[jmin + jmin * n])))
                jmin = j;
        double piv = n ? lu->lu[jmin + jmin * n] : 0, sum = 0;
        for (size_t k = 0; k < n; k++)   /* column sum of A (Ghosh: row sum of B) */
            sum += model == WIOT_GHOSH ? t->Z[jmin + k * n] : t->Z[k + jmin * n];
        sum = t->x[jmin] > 0 ? sum / t->x[jmin] : 0;
        wiot_lu_free(lu);
        return wi_error(ctx, WIOT_ESINGULAR, "%s: I - %s is singular to working precision: "
                        "reciprocal condition number %.2g < n eps = %.2g; smallest pivot %.2g in "
                        "column '%s_%s' (%s sum of %s %.17g)", t->name, model == WIOT_GHOSH ? "B" : "A",
                        rcond, tiny,
                        piv, t->country[jmin / t->S], t->sector[jmin % t->S],
                        model == WIOT_GHOSH ? "row" : "column", model == WIOT_GHOSH ? "B" : "A", sum);
    }
    if (info) {
        memset(info, 0, sizeof *info);
        info->seconds = secs;
        info->flops = flops;
        info->method = WIOT_METHOD_LU;
        info->rcond = rcond;
    }
    *out = lu;
    return WIOT_OK;
}

void wiot_lu_free(wiot_lu *lu)
{
    if (!lu)
        return;
    wiot_allocator a = lu->a;
    wi_hfree(&a, lu->lu);
    wi_hfree(&a, lu->ipiv);
    wi_hfree(&a, lu);
}

size_t wiot_lu_n(const wiot_lu *lu) { return lu ? lu->n : 0; }
int wiot_lu_model(const wiot_lu *lu) { return lu ? lu->model : -1; }
const wiot_table *wiot_lu_table(const wiot_lu *lu) { return lu ? lu->t : NULL; }

/* Internal: solve without clearing the message or checking arguments. */
int wi_lu_solve(wiot_ctx *ctx, const wiot_lu *lu, int trans, size_t nrhs, double *B, size_t ldb)
{
    if (lu->n == 0 || nrhs == 0)
        return WIOT_OK;
    if (lu->solve)   /* distributed factorization (wiot_mpi.h) */
        return lu->solve(lu->solve_ud, ctx, trans, nrhs, B, ldb);
    lapack_int ln, lr, lb;
    int rc = wi_lapack_int(ctx, lu->n, &ln);
    if (!rc)
        rc = wi_lapack_int(ctx, nrhs, &lr);
    if (!rc)
        rc = wi_lapack_int(ctx, ldb, &lb);
    if (rc)
        return rc;
    double t0 = wi_now();
    wi_threads th;
    wi_threads_begin(ctx, &th);
    lapack_int linfo = LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, trans == WIOT_TRANS ? 'T' : 'N', ln, lr,
                                           lu->lu, ln, lu->ipiv, B, lb);
    wi_threads_end(&th);
    wi_account(ctx, 2.0 * (double)lu->n * (double)lu->n * (double)nrhs, wi_now() - t0);
    if (linfo != 0)
        return wi_error(ctx, WIOT_ELAPACK, "dgetrs: argument %d invalid", (int)-linfo);
    return WIOT_OK;
}

int wiot_lu_solve(wiot_ctx *ctx, const wiot_lu *lu, int trans, size_t nrhs, double *B, size_t ldb)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || (!B && nrhs))
        return wi_error(ctx, WIOT_EINVAL, "wiot_lu_solve: NULL factorization or right-hand side");
    if (trans != WIOT_NOTRANS && trans != WIOT_TRANS)
        return wi_error(ctx, WIOT_EINVAL, "wiot_lu_solve: trans must be WIOT_NOTRANS or WIOT_TRANS");
    if (ldb < lu->n)
        return wi_error(ctx, WIOT_EINVAL, "wiot_lu_solve: ldb %zu < n = %zu", ldb, lu->n);
    int rc = wi_check_finite(ctx, NULL, "wiot_lu_solve: right-hand side", B, lu->n, nrhs, ldb);
    if (!rc)
        rc = wi_lu_solve(ctx, lu, trans, nrhs, B, ldb);
    if (!rc)
        rc = wi_check_finite(ctx, lu->t, "wiot_lu_solve: solution", B, lu->n, nrhs, ldb);
    return rc;
}

/* residual = ||M X - I||_max with M = I - A (or I - B), in column blocks so that only
 * M (n x n) and an n x 256 panel are extra. */
static int wi_inverse_residual(wiot_ctx *ctx, const wiot_lu *lu, const double *X, size_t ldx,
                               double *residual)
{
    const size_t n = lu->n, nb = 256;
    size_t nn = 0;
    int rc = wi_mul(ctx, n, n, &nn);
    if (rc)
        return rc;
    double *M = wi_dalloc(ctx, nn);
    double *P = wi_dalloc(ctx, n * (n < nb ? n : nb));
    if (!M || !P) {
        wi_free(ctx, M);
        wi_free(ctx, P);
        return WIOT_ENOMEM;
    }
    rc = wi_form_system(ctx, lu->t, lu->model, M, n);
    double worst = 0.0;
    if (!rc) {
        wi_threads th;
        wi_threads_begin(ctx, &th);
        for (size_t j0 = 0; j0 < n; j0 += nb) {
            size_t w = n - j0 < nb ? n - j0 : nb;
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)w, (int)n, 1.0, M,
                        (int)n, X + j0 * ldx, (int)ldx, 0.0, P, (int)n);
            for (size_t j = 0; j < w; j++) {
                P[(j0 + j) + j * n] -= 1.0;
                for (size_t i = 0; i < n; i++) {
                    double a = fabs(P[i + j * n]);
                    if (a > worst || a != a)
                        worst = a;
                }
            }
        }
        wi_threads_end(&th);
    }
    wi_free(ctx, M);
    wi_free(ctx, P);
    if (!rc)
        *residual = worst;
    return rc;
}

int wiot_lu_inverse(wiot_ctx *ctx, const wiot_lu *lu, double *L, size_t ldl, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !L)
        return wi_error(ctx, WIOT_EINVAL, "wiot_lu_inverse: NULL factorization or output");
    const size_t n = lu->n;
    if (ldl < n)
        return wi_error(ctx, WIOT_EINVAL, "wiot_lu_inverse: ldl %zu < n = %zu", ldl, n);
    lapack_int ln, lld;
    int rc = wi_lapack_int(ctx, n, &ln);
    if (!rc)
        rc = wi_lapack_int(ctx, ldl, &lld);
    if (rc)
        return rc;
    if (n == 0)
        return WIOT_OK;
    if (!lu->lu)
        return wi_error(ctx, WIOT_EINVAL, "wiot_lu_inverse: a distributed factorization's inverse is "
                                          "wiot_mpi_lu_inverse");

    /* workspace query, then dgetri on a copy of the factors (L is untouched on failure
     * only up to the copy: we invert into a private buffer first). */
    double wq = 0;
    lapack_int linfo = LAPACKE_dgetri_work(LAPACK_COL_MAJOR, ln, NULL, ln, lu->ipiv, &wq, -1);
    if (linfo != 0)
        return wi_error(ctx, WIOT_ELAPACK, "dgetri workspace query failed (%d)", (int)linfo);
    size_t lwork = (size_t)wq > n ? (size_t)wq : n;
    /* the copy, dgetri's workspace and (with the residual) I - A and a panel */
    double need = 8.0 * ((double)n * (double)n * (ctx->residual ? 2 : 1) + (double)lwork + 256.0 * (double)n);
    if ((rc = wi_budget(ctx, need >= (double)SIZE_MAX ? SIZE_MAX : (size_t)need, "the inverse",
                        "n = %zu", n)))
        return rc;
    double *work = wi_dalloc(ctx, lwork);
    size_t nn = 0;
    rc = wi_mul(ctx, n, n, &nn);
    double *tmp = rc ? NULL : wi_dalloc(ctx, nn);
    if (!work || !tmp) {
        wi_free(ctx, work);
        wi_free(ctx, tmp);
        return rc ? rc : WIOT_ENOMEM;
    }
    memcpy(tmp, lu->lu, nn * sizeof *tmp);
    double t0 = wi_now();
    wi_threads th;
    wi_threads_begin(ctx, &th);
    linfo = LAPACKE_dgetri_work(LAPACK_COL_MAJOR, ln, tmp, ln, lu->ipiv, work, (lapack_int)lwork);
    wi_threads_end(&th);
    double secs = wi_now() - t0;
    double flops = 4.0 / 3.0 * (double)n * (double)n * (double)n;
    wi_account(ctx, flops, secs);
    wi_free(ctx, work);
    if (linfo != 0) {
        wi_free(ctx, tmp);
        return linfo > 0 ? wi_error(ctx, WIOT_ESINGULAR, "dgetri: U(%d,%d) = 0", (int)linfo, (int)linfo)
                         : wi_error(ctx, WIOT_ELAPACK, "dgetri: argument %d invalid", (int)-linfo);
    }
    double res = 0, rsecs = 0;
    if (ctx->residual) {
        double r0 = wi_now();
        rc = wi_inverse_residual(ctx, lu, tmp, n, &res);
        rsecs = wi_now() - r0;
        if (rc) {
            wi_free(ctx, tmp);
            return rc;
        }
    }
    if ((rc = wi_check_finite(ctx, lu->t, "inverse: entry", tmp, n, n, n))) {
        wi_free(ctx, tmp);
        return rc;   /* L untouched */
    }
    for (size_t j = 0; j < n; j++)
        memcpy(L + j * ldl, tmp + j * n, n * sizeof *L);
    wi_free(ctx, tmp);
    if (info) {
        memset(info, 0, sizeof *info);
        info->seconds = secs;
        info->flops = flops;
        info->residual = ctx->residual ? res : -1.0;
        info->residual_seconds = rsecs;
        info->method = WIOT_METHOD_INVERSE;
    }
    return WIOT_OK;
}

/* Column sums of A (Ghosh: row sums of B) at most 1 - WI_DD_MARGIN select the
 * recursive inverse. The margin is not needed for stability (diagonal dominance with
 * any margin bounds the growth factor by 2); below it cond(I - A) >~ 1e9 and LAPACK's
 * pivoting is the safer choice. */
#define WI_DD_MARGIN 1e-9
#define WI_NOT_DOMINANT (-1)   /* private: the automatic path falls back to LAPACK */

/* L = (I - A)^{-1} (or (I - B)^{-1}) in place in L by recursive block inversion
 * (inverse.c). The workspace is allocated before L is written, so WIOT_ENOMEM leaves
 * L untouched; with check, a system that is not diagonally dominant returns
 * WI_NOT_DOMINANT (L untouched, no message). */
static int wi_inverse_recursive(wiot_ctx *ctx, const wiot_table *t, int model, double *L,
                                size_t ldl, int check, wiot_info *info)
{
    const size_t n = t->n;
    lapack_int ln, lld;
    size_t nn = 0;
    int rc = wi_lapack_int(ctx, n, &ln);
    if (!rc)
        rc = wi_lapack_int(ctx, ldl, &lld);
    if (!rc)
        rc = wi_mul(ctx, n, n, &nn);
    if (rc)
        return rc;
    size_t lw = wi_inverse_dd_work(n), lr = ctx->residual ? wi_residual_work(n) : 0;
    if (lr > lw)
        lw = lr;
    if (lw < n)
        lw = n;   /* room for the dominance check's scratch */
    double *work = wi_dalloc(ctx, lw);
    if (!work)
        return WIOT_ENOMEM;
    if (check && !wi_dominant(t, model, WI_DD_MARGIN, work)) {
        wi_free(ctx, work);
        return WI_NOT_DOMINANT;
    }
    rc = wi_form_system(ctx, t, model, L, ldl);
    if (rc) {
        wi_free(ctx, work);
        return rc;
    }
    double t0 = wi_now();
    wi_threads th;
    wi_threads_begin(ctx, &th);
    rc = wi_inverse_dd(ctx, L, n, ldl, work, lw);
    wi_threads_end(&th);
    double secs = wi_now() - t0;
    double flops = 2.0 * (double)n * (double)n * (double)n;
    wi_account(ctx, flops, secs);
    double res = -1.0, rsecs = 0;
    if (!rc && ctx->residual) {
        double r0 = wi_now();
        rc = wi_residual_table(ctx, t, model, L, ldl, work, lw, &res);
        rsecs = wi_now() - r0;
    }
    wi_free(ctx, work);
    if (rc)
        return rc;
    if (info) {
        memset(info, 0, sizeof *info);
        info->seconds = secs;
        info->flops = flops;
        info->residual = res;
        info->residual_seconds = rsecs;
        info->method = WIOT_METHOD_RECURSIVE;
    }
    return WIOT_OK;
}

static int wi_inverse_of(wiot_ctx *ctx, const wiot_table *t, int model, double *L, size_t ldl,
                         wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !L)
        return wi_error(ctx, WIOT_EINVAL, "NULL table or output");
    if (ldl < t->n)
        return wi_error(ctx, WIOT_EINVAL, "leading dimension %zu < n = %zu", ldl, t->n);
    if (ctx->inverse != WIOT_INVERSE_LAPACK) {
        int rc = wi_inverse_recursive(ctx, t, model, L, ldl, ctx->inverse == WIOT_INVERSE_AUTO,
                                      info);
        if (rc != WI_NOT_DOMINANT)
            return rc;
    }
    wiot_lu *lu = NULL;
    wiot_info i1, i2;
    int rc = wiot_lu_new(ctx, t, model, &lu, &i1);
    if (rc)
        return rc;
    rc = wiot_lu_inverse(ctx, lu, L, ldl, &i2);
    wiot_lu_free(lu);
    if (rc)
        return rc;
    if (info) {
        *info = i2;
        info->seconds += i1.seconds;
        info->flops += i1.flops;
    }
    return WIOT_OK;
}

int wiot_leontief(wiot_ctx *ctx, const wiot_table *t, double *L, size_t ldl, wiot_info *info)
{
    int rc = wi_inverse_of(ctx, t, WIOT_LEONTIEF, L, ldl, info);
    return rc ? rc : wi_check_finite(ctx, t, "Leontief inverse: entry", L, t->n, t->n, ldl);
}

int wiot_ghosh(wiot_ctx *ctx, const wiot_table *t, double *G, size_t ldg, wiot_info *info)
{
    int rc = wi_inverse_of(ctx, t, WIOT_GHOSH, G, ldg, info);
    return rc ? rc : wi_check_finite(ctx, t, "Ghosh inverse: entry", G, t->n, t->n, ldg);
}

/* -------------------------------------------------------- quantity model */
int wiot_quantity(wiot_ctx *ctx, const wiot_lu *lu, const double *f, double *x)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !f || !x)
        return wi_error(ctx, WIOT_EINVAL, "wiot_quantity: NULL argument");
    if (lu->model != WIOT_LEONTIEF)
        return wi_error(ctx, WIOT_EINVAL, "wiot_quantity needs a Leontief factorization");
    const size_t n = lu->n;
    double *b = wi_dalloc(ctx, n);
    if (!b)
        return WIOT_ENOMEM;
    memcpy(b, f, n * sizeof *b);
    int rc = wi_check_finite(ctx, lu->t, "wiot_quantity: final demand", f, n, 1, n);
    if (!rc)
        rc = wi_lu_solve(ctx, lu, WIOT_NOTRANS, 1, b, n);
    if (!rc)
        rc = wi_check_finite(ctx, lu->t, "wiot_quantity: output", b, n, 1, n);
    if (!rc)
        memcpy(x, b, n * sizeof *x);
    wi_free(ctx, b);
    return rc;
}

int wiot_multipliers(wiot_ctx *ctx, const wiot_lu *lu, double *output_mult, double *backward,
                     double *forward)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu)
        return wi_error(ctx, WIOT_EINVAL, "wiot_multipliers: NULL factorization");
    if (lu->model != WIOT_LEONTIEF)
        return wi_error(ctx, WIOT_EINVAL, "wiot_multipliers needs a Leontief factorization");
    const size_t n = lu->n;
    const double *x = lu->t->x;
    double *m = wi_dalloc(ctx, 2 * (n ? n : 1));
    if (!m)
        return WIOT_ENOMEM;
    double *g = m + n;
    for (size_t j = 0; j < n; j++) {
        m[j] = 1.0;
        g[j] = x[j];
    }
    int rc = wi_lu_solve(ctx, lu, WIOT_TRANS, 1, m, n);   /* m = L^T 1: column sums */
    if (!rc)
        rc = wi_lu_solve(ctx, lu, WIOT_NOTRANS, 1, g, n); /* g = L x */
    if (rc) {
        wi_free(ctx, m);
        return rc;
    }
    double sm = 0, sg = 0;
    size_t active = 0;
    for (size_t i = 0; i < n; i++) {
        g[i] = x[i] > 0 ? g[i] / x[i] : 1.0;   /* Ghosh row sum: G = diag(x)^-1 L diag(x) */
        if (x[i] > 0) {
            sm += m[i];
            sg += g[i];
            active++;
        }
    }
    double mm = active ? sm / (double)active : 1.0, mg = active ? sg / (double)active : 1.0;
    if ((rc = wi_check_finite(ctx, lu->t, "output multiplier", m, n, 1, n)) ||
        (rc = wi_check_finite(ctx, lu->t, "forward linkage (G 1)", g, n, 1, n)) ||
        (rc = wi_check_finite(ctx, lu->t, "mean multiplier", &mm, 1, 1, 1)) ||
        (rc = wi_check_finite(ctx, lu->t, "mean forward linkage", &mg, 1, 1, 1))) {
        wi_free(ctx, m);
        return rc;   /* outputs untouched */
    }
    for (size_t i = 0; i < n; i++) {
        if (output_mult)
            output_mult[i] = m[i];
        if (backward)
            backward[i] = m[i] / mm;
        if (forward)
            forward[i] = g[i] / mg;
    }
    wi_free(ctx, m);
    return WIOT_OK;
}
