/* batch.c -- many tariff scenarios at once (kernel/METHODS.md §3.5).
 *
 * First-order: C = L^T D, one transposed solve with m right-hand sides.
 * Exact: scenarios are grouped by their set of imposing countries. E^T has non-zero
 * rows only for buyers in those countries, so within a group every scenario is a
 * rank-k update (k = imposers * S) of the same baseline M0 = I - A^T with the same
 * selection P: Y = M0^{-1} P is computed once per group (k solves), and each scenario
 * then needs only its own W (k x n), the k x k capacitance I - W Y (2nk^2 flops) and
 * its LU (2k^3/3): dp = y0 + Y (I - W Y)^{-1} W y0 with y0 = L^T d, which is the
 * first-order result already computed for the whole batch. Scenarios run in
 * parallel (OpenMP over scenarios; the small BLAS calls inside are serial). Groups
 * with k > n/3 iterate dp <- L^T (d + E^T dp) for the whole group at once (one solve
 * with the group's right-hand sides per sweep, BLAS threads). Every scenario then
 * gets the true residual r = d - (I - A^T - E^T) dp, with A^T dp for the whole batch
 * as one dgemm, and scenarios above the tolerance are refined. */
#include "tariff/tariff.h"

#include <math.h>
#include <omp.h>
#include <string.h>
#include <cblas.h>

struct wiot_batch {
    wiot_allocator a;
    const wiot_lu *lu;
    const wiot_table *t;
    size_t n, C, S, K, max, m;
    int have_cum, have_exact;
    /* results, column per scenario */
    double *D, *Cm, *P, *X, *FP, *FD, *FA, *FAD, *CE, *REV, *ROLE;
    wiot_info *info;
    /* workspace */
    double *R, *T2;          /* n x max */
    size_t *imp;             /* C x max: imposer lists */
    size_t *nimp;            /* max */
    size_t *order;           /* max: scenarios sorted by group */
    int *status;             /* max */
    double *fsum;            /* C*K: sums of final-demand columns */
};

static void wi_batch_release(wiot_batch *b)
{
    wiot_allocator a = b->a;
    double **blocks[] = {&b->D, &b->Cm, &b->P, &b->X, &b->FP, &b->FD, &b->FA, &b->FAD, &b->CE,
                         &b->REV, &b->ROLE, &b->R, &b->T2, &b->fsum};
    for (size_t q = 0; q < sizeof blocks / sizeof *blocks; q++)
        wi_hfree(&a, *blocks[q]);
    wi_hfree(&a, b->info);
    wi_hfree(&a, b->imp);
    wi_hfree(&a, b->nimp);
    wi_hfree(&a, b->order);
    wi_hfree(&a, b->status);
    wi_hfree(&a, b);
}

size_t wi_batch_arrays(wiot_batch *b, double **arr, size_t *rows);
wiot_info *wi_batch_infos(wiot_batch *b);
void wi_batch_set_count(wiot_batch *b, size_t m, int have_cum, int have_exact);
void wi_batch_flags(const wiot_batch *b, int *have_cum, int *have_exact);
size_t wi_batch_max(const wiot_batch *b);

void wiot_batch_free(wiot_batch *b)
{
    if (b)
        wi_batch_release(b);
}

