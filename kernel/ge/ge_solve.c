/* ge_solve.c -- the Caliendo-Parro (2015) equilibrium in changes: price fixed point,
 * expenditure system, wage iteration, results (kernel/METHODS.md §6). */
#include "ge/ge.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define PRICE_TOL 1e-15     /* log-price sweep change (relative change of P^) */
#define LIN_TOL 1e-15       /* expenditure sweep change relative to max X' */
#define INNER_MAX 5000

struct wiot_ge_result {
    wiot_allocator a;
    size_t N, J;
    double *la, *sh, *tau1, *dhat, *sn, *rf;
    double *lc, *lP, *g, *u, *S;
    double *X1, *Y1, *Y0, *b, *lw, *glw, *LD, *kap;
    double *Yt;               /* NJ scratch of the expenditure sweep */
    double *gT;               /* gamma as [n][j][k] (input k of sector j), for the price sweep */
    wi_aa aa_w, aa_p, aa_x;
    double *aa_mem;
    double *dense;            /* NJ x NJ for WIOT_GE_LINEAR_DENSE, allocated on first use */
    lapack_int *ipiv;
    double *country;          /* N x WIOT_GE_NCOUNTRY (item-major) */
    double *sector;           /* NJ x WIOT_GE_NSECTOR */
    double *trade;            /* 2 x NNJ, schedule layout */
};

void wiot_ge_result_free(wiot_ge_result *r)
{
    if (!r)
        return;
    wiot_allocator a = r->a;
    double **arr[] = {&r->la, &r->sh, &r->tau1, &r->dhat, &r->sn, &r->rf, &r->lc, &r->lP, &r->g,
                      &r->u, &r->S, &r->X1, &r->Y1, &r->Y0, &r->b, &r->lw, &r->glw, &r->LD,
                      &r->kap, &r->Yt, &r->gT, &r->aa_mem, &r->dense, &r->country, &r->sector, &r->trade};
    for (size_t k = 0; k < sizeof arr / sizeof arr[0]; k++)
        wi_hfree(&a, *arr[k]);
    wi_hfree(&a, r->ipiv);
    wi_hfree(&a, r);
}

int wiot_ge_result_new(wiot_ctx *ctx, const wiot_ge_model *m, wiot_ge_result **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!m || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_result_new: NULL argument");
    size_t N = m->N, J = m->J, NJ = N * J, NNJ = NJ * N;
    size_t need = (6 * NNJ + 13 * NJ + NJ * J + 8 * N + wi_ge_aa_size(N) + 2 * wi_ge_aa_size(NJ)) * sizeof(double);
    int rc = wi_budget(ctx, need, "the general-equilibrium workspace", "%zu x %zu", N, J);
    if (rc)
        return rc;
    wiot_ge_result *r = wi_calloc(ctx, 1, sizeof *r);
    if (!r)
        return WIOT_ENOMEM;
    r->a = ctx->a;
    r->N = N;
    r->J = J;
    struct { double **p; size_t n; } spec[] = {
        {&r->la, NNJ}, {&r->sh, NJ}, {&r->tau1, NNJ}, {&r->dhat, NNJ}, {&r->sn, NNJ}, {&r->rf, NJ},
        {&r->lc, NJ}, {&r->lP, NJ}, {&r->g, NJ}, {&r->u, N}, {&r->S, N}, {&r->X1, NJ},
        {&r->Y1, NJ}, {&r->Y0, NJ}, {&r->b, NJ}, {&r->lw, N}, {&r->glw, N}, {&r->LD, N},
        {&r->kap, N}, {&r->Yt, NJ}, {&r->gT, NJ * J}, {&r->aa_mem, wi_ge_aa_size(N) + 2 * wi_ge_aa_size(NJ)},
        {&r->country, N * WIOT_GE_NCOUNTRY}, {&r->sector, NJ * WIOT_GE_NSECTOR},
        {&r->trade, 2 * NNJ}};
    for (size_t k = 0; k < sizeof spec / sizeof spec[0]; k++) {
        *spec[k].p = wi_calloc(ctx, spec[k].n, sizeof(double));
        if (!*spec[k].p) {
            wiot_ge_result_free(r);
            return WIOT_ENOMEM;
        }
    }
    wi_ge_aa_init(&r->aa_w, N, r->aa_mem);
    wi_ge_aa_init(&r->aa_p, NJ, r->aa_mem + wi_ge_aa_size(N));
    wi_ge_aa_init(&r->aa_x, NJ, r->aa_mem + wi_ge_aa_size(N) + wi_ge_aa_size(NJ));
    *out = r;
    return WIOT_OK;
}

const double *wiot_ge_result_country(const wiot_ge_result *r, int item)
{
    return r && item >= 0 && item < WIOT_GE_NCOUNTRY ? r->country + (size_t)item * r->N : NULL;
}
const double *wiot_ge_result_sector(const wiot_ge_result *r, int item)
{
    return r && item >= 0 && item < WIOT_GE_NSECTOR ? r->sector + (size_t)item * r->N * r->J
                                                    : NULL;
}
const double *wiot_ge_result_trade(const wiot_ge_result *r, int which)
{
    return r && (which == 0 || which == 1) ? r->trade + (size_t)which * r->N * r->N * r->J
                                           : NULL;
}