int wiot_batch_new(wiot_ctx *ctx, const wiot_lu *lu, size_t max_scenarios, wiot_batch **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!lu || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_batch_new: NULL argument");
    if (lu->model != WIOT_LEONTIEF)
        return wi_error(ctx, WIOT_EINVAL, "wiot_batch_new needs a Leontief factorization");
    if (max_scenarios == 0)
        return wi_error(ctx, WIOT_EINVAL, "wiot_batch_new: max_scenarios must be >= 1");
    const wiot_table *t = lu->t;
    const size_t n = t->n, C = t->C, K = t->K, m = max_scenarios;
    size_t nm = 0, ckm = 0, cm = 0, ck = 0;
    int rc = wi_mul(ctx, n, m, &nm);
    if (!rc)
        rc = wi_mul(ctx, C * K, m, &ckm);
    if (!rc)
        rc = wi_mul(ctx, C, m, &cm);
    if (!rc)
        rc = wi_mul(ctx, C, K, &ck);
    /* everything allocated below, refused up front with its size when over the cap */
    double need = 8.0 * (6.0 * (double)nm + 2.0 * (double)ckm + 5.0 * (double)cm + (double)ck + 1) +
                  (double)m * (double)(sizeof(wiot_info) + 3 * sizeof(size_t) + sizeof(int)) +
                  (double)cm * (double)sizeof(size_t);
    if (!rc)
        rc = wi_budget(ctx, need >= (double)SIZE_MAX ? SIZE_MAX : (size_t)need, "the batch",
                       "n = %zu, %zu scenarios", n, m);
    if (rc)
        return rc;
    wiot_batch *b = wi_calloc(ctx, 1, sizeof *b);
    if (!b)
        return WIOT_ENOMEM;
    b->a = ctx->a;
    b->lu = lu;
    b->t = t;
    b->n = n;
    b->C = C;
    b->S = t->S;
    b->K = K;
    b->max = m;
    double **nblocks[] = {&b->D, &b->Cm, &b->P, &b->X, &b->R, &b->T2};
    for (size_t q = 0; q < sizeof nblocks / sizeof *nblocks; q++)
        if (!(*nblocks[q] = wi_dalloc(ctx, nm))) {
            wi_batch_release(b);
            return WIOT_ENOMEM;
        }
    double **ckblocks[] = {&b->FP, &b->FD};
    for (size_t q = 0; q < 2; q++)
        if (!(*ckblocks[q] = wi_dalloc(ctx, ckm))) {
            wi_batch_release(b);
            return WIOT_ENOMEM;
        }
    double **cblocks[] = {&b->FA, &b->FAD, &b->CE, &b->REV, &b->ROLE};
    for (size_t q = 0; q < 5; q++)
        if (!(*cblocks[q] = wi_dalloc(ctx, cm))) {
            wi_batch_release(b);
            return WIOT_ENOMEM;
        }
    b->fsum = wi_dalloc(ctx, ck + 1);
    b->info = wi_calloc(ctx, m, sizeof *b->info);
    b->imp = wi_calloc(ctx, cm, sizeof *b->imp);
    b->nimp = wi_calloc(ctx, m, sizeof *b->nimp);
    b->order = wi_calloc(ctx, m, sizeof *b->order);
    b->status = wi_calloc(ctx, m, sizeof *b->status);
    if (!b->fsum || !b->info || !b->imp || !b->nimp || !b->order || !b->status) {
        wi_batch_release(b);
        return WIOT_ENOMEM;
    }
    for (size_t q = 0; q < ck; q++) {   /* category totals, fixed for the table */
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += t->F[i + q * n];
        b->fsum[q] = sum;
    }
    *out = b;
    return WIOT_OK;
}

size_t wiot_batch_count(const wiot_batch *b) { return b ? b->m : 0; }

const double *wiot_batch_get(const wiot_batch *b, int item, size_t *rows, size_t *ld)
{
    if (!b || b->m == 0)
        return NULL;
    const double *p = NULL;
    size_t r = b->n;
    switch (item) {
    case WIOT_R_DIRECT: p = b->D; break;
    case WIOT_R_CUMULATIVE: p = b->have_cum ? b->Cm : NULL; break;
    case WIOT_R_EXACT: p = b->have_exact ? b->P : NULL; break;
    case WIOT_R_EXTRA_COST: p = b->X; break;
    case WIOT_R_FINAL_PRICE: p = b->FP; r = b->C * b->K; break;
    case WIOT_R_FINAL_DEFINED: p = b->FD; r = b->C * b->K; break;
    case WIOT_R_FINAL_ALL: p = b->FA; r = b->C; break;
    case WIOT_R_FINAL_ALL_DEFINED: p = b->FAD; r = b->C; break;
    case WIOT_R_COUNTRY_EXTRA_COST: p = b->CE; r = b->C; break;
    case WIOT_R_REVENUE: p = b->REV; r = b->C; break;
    case WIOT_R_ROLE: p = b->ROLE; r = b->C; break;
    default: return NULL;
    }
    if (p) {
        if (rows)
            *rows = r;
        if (ld)
            *ld = r;
    }
    return p;
}