/* the result's outputs as three writable blocks (ge.h), for moving them between ranks */
size_t wi_ge_result_parts(wiot_ge_result *r, double **part, size_t *len)
{
    const size_t NJ = r->N * r->J;
    part[0] = r->country, len[0] = r->N * WIOT_GE_NCOUNTRY;
    part[1] = r->sector, len[1] = NJ * WIOT_GE_NSECTOR;
    part[2] = r->trade, len[2] = 2 * NJ * r->N;
    return 3;
}

/* ---------------------------------------------------------------- the solve */
typedef struct ge_job {
    const struct wiot_ge_model *m;
    const double *theta;
    const double *Dp;          /* N: deficits D' */
    wiot_ge_result *r;
    wiot_ge_info *info;
    int linear;
    double inner;              /* inner stopping factor: 1 = the tight tolerances below */
    char msg[WI_MSG_MAX];
} ge_job;

#define JOBERR(job, rc, ...) (snprintf((job)->msg, sizeof (job)->msg, __VA_ARGS__), (rc))

/* log P^ <- G(log P^) for wages lw (6.1, 6.2): one sweep; g gets the new values. */
static void ge_price_sweep(ge_job *job, const double *lP, double *g)
{
    const struct wiot_ge_model *m = job->m;
    wiot_ge_result *r = job->r;
    size_t N = m->N, J = m->J;
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++) {
            double s = m->beta[n * J + j] * r->lw[n];
            const double *gm = r->gT + (n * J + j) * J;
            const double *lp = lP + n * J;
            for (size_t k = 0; k < J; k++)
                s += gm[k] * lp[k];
            r->lc[n * J + j] = s;
        }
    for (size_t j = 0; j < J; j++) {
        double th = job->theta[j], mn = INFINITY;
        for (size_t i = 0; i < N; i++)
            if (r->lc[i * J + j] < mn)
                mn = r->lc[i * J + j];
        for (size_t i = 0; i < N; i++)
            r->u[i] = exp(-th * (r->lc[i * J + j] - mn));
        for (size_t n = 0; n < N; n++) {
            const double *a = r->la + (j * N + n) * N;
            double S = 0;
            for (size_t i = 0; i < N; i++)
                S += a[i] * r->u[i];
            if (!(S >= 1e-290)) {
                /* underflow of the scaled sum: the exact log-sum-exp over the masked shares */
                double mx = -INFINITY;
                for (size_t i = 0; i < N; i++)
                    if (a[i] > 0) {
                        double v = log(a[i]) - th * (r->lc[i * J + j] - mn);
                        if (v > mx)
                            mx = v;
                    }
                double s2 = 0;
                for (size_t i = 0; i < N; i++)
                    if (a[i] > 0)
                        s2 += exp(log(a[i]) - th * (r->lc[i * J + j] - mn) - mx);
                g[n * J + j] = -(r->sh[j * N + n] + mx + log(s2)) / th + mn;
            } else {
                g[n * J + j] = -(r->sh[j * N + n] + log(S)) / th + mn;
            }
        }
    }
}

/* Price fixed point for the current wages (warm start from r->lP). */
static int ge_prices(ge_job *job)
{
    wiot_ge_result *r = job->r;
    size_t NJ = job->m->N * job->m->J;
    wi_ge_aa_reset(&r->aa_p);
    for (int it = 0; it < INNER_MAX; it++) {
        ge_price_sweep(job, r->lP, r->g);
        job->info->price_iterations++;
        double d = 0;
        for (size_t q = 0; q < NJ; q++) {
            double e = fabs(r->g[q] - r->lP[q]);
            if (!(e <= d))
                d = e;
        }
        if (!isfinite(d))
            return JOBERR(job, WIOT_EDATA, "price index is not finite");
        if (d <= PRICE_TOL * job->inner) {
            memcpy(r->lP, r->g, NJ * sizeof(double));
            ge_price_sweep(job, r->lP, r->g); /* lc consistent with lP */
            return WIOT_OK;
        }
        if (d < 1e-11)
            memcpy(r->lP, r->g, NJ * sizeof(double)), wi_ge_aa_reset(&r->aa_p); /* plain near the end */
        else
            wi_ge_aa_step(&r->aa_p, r->lP, r->g);
    }
    return JOBERR(job, WIOT_ENOCONV, "price fixed point did not converge in %d sweeps", INNER_MAX);
}