const wiot_info *wiot_batch_info(const wiot_batch *b, size_t scenario)
{
    if (!b || scenario >= b->m || !b->have_exact)
        return NULL;
    return &b->info[scenario];
}

/* ------------------------------------------------------------ exact groups */
static int wi_same_set(const wiot_batch *b, size_t s1, size_t s2)
{
    if (b->nimp[s1] != b->nimp[s2])
        return 0;
    return !memcmp(b->imp + s1 * b->C, b->imp + s2 * b->C, b->nimp[s1] * sizeof *b->imp);
}

/* sort scenarios so that those with the same imposer set are adjacent (insertion
 * sort keeps it re-entrant; m is modest and the input is usually one group) */
static void wi_group_order(wiot_batch *b)
{
    size_t m = b->m;
    for (size_t s = 0; s < m; s++)
        b->order[s] = s;
    for (size_t q = 1; q < m; q++) {
        size_t v = b->order[q], r = q;
        while (r > 0) {
            size_t u = b->order[r - 1];
            int c;
            if (b->nimp[u] != b->nimp[v])
                c = b->nimp[u] < b->nimp[v] ? -1 : 1;
            else {
                c = memcmp(b->imp + u * b->C, b->imp + v * b->C, b->nimp[u] * sizeof *b->imp);
                if (!c)
                    c = (u > v) - (u < v);
            }
            if (c <= 0)
                break;
            b->order[r] = u;
            r--;
        }
        b->order[r] = v;
    }
}

/* Woodbury for the scenarios order[g0..g1) sharing the imposer list imp (k = nimp*S).
 * W is block sparse: row r (a buyer in imposer d) has non-zeros only in the columns of
 * exporters c that d taxes. Each scenario restricts W and Y to the union U of those
 * exporters (ku = |U| S columns/rows), so a bilateral scenario costs 2k^2 ku flops
 * instead of 2k^2 n. Y is computed once for the group; progress is reported between
 * chunks of 256 scenarios. */