/* Trade shares (6.3) from the converged lc: sn = pi'/(1 + tau'), rf = sum pi' tau'/(1+tau'). */
static void ge_shares(ge_job *job)
{
    const struct wiot_ge_model *m = job->m;
    wiot_ge_result *r = job->r;
    size_t N = m->N, J = m->J;
    for (size_t j = 0; j < J; j++) {
        double th = job->theta[j], mn = INFINITY;
        for (size_t i = 0; i < N; i++)
            if (r->lc[i * J + j] < mn)
                mn = r->lc[i * J + j];
        for (size_t i = 0; i < N; i++)
            r->u[i] = exp(-th * (r->lc[i * J + j] - mn));
        for (size_t n = 0; n < N; n++) {
            const double *a = r->la + (j * N + n) * N, *t = r->tau1 + (j * N + n) * N;
            double *sn = r->sn + (j * N + n) * N;
            double S = 0, rev = 0;
            for (size_t i = 0; i < N; i++) {
                sn[i] = a[i] * r->u[i];
                S += sn[i];
            }
            if (!(S >= 1e-290)) {
                /* underflow of the scaled sum: the exact log-sum-exp over the masked shares */
                double mx = -INFINITY;
                for (size_t i = 0; i < N; i++)
                    if (a[i] > 0) {
                        double v = log(a[i]) - th * (r->lc[i * J + j] - mn);
                        if (v > mx)
                            mx = v;
                    }
                S = 0;
                for (size_t i = 0; i < N; i++) {
                    sn[i] = a[i] > 0 ? exp(log(a[i]) - th * (r->lc[i * J + j] - mn) - mx) : 0;
                    S += sn[i];
                }
            }
            for (size_t i = 0; i < N; i++) {
                double p = sn[i] / S;
                sn[i] = p / (1 + t[i]);
                rev += p - sn[i];
            }
            r->rf[n * J + j] = rev;
        }
    }
}

/* g = Gamma Y(X) + alpha R(X) + b (6.4, 6.5); Y(X) into Y. */
static void ge_exp_sweep(ge_job *job, const double *X, double *g, double *Y)
{
    const struct wiot_ge_model *m = job->m;
    wiot_ge_result *r = job->r;
    size_t N = m->N, J = m->J;
    double *Yt = r->Yt;  /* sector-major, so the update runs over contiguous exporters */
    memset(Yt, 0, N * J * sizeof(double));
    for (size_t j = 0; j < J; j++) {
        double *y = Yt + j * N;
        for (size_t n = 0; n < N; n++) {
            double x = X[n * J + j];
            const double *sn = r->sn + (j * N + n) * N;
            for (size_t i = 0; i < N; i++)
                y[i] += sn[i] * x;
        }
    }
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < J; j++)
            Y[i * J + j] = Yt[j * N + i];
    for (size_t n = 0; n < N; n++) {
        double R = 0;
        for (size_t k = 0; k < J; k++)
            R += r->rf[n * J + k] * X[n * J + k];
        for (size_t j = 0; j < J; j++) {
            const double *gm = m->gamma + (n * J + j) * J;
            double s = 0;
            for (size_t k = 0; k < J; k++)
                s += gm[k] * Y[n * J + k];
            g[n * J + j] = s + m->alpha[n * J + j] * R + r->b[n * J + j];
        }
    }
}

static int ge_expenditure_dense(ge_job *job)
{
    const struct wiot_ge_model *m = job->m;
    wiot_ge_result *r = job->r;
    size_t N = m->N, J = m->J, NJ = N * J;
    if (!r->dense || !r->ipiv)
        return JOBERR(job, WIOT_EINVAL, "dense expenditure workspace missing");
    double *A = r->dense;
    /* row (n,j), column (i,k): delta - gamma_n^{j,k} sn_in^k - [i==n] alpha_n^j rf_n^k */
    memset(A, 0, NJ * NJ * sizeof(double));
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < J; k++) {
            size_t col = i * J + k;
            double *Ac = A + col * NJ;
            const double *sn = r->sn + (k * N + i) * N;
            for (size_t n = 0; n < N; n++) {
                double s = sn[n];
                if (s != 0)
                    for (size_t j = 0; j < J; j++)
                        Ac[n * J + j] -= m->gamma[(n * J + j) * J + k] * s;
            }
            for (size_t j = 0; j < J; j++)
                Ac[i * J + j] -= m->alpha[i * J + j] * r->rf[i * J + k];
            Ac[col] += 1;
        }
    memcpy(r->X1, r->b, NJ * sizeof(double));
    lapack_int info = LAPACKE_dgesv(LAPACK_COL_MAJOR, (lapack_int)NJ, 1, A, (lapack_int)NJ,
                                    r->ipiv, r->X1, (lapack_int)NJ);
    job->info->linear_iterations++;
    if (info != 0)
        return JOBERR(job, info > 0 ? WIOT_ESINGULAR : WIOT_ELAPACK,
                      "expenditure system: dgesv info %d", (int)info);
    double *g = r->g;
    ge_exp_sweep(job, r->X1, g, r->Y1);
    return WIOT_OK;
}

/* Expenditure system for the current shares and wages (warm start from r->X1). */
static int ge_expenditure(ge_job *job)
{
    const struct wiot_ge_model *m = job->m;
    wiot_ge_result *r = job->r;
    size_t N = m->N, J = m->J, NJ = N * J;
    for (size_t n = 0; n < N; n++) {
        double inc = exp(r->lw[n]) * m->wL[n] + job->Dp[n];
        for (size_t j = 0; j < J; j++)
            r->b[n * J + j] = m->alpha[n * J + j] * inc;
    }
    if (job->linear == WIOT_GE_LINEAR_DENSE)
        return ge_expenditure_dense(job);
    wi_ge_aa_reset(&r->aa_x);
    double *g = r->g;
    for (int it = 0; it < INNER_MAX; it++) {
        ge_exp_sweep(job, r->X1, g, r->Y1);
        job->info->linear_iterations++;
        double d = 0, mx = 0;
        for (size_t q = 0; q < NJ; q++) {
            double e = fabs(g[q] - r->X1[q]);
            if (!(e <= d))
                d = e;
            if (fabs(g[q]) > mx)
                mx = fabs(g[q]);
        }
        if (!isfinite(d))
            return JOBERR(job, WIOT_EDATA, "expenditure is not finite");
        if (d <= LIN_TOL * job->inner * mx) {
            memcpy(r->X1, g, NJ * sizeof(double));
            ge_exp_sweep(job, r->X1, g, r->Y1);
            return WIOT_OK;
        }
        if (d < 1e-12 * mx)
            memcpy(r->X1, g, NJ * sizeof(double)), wi_ge_aa_reset(&r->aa_x);
        else
            wi_ge_aa_step(&r->aa_x, r->X1, g);
    }
    return JOBERR(job, WIOT_ENOCONV, "expenditure system did not converge in %d sweeps",
                  INNER_MAX);
}

/* One evaluation at wages r->lw: prices, shares, expenditure, labour demand LD (6.6).
 * Returns the labour-market residual relative to world value added in *res. */
static int ge_eval(ge_job *job, double wva, double *res)
{
    const struct wiot_ge_model *m = job->m;
    wiot_ge_result *r = job->r;
    size_t N = m->N, J = m->J;
    int rc = ge_prices(job);
    if (rc)
        return rc;
    ge_shares(job);
    rc = ge_expenditure(job);
    if (rc)
        return rc;
    double e = 0;
    for (size_t n = 0; n < N; n++) {
        double ld = 0;
        for (size_t j = 0; j < J; j++)
            ld += m->beta[n * J + j] * r->Y1[n * J + j];
        r->LD[n] = ld;
        double d = fabs(ld - exp(r->lw[n]) * m->wL[n]) / wva;
        if (!(d <= e))
            e = d;
    }
    *res = e;
    return isfinite(e) ? WIOT_OK : JOBERR(job, WIOT_EDATA, "labour demand is not finite");
}

/* Set up kappa^ (scaled and shifted into la, sh) and tau' from the schedules. */
static int ge_setup(ge_job *job, const wiot_schedule *tariff, const wiot_schedule *ntb)
{
    const struct wiot_ge_model *m = job->m;
    wiot_ge_result *r = job->r;
    size_t N = m->N, J = m->J;
    for (size_t j = 0; j < J; j++) {
        if (!(job->theta[j] > 0) || !isfinite(job->theta[j]))
            return JOBERR(job, WIOT_EINVAL, "elasticity of sector '%s' is %g: theta must be "
                          "finite and > 0", m->sector[j], job->theta[j]);
        for (size_t n = 0; n < N; n++) {
            size_t o = (j * N + n) * N;
            double emax = -INFINITY;
            for (size_t i = 0; i < N; i++) {
                double t0 = m->tau[o + i];
                double dt = tariff && i != n ? WI_RATE(tariff, n, i, j) : 0;
                double dn = ntb && i != n ? WI_RATE(ntb, n, i, j) : 0;
                double t1 = t0 + dt, dh = 1 + dn;
                if (!(1 + t1 > 0) || !isfinite(t1))
                    return JOBERR(job, WIOT_EINVAL, "tariff of '%s' on '%s' goods of sector '%s' "
                                  "is %g: the trade cost 1 + tariff must be > 0", m->country[n],
                                  m->country[i], m->sector[j], t1);
                if (!(dh > 0) || !isfinite(dh))
                    return JOBERR(job, WIOT_EINVAL, "non-tariff barrier of '%s' on '%s' goods of "
                                  "sector '%s' is %g: the trade cost 1 + rate must be > 0",
                                  m->country[n], m->country[i], m->sector[j], dn);
                r->tau1[o + i] = t1;
                r->dhat[o + i] = dh;
                /* e = -theta log kappa^, 0 for the unshocked cells (most of them) */
                double e = dt == 0 && dn == 0 ? 0 : -job->theta[j] * log((1 + t1) / (1 + t0) * dh);
                r->la[o + i] = e;
                if (m->pi[o + i] > 0 && e > emax)
                    emax = e;
            }
            /* a = pi kappa^-theta scaled by its maximum (sh its log), zero shares masked */
            double amax = 0, base = exp(-emax);
            for (size_t i = 0; i < N; i++) {
                double p = m->pi[o + i], e = r->la[o + i];
                double a = p > 0 ? p * (e == 0 ? base : exp(e - emax)) : 0;
                r->la[o + i] = a;
                if (a > amax)
                    amax = a;
            }
            for (size_t i = 0; i < N; i++)
                r->la[o + i] /= amax;
            r->sh[j * N + n] = emax + log(amax);
        }
    }
    for (size_t n = 0; n < N; n++)
        for (size_t k = 0; k < J; k++)
            for (size_t j = 0; j < J; j++)
                r->gT[(n * J + j) * J + k] = m->gamma[(n * J + k) * J + j];
    /* baseline output and the diagonal preconditioner (METHODS.md §6.9) */
    memset(r->Y0, 0, N * J * sizeof(double));
    for (size_t j = 0; j < J; j++)
        for (size_t n = 0; n < N; n++)
            for (size_t i = 0; i < N; i++) {
                size_t o = (j * N + n) * N + i;
                r->Y0[i * J + j] += m->X[n * J + j] * m->pi[o] / (1 + m->tau[o]);
            }
    for (size_t i = 0; i < N; i++) {
        double k = 0;
        for (size_t j = 0; j < J; j++) {
            double Y = r->Y0[i * J + j];
            if (!(Y > 0))
                continue;
            double comp = 0;
            for (size_t n = 0; n < N; n++) {
                size_t o = (j * N + n) * N + i;
                double sale = m->X[n * J + j] * m->pi[o] / (1 + m->tau[o]);
                comp += sale / Y * (1 - m->pi[o]);
            }
            k += m->beta[i * J + j] * Y / m->wL[i] * job->theta[j] * m->beta[i * J + j] * comp;
        }
        r->kap[i] = 1 + k;
    }
    return WIOT_OK;
}