static int wi_group_woodbury(wiot_ctx *ctx, wiot_batch *b, const wiot_schedule *const *sch,
                             size_t g0, size_t g1, double rho, int nt, size_t done0)
{
    const wiot_table *t = b->t;
    const size_t n = b->n, S = b->S, C = b->C;
    const size_t first = b->order[g0], nimp = b->nimp[first], k = nimp * S;
    const size_t *imp = b->imp + first * C;
    size_t nk, kk;
    int rc = wi_mul(ctx, n, k, &nk);
    if (!rc)
        rc = wi_mul(ctx, k, k, &kk);
    if (rc)
        return rc;
    double *Y = wi_dalloc(ctx, nk);
    /* per-thread scratch: W (k x n), Yu (n x k), Sk (k x k), z (k), yu (n), work (4k);
     * piv, iwork (k each); U (C) */
    size_t per = 2 * nk + kk + 5 * k + n;
    double *scr = wi_dalloc(ctx, per * (size_t)nt);
    lapack_int *piv = wi_calloc(ctx, 2 * k * (size_t)nt, sizeof *piv);
    size_t *ubuf = wi_calloc(ctx, C * (size_t)nt, sizeof *ubuf);
    if (!Y || !scr || !piv || !ubuf) {
        rc = WIOT_ENOMEM;
        goto out;
    }
    memset(Y, 0, nk * sizeof *Y);
    for (size_t r = 0; r < k; r++)
        Y[imp[r / S] * S + r % S + r * n] = 1.0;
    rc = wi_lu_solve(ctx, b->lu, WIOT_TRANS, k, Y, n);   /* Y = L^T P */
    if (rc)
        goto out;
    double setup_flops = 2.0 * (double)n * (double)n * (double)k;
    for (size_t c0 = g0; c0 < g1;) {
        size_t c1 = g1 - c0 > 256 ? c0 + 256 : g1;
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
        for (size_t q = c0; q < c1; q++) {
            const size_t s = b->order[q];
            const int me = omp_get_thread_num();
            double *W = scr + per * (size_t)me, *Yu = W + nk, *Sk = Yu + nk, *z = Sk + kk, *yu = z + k,
                   *work = yu + n;
            lapack_int *pv = piv + 2 * k * (size_t)me, *iwork = pv + k;
            size_t *U = ubuf + C * (size_t)me;
            const wiot_schedule *sc = sch[s];
            double t0 = wi_now();
            /* U: exporters taxed by any imposer of the group in this scenario */
            size_t nu = 0;
            for (size_t c = 0; c < C; c++) {
                int any = 0;
                for (size_t qi = 0; qi < nimp && !any; qi++) {
                    const double *rate = &WI_RATE(sc, imp[qi], c, 0);
                    for (size_t u = 0; u < S; u++)
                        if (rate[u] != 0.0) {
                            any = 1;
                            break;
                        }
                }
                if (any)
                    U[nu++] = c;
            }
            const size_t ku = nu * S;
            /* W restricted to U's columns: k x ku, column u*S + v <-> seller U[u]*S + v */
            memset(W, 0, k * ku * sizeof *W);
            for (size_t r = 0; r < k; r++) {
                size_t d = imp[r / S], j = d * S + r % S;
                if (!(t->x[j] > 0))
                    continue;
                const double *zj = t->Z + j * n;
                double f = rho / t->x[j];
                for (size_t u = 0; u < nu; u++) {
                    size_t c = U[u];
                    if (c == d)
                        continue;
                    const double *rate = &WI_RATE(sc, d, c, 0);
                    for (size_t v = 0; v < S; v++)
                        W[r + (u * S + v) * k] = f * zj[c * S + v] * rate[v];
                }
            }
            /* Yu = rows of Y for U (gathered unless U is everything) */
            const double *Yr = Y;
            size_t ldy = n;
            if (nu < C) {
                for (size_t col = 0; col < k; col++)
                    for (size_t u = 0; u < nu; u++)
                        memcpy(Yu + u * S + col * ku, Y + U[u] * S + col * n, S * sizeof *Yu);
                Yr = Yu;
                ldy = ku;
            }
            const double *y0 = b->Cm + s * n;
            for (size_t u = 0; u < nu; u++)
                memcpy(yu + u * S, y0 + U[u] * S, S * sizeof *yu);
            wiot_info *inf = &b->info[s];
            memset(inf, 0, sizeof *inf);
            inf->method = WIOT_METHOD_WOODBURY;
            inf->rank = k;
            double rcond = 0;
            int linfo = wi_lowrank_factor(k, ku, -1.0, W, k, Yr, ldy, Sk, pv, work, iwork, &rcond);
            if (linfo != 0) {
                b->status[s] = WIOT_ESINGULAR;
                continue;
            }
            double *p = b->P + s * n;
            memcpy(p, y0, n * sizeof *p);
            if (ku > 0)
                cblas_dgemv(CblasColMajor, CblasNoTrans, (int)k, (int)ku, 1.0, W, (int)k, yu, 1, 0.0, z, 1);
            else
                memset(z, 0, k * sizeof *z);
            wi_lowrank_apply(n, k, 1, -1.0, Y, n, Sk, pv, z, k, p, n);   /* k x k: cannot fail */
            inf->flops = 2.0 * (double)k * (double)k * (double)ku + 2.0 / 3.0 * (double)k * (double)k * (double)k +
                         2.0 * (double)n * (double)k + 2.0 * (double)ku * (double)k +
                         setup_flops / (double)(g1 - g0);
            inf->seconds = wi_now() - t0;
        }
        c0 = c1;
        if (ctx->progress)
            ctx->progress(ctx->progress_ud, done0 + (c0 - g0), b->m);
    }
out:
    wi_free(ctx, Y);
    wi_free(ctx, scr);
    wi_free(ctx, piv);
    wi_free(ctx, ubuf);
    return rc;
}