static void ge_results(ge_job *job)
{
    const struct wiot_ge_model *m = job->m;
    wiot_ge_result *r = job->r;
    size_t N = m->N, J = m->J, NJ = N * J, NNJ = NJ * N;
    double *C = r->country, *Sx = r->sector;
    double *tb = r->trade, *tn = r->trade + NNJ;
    memset(C, 0, N * WIOT_GE_NCOUNTRY * sizeof(double));
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t o = (j * N + n) * N + i, q = (n * N + i) * J + j;
                tb[q] = m->X[n * J + j] * m->pi[o] / (1 + m->tau[o]);
                tn[q] = r->X1[n * J + j] * r->sn[o];
            }
#define CI(item, n) C[(size_t)(item) * N + (n)]
    for (size_t n = 0; n < N; n++) {
        double lPn = 0, R0 = 0, R1 = 0;
        for (size_t j = 0; j < J; j++) {
            lPn += m->alpha[n * J + j] * r->lP[n * J + j];
            for (size_t i = 0; i < N; i++) {
                size_t q = (n * N + i) * J + j, o = (j * N + n) * N + i;
                R0 += m->tau[o] * tb[q];
                R1 += r->tau1[o] * tn[q];
                if (i != n) {
                    CI(WIOT_GE_IMPORTS_BASE, n) += tb[q];
                    CI(WIOT_GE_IMPORTS, n) += tn[q];
                    CI(WIOT_GE_EXPORTS_BASE, i) += tb[q];
                    CI(WIOT_GE_EXPORTS, i) += tn[q];
                }
            }
        }
        double w = exp(r->lw[n]), P = exp(lPn);
        double I0 = m->wL[n] + R0 + m->D[n], I1 = w * m->wL[n] + R1 + job->Dp[n];
        CI(WIOT_GE_WELFARE, n) = I1 / I0 / P - 1;
        CI(WIOT_GE_REAL_WAGE, n) = w / P - 1;
        CI(WIOT_GE_WAGE, n) = w - 1;
        CI(WIOT_GE_PRICE_INDEX, n) = P - 1;
        CI(WIOT_GE_INCOME, n) = I1;
        CI(WIOT_GE_INCOME_BASE, n) = I0;
        CI(WIOT_GE_REVENUE, n) = R1;
        CI(WIOT_GE_REVENUE_BASE, n) = R0;
    }
    /* CP2015 decomposition at baseline flows (METHODS.md §6.10) */
    for (size_t n = 0; n < N; n++) {
        double tot = 0, vot = 0, ntb = 0;
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t qi = (n * N + i) * J + j, qe = (i * N + n) * J + j, o = (j * N + n) * N + i;
                double cn = exp(r->lc[n * J + j]) - 1, ci = exp(r->lc[i * J + j]) - 1;
                tot += tb[qe] * cn - tb[qi] * ci;
                if (tb[qi] > 0)
                    vot += m->tau[o] * tb[qi] * (tn[qi] / tb[qi] - (ci + 1));
                ntb -= tb[qi] * (1 + m->tau[o]) * (r->dhat[o] - 1);
            }
        double I0 = CI(WIOT_GE_INCOME_BASE, n);
        CI(WIOT_GE_TOT, n) = tot / I0;
        CI(WIOT_GE_VOT, n) = vot / I0;
        CI(WIOT_GE_DECOMP, n) = (tot + vot) / I0;
        CI(WIOT_GE_NTB_EFFECT, n) = ntb / I0;
    }
#undef CI
    for (size_t q = 0; q < NJ; q++) {
        double w = exp(r->lw[q / J]), Y0 = r->Y0[q];
        Sx[WIOT_GE_PRICE * NJ + q] = exp(r->lP[q]) - 1;
        Sx[WIOT_GE_COST * NJ + q] = exp(r->lc[q]) - 1;
        Sx[WIOT_GE_OUTPUT * NJ + q] = Y0 > 0 ? r->Y1[q] / Y0 - 1 : 0;
        Sx[WIOT_GE_VALUE_ADDED * NJ + q] = Y0 > 0 ? r->Y1[q] / (w * Y0) - 1 : 0;
    }
}

/* Residuals of the solved equilibrium (goods, balance, numeraire) into info. */
static void ge_check(ge_job *job, double wva)
{
    const struct wiot_ge_model *m = job->m;
    wiot_ge_result *r = job->r;
    size_t N = m->N, J = m->J, NJ = N * J;
    ge_exp_sweep(job, r->X1, r->g, r->Y1);
    double d = 0, mx = 0, num = 0;
    for (size_t q = 0; q < NJ; q++) {
        d = fmax(d, fabs(r->g[q] - r->X1[q]));
        mx = fmax(mx, fabs(r->X1[q]));
    }
    job->info->goods_residual = mx > 0 ? d / mx : d;
    const double *C = r->country;
    double bal = 0;
    for (size_t n = 0; n < N; n++) {
        bal = fmax(bal, fabs(C[WIOT_GE_IMPORTS * N + n] - C[WIOT_GE_EXPORTS * N + n] - job->Dp[n]));
        num += exp(r->lw[n]) * m->wL[n];
    }
    job->info->balance_residual = bal / wva;
    job->info->numeraire_residual = fabs(num / wva - 1);
}

static int ge_solve_job(ge_job *job, const wiot_schedule *tariff, const wiot_schedule *ntb,
                        const wiot_ge_options *opt)
{
    const struct wiot_ge_model *m = job->m;
    wiot_ge_result *r = job->r;
    size_t N = m->N, J = m->J, NJ = N * J;
    double t0 = wi_now();
    double tol = opt && opt->tol > 0 ? opt->tol : 1e-12;
    int maxit = opt && opt->max_iter > 0 ? opt->max_iter : 500;
    memset(job->info, 0, sizeof *job->info);
    int rc = ge_setup(job, tariff, ntb);
    if (rc)
        return rc;
    double wva = 0, dsum = 0;
    for (size_t n = 0; n < N; n++) {
        wva += m->wL[n];
        dsum += job->Dp[n];
    }
    if (fabs(dsum) > 1e-9 * wva)
        return JOBERR(job, WIOT_EDATA, "deficits sum to %g (%.3g of world value added): trade "
                      "cannot balance", dsum, dsum / wva);
    memset(r->lw, 0, N * sizeof(double));
    memset(r->lP, 0, NJ * sizeof(double));
    memcpy(r->X1, m->X, NJ * sizeof(double));
    wi_ge_aa_reset(&r->aa_w);
    double res = INFINITY, best = INFINITY;
    int it;
    job->inner = 1e9;          /* the first evaluation: inner solves to 1e-6 */
    for (it = 0;; it++) {
        rc = ge_eval(job, wva, &res);
        if (rc)
            break;
        if (res <= tol && job->inner > 1) {
            /* accepted only after an evaluation with the tight inner tolerances */
            job->inner = 1;
            rc = ge_eval(job, wva, &res);
            if (rc)
                break;
        }
        job->info->residual = res;
        if (res <= tol)
            break;
        /* inexact inner solves while the wages are far: 10^-3 of the residual */
        job->inner = fmin(1e9, fmax(1, 1e-3 * res / 1e-15));
        if (it >= maxit) {
            rc = JOBERR(job, WIOT_ENOCONV, "the wage iteration did not converge in %d iterations: "
                        "labour-market residual %.3g (relative to world value added), tolerance "
                        "%.3g", maxit, res, tol);
            break;
        }
        if (res > 10 * best)
            wi_ge_aa_reset(&r->aa_w);  /* a bad extrapolation: restart the history */
        if (res < best)
            best = res;
        double s = 0;
        for (size_t n = 0; n < N; n++) {
            r->glw[n] = r->lw[n] + log(r->LD[n] / (exp(r->lw[n]) * m->wL[n])) / r->kap[n];
            s += exp(r->glw[n]) * m->wL[n];
        }
        double sh = log(wva / s);
        for (size_t n = 0; n < N; n++)
            r->glw[n] += sh;
        wi_ge_aa_step(&r->aa_w, r->lw, r->glw);
        s = 0;
        for (size_t n = 0; n < N; n++)
            s += exp(r->lw[n]) * m->wL[n];
        sh = log(wva / s);
        for (size_t n = 0; n < N; n++)
            r->lw[n] += sh;
    }
    job->info->iterations = it;
    if (!rc) {
        ge_results(job);
        ge_check(job, wva);
        for (size_t q = 0; q < N * WIOT_GE_NCOUNTRY; q++)
            if (!isfinite(r->country[q]))
                rc = JOBERR(job, WIOT_EDATA, "a result for '%s' is not finite",
                            m->country[q % N]);
    }
    job->info->seconds = wi_now() - t0;
    return rc;
}