/* fixed point for the group order[g0..g1): dp <- L^T (d + E^T dp), all scenarios of
 * the group in one solve per sweep. Columns are gathered into b->R. */
static int wi_group_iterate(wiot_ctx *ctx, wiot_batch *b, const wiot_schedule *const *sch,
                            size_t g0, size_t g1, double rho, int nt)
{
    const size_t n = b->n, C = b->C, g = g1 - g0;
    const size_t first = b->order[g0], nimp = b->nimp[first];
    const size_t *imp = b->imp + first * C;
    double *X = b->R, *E = b->T2;   /* n x g each */
    for (size_t q = 0; q < g; q++)
        memcpy(X + q * n, b->Cm + b->order[g0 + q] * n, n * sizeof *X);   /* start: first order */
    double t0 = wi_now();
    int it = 0, done = 0;
    double delta = INFINITY, last = INFINITY;
    while (!done && it < 500) {
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
        for (size_t q = 0; q < g; q++) {
            size_t s = b->order[g0 + q];
            wi_Et_apply(1, b->t, sch[s], imp, nimp, rho, X + q * n, E + q * n);
            const double *d = b->D + s * n;
            for (size_t i = 0; i < n; i++)
                E[q * n + i] += d[i];
        }
        int rc = wi_lu_solve(ctx, b->lu, WIOT_TRANS, g, E, n);
        if (rc)
            return rc;
        it++;
        delta = 0;
        double scale = 0;
        for (size_t q = 0; q < g * n; q++) {
            double a = fabs(E[q] - X[q]);
            delta = a > delta || a != a ? a : delta;
            scale = fabs(E[q]) > scale ? fabs(E[q]) : scale;
        }
        double *tmp = X;
        X = E;
        E = tmp;
        if (delta <= 2.220446049250313e-16 * scale)
            done = 1;
        else if (it > 20 && !(delta < 0.999 * last))
            break;
        last = delta;
    }
    double secs = (wi_now() - t0) / (double)g;
    for (size_t q = 0; q < g; q++) {
        size_t s = b->order[g0 + q];
        memcpy(b->P + s * n, X + q * n, n * sizeof *X);
        wiot_info *inf = &b->info[s];
        memset(inf, 0, sizeof *inf);
        inf->method = WIOT_METHOD_ITERATION;
        inf->rank = nimp * b->S;
        inf->iterations = it;
        inf->seconds = secs;
        inf->flops = (double)it * 2.0 * (double)n * (double)n;
        if (!done)
            b->status[s] = WIOT_ENOCONV;
    }
    return WIOT_OK;
}

/* residuals of all exact solutions, batched: R = D - (P - A^T P - E^T P); returns per
 * scenario ||R||_inf in info, and refines those above tolerance with a few fixed-point
 * correction steps (each one transposed solve). */
static int wi_batch_residuals(wiot_ctx *ctx, wiot_batch *b, const wiot_schedule *const *sch, double rho,
                              int nt)
{
    const wiot_table *t = b->t;
    const size_t n = b->n, m = b->m, C = b->C;
    for (int pass = 0; pass < 3; pass++) {
        wi_threads th;
        wi_threads_begin(ctx, &th);
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)n, (int)m, (int)n, 1.0, t->Z, (int)n, b->P,
                    (int)n, 0.0, b->R, (int)n);
        wi_threads_end(&th);
        wi_account(ctx, 2.0 * (double)n * (double)n * (double)m, 0);
        size_t need = 0;