/* The NJ x NJ workspace of WIOT_GE_LINEAR_DENSE, allocated once per result handle
 * (from the calling thread, before any parallel region). */
static int ge_dense_ready(wiot_ctx *ctx, wiot_ge_result *r)
{
    if (r->dense)
        return WIOT_OK;
    size_t NJ = r->N * r->J, cells;
    int rc = wi_mul(ctx, NJ, NJ, &cells);
    if (!rc)
        rc = wi_budget(ctx, cells > SIZE_MAX / 8 ? SIZE_MAX : 8 * cells,
                       "the dense expenditure system", "%zu x %zu", NJ, NJ);
    if (rc)
        return rc;
    r->dense = wi_dalloc(ctx, cells);
    r->ipiv = r->dense ? wi_calloc(ctx, NJ, sizeof(lapack_int)) : NULL;
    if (!r->ipiv) {
        wi_free(ctx, r->dense);
        r->dense = NULL;
        return WIOT_ENOMEM;
    }
    return WIOT_OK;
}

static int ge_args(wiot_ctx *ctx, const wiot_ge_model *m, const wiot_schedule *tariff,
                   const wiot_schedule *ntb, const wiot_ge_result *r, const wiot_ge_options *opt)
{
    if (!m || !r)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_solve: NULL argument");
    if (r->N != m->N || r->J != m->J)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_solve: result handle is %zu x %zu, model "
                        "%zu x %zu", r->N, r->J, m->N, m->J);
    const wiot_schedule *s[2] = {tariff, ntb};
    for (int k = 0; k < 2; k++)
        if (s[k] && (s[k]->C != m->N || s[k]->S != m->J))
            return wi_error(ctx, WIOT_EINVAL, "wiot_ge_solve: %s schedule is %zu x %zu, model "
                            "%zu x %zu", k ? "non-tariff" : "tariff", s[k]->C, s[k]->S, m->N, m->J);
    if (opt && (opt->deficits < 0 || opt->deficits > 1 || opt->linear < 0 || opt->linear > 1 ||
                opt->max_iter < 0 || !(opt->tol >= 0)))
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_solve: invalid options");
    return WIOT_OK;
}

static int ge_run(wiot_ctx *ctx, const wiot_ge_model *m, const wiot_schedule *tariff,
                  const wiot_schedule *ntb, const wiot_ge_options *opt, wiot_ge_result *r,
                  wiot_ge_info *info, double *Dp, char *msg)
{
    ge_job job;
    wiot_ge_info dummy;
    job.m = m;
    job.r = r;
    job.info = info ? info : &dummy;
    job.theta = opt && opt->theta ? opt->theta : m->theta;
    job.linear = opt ? opt->linear : 0;
    job.msg[0] = 0;
    for (size_t n = 0; n < m->N; n++)
        Dp[n] = opt && opt->deficits == WIOT_GE_DEFICITS_ZERO ? 0 : m->D[n];
    job.Dp = Dp;
    int rc = ge_solve_job(&job, tariff, ntb, opt);
    if (rc)
        snprintf(msg, WI_MSG_MAX, "%s", job.msg);
    (void)ctx;
    return rc;
}

int wiot_ge_solve(wiot_ctx *ctx, const wiot_ge_model *m, const wiot_schedule *tariff,
                  const wiot_schedule *ntb, const wiot_ge_options *opt, wiot_ge_result *r,
                  wiot_ge_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    int rc = ge_args(ctx, m, tariff, ntb, r, opt);
    if (!rc && opt && opt->linear == WIOT_GE_LINEAR_DENSE)
        rc = ge_dense_ready(ctx, r);
    if (rc)
        return rc;
    double *Dp = wi_alloc(ctx, m->N * sizeof(double));
    if (!Dp)
        return WIOT_ENOMEM;
    char msg[WI_MSG_MAX];
    wi_threads st;
    wi_threads_begin(ctx, &st);
    rc = ge_run(ctx, m, tariff, ntb, opt, r, info, Dp, msg);
    wi_threads_end(&st);
    wi_free(ctx, Dp);
    if (rc)
        return wi_error(ctx, rc, "%s", msg);
    return WIOT_OK;
}

int wiot_ge_solve_batch(wiot_ctx *ctx, const wiot_ge_model *m, size_t count,
                        const wiot_schedule *const *tariffs, const wiot_schedule *const *ntbs,
                        const wiot_ge_options *opts, wiot_ge_result *const *results,
                        wiot_ge_info *infos, int *rcs)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!m || (count && !results))
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_solve_batch: NULL argument");
    for (size_t k = 0; k < count; k++) {
        int rc = ge_args(ctx, m, tariffs ? tariffs[k] : NULL, ntbs ? ntbs[k] : NULL, results[k],
                         opts ? &opts[k] : NULL);
        if (!rc && opts && opts[k].linear == WIOT_GE_LINEAR_DENSE)
            rc = ge_dense_ready(ctx, results[k]);
        if (rc)
            return wi_error(ctx, rc, "scenario %zu: %s", k, wiot_errmsg(ctx));
    }
    int nt = wi_nthreads(ctx);
    if ((size_t)nt > count)
        nt = count ? (int)count : 1;
    size_t per;
    int rc = wi_mul(ctx, (size_t)nt, m->N * sizeof(double) + WI_MSG_MAX, &per);
    if (rc)
        return rc;
    char *mem = wi_alloc(ctx, per);
    int *rcv = wi_calloc(ctx, count ? count : 1, sizeof(int));
    if (!mem || !rcv) {
        wi_free(ctx, mem);
        wi_free(ctx, rcv);
        return WIOT_ENOMEM;
    }
    size_t first = count, done = 0;
    char *firstmsg = mem + (size_t)nt * m->N * sizeof(double);
    wiot_progress_fn prog = ctx->progress;
    void *pud = ctx->progress_ud;
    if (prog)
        prog(pud, 0, count);
#pragma omp parallel num_threads(nt)
    {
        int tid = omp_get_thread_num();
        double *Dp = (double *)(void *)(mem + (size_t)tid * m->N * sizeof(double));
        char msg[WI_MSG_MAX];
#pragma omp for schedule(dynamic, 1)
        for (size_t k = 0; k < count; k++) {
            int rk = ge_run(ctx, m, tariffs ? tariffs[k] : NULL, ntbs ? ntbs[k] : NULL,
                            opts ? &opts[k] : NULL, results[k], infos ? &infos[k] : NULL, Dp, msg);
            rcv[k] = rk;
            if (rk) {
#pragma omp critical(wi_ge_first)
                if (k < first) {
                    first = k;
                    snprintf(firstmsg, WI_MSG_MAX, "scenario %zu: %.900s", k, msg);
                }
            }
            size_t dn;
#pragma omp atomic capture
            dn = ++done;
            if (prog && tid == 0)
                prog(pud, dn, count);
        }
    }
    if (prog)
        prog(pud, count, count);
    if (rcs)
        memcpy(rcs, rcv, count * sizeof(int));
    rc = first < count ? rcv[first] : WIOT_OK;
    if (rc) {
        char tmp[WI_MSG_MAX];
        snprintf(tmp, sizeof tmp, "%s", firstmsg);
        wi_free(ctx, mem);
        wi_free(ctx, rcv);
        return wi_error(ctx, rc, "%s", tmp);
    }
    wi_free(ctx, mem);
    wi_free(ctx, rcv);
    return WIOT_OK;
}

int wiot_ge_model_rebase(wiot_ctx *ctx, const wiot_ge_model *m, const wiot_ge_options *opt,
                         wiot_ge_model **out, wiot_ge_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!m || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_model_rebase: NULL argument");
    wiot_ge_result *r = NULL;
    struct wiot_ge_model *b = NULL;
    int rc = wiot_ge_result_new(ctx, m, &r);
    if (rc)
        return rc;
    rc = wiot_ge_solve(ctx, m, NULL, NULL, opt, r, info);
    if (!rc)
        rc = wi_ge_model_alloc(ctx, m->N, m->J, m->country, m->sector, &b);
    if (rc) {
        wiot_ge_result_free(r);
        return rc;
    }
    size_t N = m->N, J = m->J, NJ = N * J, NNJ = NJ * N;
    memcpy(b->theta, opt && opt->theta ? opt->theta : m->theta, J * sizeof(double));
    memcpy(b->tau, m->tau, NNJ * sizeof(double));
    memcpy(b->gamma, m->gamma, NJ * J * sizeof(double));
    memcpy(b->beta, m->beta, NJ * sizeof(double));
    memcpy(b->alpha, m->alpha, NJ * sizeof(double));
    memcpy(b->X, r->X1, NJ * sizeof(double));
    for (size_t q = 0; q < NNJ; q++)
        b->pi[q] = r->sn[q] * (1 + r->tau1[q]);
    for (size_t n = 0; n < N; n++) {
        b->wL[n] = exp(r->lw[n]) * m->wL[n];
        b->D[n] = opt && opt->deficits == WIOT_GE_DEFICITS_ZERO ? 0 : m->D[n];
    }
    wiot_ge_result_free(r);
    *out = b;
    return WIOT_OK;
}