#pragma omp parallel for num_threads(nt) schedule(dynamic, 4) reduction(+ : need)
        for (size_t s = 0; s < m; s++) {
            double *r = b->R + s * n, *e = b->T2 + s * n;
            const double *p = b->P + s * n, *d = b->D + s * n;
            wi_Et_apply(1, t, sch[s], b->imp + s * C, b->nimp[s], rho, p, e);
            double worst = 0, sd = 0, sp = 0;
            for (size_t j = 0; j < n; j++) {
                double at = t->x[j] > 0 ? r[j] / t->x[j] : 0.0;
                r[j] = d[j] - (p[j] - at - e[j]);
                double a = fabs(r[j]);
                worst = a > worst || a != a ? a : worst;
                sd = fabs(d[j]) > sd ? fabs(d[j]) : sd;
                sp = fabs(p[j]) > sp ? fabs(p[j]) : sp;
            }
            b->info[s].residual = worst;
            int refine = b->status[s] == WIOT_OK && worst > 4.0 * 2.220446049250313e-16 * (sd + sp);
            if (!refine)
                memset(r, 0, n * sizeof *r);   /* no correction */
            need += (size_t)refine;
        }
        if (need == 0 || pass == 2)
            break;
        /* correction delta = M^{-1} r by a few fixed-point steps on all columns
         * (zero columns stay zero): delta <- L^T (r + E^T delta) */
        memcpy(b->T2, b->R, n * m * sizeof *b->T2);
        int rc = wi_lu_solve(ctx, b->lu, WIOT_TRANS, m, b->T2, n);   /* delta0 = L^T r */
        if (rc)
            return rc;
        for (int step = 0; step < 3; step++) {
            /* X = r + E^T delta, then delta = L^T X; X lives in R's zero-padded copy */
#pragma omp parallel for num_threads(nt) schedule(dynamic, 4)
            for (size_t s = 0; s < m; s++) {
                double *r = b->R + s * n, *dl = b->T2 + s * n;
                if (b->status[s] != WIOT_OK)
                    continue;
                int zero = 1;
                for (size_t j = 0; j < n && zero; j++)
                    zero = r[j] == 0.0;
                if (zero)
                    continue;
                double *tmp = b->X + s * n;   /* extra-cost array as scratch */
                wi_Et_apply(1, t, sch[s], b->imp + s * C, b->nimp[s], rho, dl, tmp);
                for (size_t j = 0; j < n; j++)
                    dl[j] = r[j] + tmp[j];
            }
            rc = wi_lu_solve(ctx, b->lu, WIOT_TRANS, m, b->T2, n);
            if (rc)
                return rc;
        }
        for (size_t s = 0; s < m; s++) {
            if (b->status[s] != WIOT_OK)
                continue;
            double *p = b->P + s * n, *dl = b->T2 + s * n, *r = b->R + s * n;
            int zero = 1;
            for (size_t j = 0; j < n && zero; j++)
                zero = r[j] == 0.0;
            if (zero)
                continue;
            for (size_t j = 0; j < n; j++)
                p[j] += dl[j];
            b->info[s].iterations++;
        }
    }
    return WIOT_OK;
}

/* ------------------------------------------------------------------- run */
int wiot_batch_run(wiot_ctx *ctx, wiot_batch *b, const wiot_schedule *const *sch, size_t m,
                   double rho, int models)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!b || (!sch && m))
        return wi_error(ctx, WIOT_EINVAL, "wiot_batch_run: NULL argument");
    if (m > b->max)
        return wi_error(ctx, WIOT_EINVAL, "wiot_batch_run: %zu scenarios but the batch holds %zu", m, b->max);
    if (models < WIOT_FIRST_ORDER || models > WIOT_BOTH)
        return wi_error(ctx, WIOT_EINVAL, "wiot_batch_run: models must be first-order, exact or both");
    if (!(rho >= 0.0 && rho <= 1.0))
        return wi_error(ctx, WIOT_EINVAL, "pass-through rate %g is not in [0, 1]", rho);
    const wiot_table *t = b->t;
    const size_t n = b->n, C = b->C, S = b->S, K = b->K;
    for (size_t s = 0; s < m; s++) {
        if (!sch[s])
            return wi_error(ctx, WIOT_EINVAL, "wiot_batch_run: schedule %zu is NULL", s);
        if (sch[s]->C != C || sch[s]->S != S)
            return wi_error(ctx, WIOT_EINVAL,
                            "schedule %zu is %zu countries x %zu sectors but the table is %zu x %zu", s,
                            sch[s]->C, sch[s]->S, C, S);
    }
    b->m = m;
    b->have_cum = b->have_exact = 0;
    if (m == 0)
        return WIOT_OK;
    const int nt = wi_nthreads(ctx);
    double t0 = wi_now();

    /* direct costs and imposer sets */
#pragma omp parallel for num_threads(nt) schedule(dynamic, 4)
    for (size_t s = 0; s < m; s++) {
        b->nimp[s] = wi_imposers(sch[s], b->imp + s * C);
        wi_Et_apply(1, t, sch[s], b->imp + s * C, b->nimp[s], rho, NULL, b->D + s * n);
        b->status[s] = WIOT_OK;
    }
    /* first order for all (also the start of every exact solve): C = L^T D */
    memcpy(b->Cm, b->D, n * m * sizeof *b->Cm);
    int rc = wi_lu_solve(ctx, b->lu, WIOT_TRANS, m, b->Cm, n);
    if (rc)
        return rc;
    b->have_cum = (models & WIOT_FIRST_ORDER) != 0;
    if (ctx->progress)
        ctx->progress(ctx->progress_ud, 0, m);

    if (models & WIOT_EXACT) {
        wi_group_order(b);
        size_t g0 = 0;
        while (g0 < m) {
            size_t g1 = g0 + 1;
            while (g1 < m && wi_same_set(b, b->order[g0], b->order[g1]))
                g1++;
            size_t first = b->order[g0], k = b->nimp[first] * S;
            if (k == 0) {
                for (size_t q = g0; q < g1; q++) {
                    size_t s = b->order[q];
                    memcpy(b->P + s * n, b->Cm + s * n, n * sizeof *b->P);
                    memset(&b->info[s], 0, sizeof b->info[s]);
                    b->info[s].method = WIOT_METHOD_LU;
                }
            } else {
                rc = 3 * k <= n ? wi_group_woodbury(ctx, b, sch, g0, g1, rho, nt, g0)
                                : wi_group_iterate(ctx, b, sch, g0, g1, rho, nt);
                if (rc)
                    return rc;
                if (ctx->progress)
                    ctx->progress(ctx->progress_ud, g1, m);
            }
            g0 = g1;
        }
        for (size_t s = 0; s < m; s++)
            if (b->status[s] == WIOT_ESINGULAR)
                return wi_error(ctx, WIOT_ESINGULAR,
                                "scenario %zu: the tariff-perturbed price system is singular to working "
                                "precision", s);
        rc = wi_batch_residuals(ctx, b, sch, rho, nt);
        if (rc)
            return rc;
        for (size_t s = 0; s < m; s++) {
            if (b->status[s] == WIOT_ENOCONV) {   /* rare: fall back to a fresh dense solve */
                wiot_info inf;
                rc = wiot_price_exact(ctx, b->lu, sch[s], rho, WIOT_METHOD_DENSE, b->D + s * n, b->P + s * n, &inf);
                if (rc)
                    return rc;
                inf.iterations = b->info[s].iterations;
                b->info[s] = inf;
                b->status[s] = WIOT_OK;
            }
            for (size_t j = 0; j < n; j++)
                if (!isfinite(b->P[s * n + j]))
                    return wi_error(ctx, WIOT_ESINGULAR,
                                    "scenario %zu: exact price change of '%s_%s' is not finite", s,
                                    t->country[j / S], t->sector[j % S]);
        }
        b->have_exact = 1;
    }
    const double *PR = b->have_exact ? b->P : b->Cm;

    /* final users: F^T P for all scenarios, plus tariffs on imported final goods */
    const size_t CK = C * K;
    if (CK > 0) {
        wi_threads th;
        wi_threads_begin(ctx, &th);
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)CK, (int)m, (int)n, 1.0, t->F, (int)n, PR,
                    (int)n, 0.0, b->FP, (int)CK);
        wi_threads_end(&th);
    }
#pragma omp parallel for num_threads(nt) schedule(dynamic, 4)
    for (size_t s = 0; s < m; s++) {
        const wiot_schedule *sc = sch[s];
        const double *p = PR + s * n;
        double *fp = b->FP + s * CK, *fd = b->FD + s * CK, *fa = b->FA + s * C, *fad = b->FAD + s * C;
        double *ce = b->CE + s * C, *rev = b->REV + s * C, *role = b->ROLE + s * C, *x = b->X + s * n;
        for (size_t q = 0; q < b->nimp[s]; q++) {
            size_t d = b->imp[s * C + q];
            for (size_t k = 0; k < K; k++) {
                const double *f = t->F + (d * K + k) * n;
                double add = 0;
                for (size_t i = 0; i < n; i++) {
                    size_t c = i / S;
                    if (c == d || f[i] == 0.0)
                        continue;
                    add += f[i] * rho * WI_RATE(sc, d, c, i % S) * (1.0 + p[i]);
                }
                fp[d * K + k] += add;
            }
        }
        for (size_t d = 0; d < C; d++) {
            double num = 0, den = 0;
            for (size_t k = 0; k < K; k++) {
                double sum = b->fsum[d * K + k];
                num += fp[d * K + k];
                den += sum;
                int ok = sum > 0;
                fp[d * K + k] = ok ? fp[d * K + k] / sum : 0.0;
                fd[d * K + k] = ok;
            }
            fa[d] = den > 0 ? num / den : 0.0;
            fad[d] = den > 0;
            ce[d] = 0;
            rev[d] = 0;
            role[d] = 0;
        }
        for (size_t j = 0; j < n; j++) {
            x[j] = p[j] * t->x[j];
            ce[j / S] += x[j];
        }
        for (size_t q = 0; q < b->nimp[s]; q++) {
            size_t d = b->imp[s * C + q];
            rev[d] = wi_revenue(t, sc, d, role);
            role[d] = (double)((int)role[d] | WIOT_ROLE_IMPOSER);
        }
    }
    wi_account(ctx, 0, wi_now() - t0);
    if (ctx->progress)
        ctx->progress(ctx->progress_ud, m, m);
    return WIOT_OK;
}

/* Internal (MPI): the batch's result arrays (column per scenario) with their row
 * counts, in a fixed order; returns how many. */
size_t wi_batch_arrays(wiot_batch *b, double **arr, size_t *rows)
{
    double *a[] = {b->D, b->Cm, b->P, b->X, b->FP, b->FD, b->FA, b->FAD, b->CE, b->REV, b->ROLE};
    size_t r[] = {b->n, b->n, b->n, b->n, b->C * b->K, b->C * b->K, b->C, b->C, b->C, b->C, b->C};
    for (size_t q = 0; q < 11; q++) {
        arr[q] = a[q];
        rows[q] = r[q];
    }
    return 11;
}

wiot_info *wi_batch_infos(wiot_batch *b) { return b->info; }

void wi_batch_set_count(wiot_batch *b, size_t m, int have_cum, int have_exact)
{
    b->m = m;
    b->have_cum = have_cum;
    b->have_exact = have_exact;
}

void wi_batch_flags(const wiot_batch *b, int *have_cum, int *have_exact)
{
    *have_cum = b->have_cum;
    *have_exact = b->have_exact;
}

size_t wi_batch_max(const wiot_batch *b) { return b->max; }
