/* ge_model.c -- the general-equilibrium model handle and its calibration from a wiot
 * table (kernel/METHODS.md §6.8). */
#include "ge/ge.h"

#include <math.h>
#include <string.h>

static char **wi_ge_codes(wiot_ctx *ctx, size_t count, char *const *src)
{
    size_t bytes = count * sizeof(char *);
    for (size_t k = 0; k < count; k++)
        bytes += strlen(src[k]) + 1;
    char **v = wi_alloc(ctx, bytes);
    if (!v)
        return NULL;
    char *p = (char *)(v + count);
    for (size_t k = 0; k < count; k++) {
        size_t len = strlen(src[k]) + 1;
        memcpy(p, src[k], len);
        v[k] = p;
        p += len;
    }
    return v;
}

void wiot_ge_model_free(wiot_ge_model *m)
{
    if (!m)
        return;
    wiot_allocator a = m->a;
    wi_hfree(&a, m->country);
    wi_hfree(&a, m->sector);
    wi_hfree(&a, m->theta);
    wi_hfree(&a, m->pi);
    wi_hfree(&a, m->tau);
    wi_hfree(&a, m->X);
    wi_hfree(&a, m->gamma);
    wi_hfree(&a, m->beta);
    wi_hfree(&a, m->alpha);
    wi_hfree(&a, m->wL);
    wi_hfree(&a, m->D);
    wi_hfree(&a, m);
}

int wi_ge_model_alloc(wiot_ctx *ctx, size_t N, size_t J, char *const *country,
                      char *const *sector, struct wiot_ge_model **out)
{
    size_t NJ, NNJ, NJJ, bytes;
    int rc = wi_mul(ctx, N, J, &NJ);
    if (!rc)
        rc = wi_mul(ctx, NJ, N, &NNJ);
    if (!rc)
        rc = wi_mul(ctx, NJ, J, &NJJ);
    if (!rc)
        rc = wi_mul(ctx, 2 * NNJ + NJJ + 4 * NJ + 2 * N, sizeof(double), &bytes);
    if (!rc)
        rc = wi_budget(ctx, bytes, "the general-equilibrium model", "%zu countries x %zu sectors", N, J);
    if (rc)
        return rc;
    struct wiot_ge_model *m = wi_calloc(ctx, 1, sizeof *m);
    if (!m)
        return WIOT_ENOMEM;
    m->a = ctx->a;
    m->N = N;
    m->J = J;
    m->country = wi_ge_codes(ctx, N, country);
    m->sector = m->country ? wi_ge_codes(ctx, J, sector) : NULL;
    m->theta = m->sector ? wi_calloc(ctx, J, sizeof(double)) : NULL;
    m->pi = m->theta ? wi_calloc(ctx, NNJ, sizeof(double)) : NULL;
    m->tau = m->pi ? wi_calloc(ctx, NNJ, sizeof(double)) : NULL;
    m->X = m->tau ? wi_calloc(ctx, NJ, sizeof(double)) : NULL;
    m->gamma = m->X ? wi_calloc(ctx, NJJ, sizeof(double)) : NULL;
    m->beta = m->gamma ? wi_calloc(ctx, NJ, sizeof(double)) : NULL;
    m->alpha = m->beta ? wi_calloc(ctx, NJ, sizeof(double)) : NULL;
    m->wL = m->alpha ? wi_calloc(ctx, N, sizeof(double)) : NULL;
    m->D = m->wL ? wi_calloc(ctx, N, sizeof(double)) : NULL;
    if (!m->D) {
        wiot_ge_model_free(m);
        return WIOT_ENOMEM;
    }
    *out = m;
    return WIOT_OK;
}

int wi_ge_schedule_alloc(wiot_ctx *ctx, size_t C, size_t S, wiot_schedule **out)
{
    size_t cells;
    int rc = wi_mul(ctx, C * C, S, &cells);
    if (rc)
        return rc;
    wiot_schedule *s = wi_calloc(ctx, 1, sizeof *s);
    if (!s)
        return WIOT_ENOMEM;
    s->a = ctx->a;
    s->C = C;
    s->S = S;
    s->rate = wi_calloc(ctx, cells, sizeof(double));
    if (!s->rate) {
        wi_hfree(&s->a, s);
        return WIOT_ENOMEM;
    }
    *out = s;
    return WIOT_OK;
}

int wiot_ge_schedule_new(wiot_ctx *ctx, const wiot_ge_model *m, wiot_schedule **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!m || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_schedule_new: NULL argument");
    return wi_ge_schedule_alloc(ctx, m->N, m->J, out);
}

size_t wiot_ge_countries(const wiot_ge_model *m) { return m ? m->N : 0; }
size_t wiot_ge_sectors(const wiot_ge_model *m) { return m ? m->J : 0; }
const char *wiot_ge_country(const wiot_ge_model *m, size_t n)
{
    return m && n < m->N ? m->country[n] : NULL;
}
const char *wiot_ge_sector(const wiot_ge_model *m, size_t j)
{
    return m && j < m->J ? m->sector[j] : NULL;
}
const double *wiot_ge_theta(const wiot_ge_model *m) { return m ? m->theta : NULL; }

int wi_ge_model_check(wiot_ctx *ctx, const struct wiot_ge_model *m)
{
    size_t N = m->N, J = m->J;
    for (size_t j = 0; j < J; j++)
        if (!(m->theta[j] > 0) || !isfinite(m->theta[j]))
            return wi_error(ctx, WIOT_EINVAL, "elasticity of sector '%s' is %g: theta must be "
                            "finite and > 0", m->sector[j], m->theta[j]);
    for (size_t n = 0; n < N; n++) {
        if (!isfinite(m->wL[n]) || !(m->wL[n] > 0))
            return wi_error(ctx, WIOT_EDATA, "calibration: country '%s' has value added %g "
                            "(must be > 0)", m->country[n], m->wL[n]);
        if (!isfinite(m->D[n]))
            return wi_error(ctx, WIOT_EDATA, "calibration: deficit of '%s' is %g",
                            m->country[n], m->D[n]);
        double as = 0;
        for (size_t j = 0; j < J; j++) {
            size_t q = n * J + j;
            double gs = 0;
            for (size_t k = 0; k < J; k++)
                gs += m->gamma[(n * J + k) * J + j];
            if (!(m->beta[q] >= 0) || !(m->beta[q] <= 1) || !isfinite(gs) ||
                fabs(gs + m->beta[q] - 1) > 1e-9)
                return wi_error(ctx, WIOT_EDATA, "calibration fails for '%s_%s': value-added share "
                                "%.6g and input shares summing to %.6g (tariff-inclusive inputs "
                                "exceed output?)", m->country[n], m->sector[j], m->beta[q], gs);
            if (!(m->X[q] >= 0) || !isfinite(m->X[q]) || !(m->alpha[q] >= 0))
                return wi_error(ctx, WIOT_EDATA, "calibration fails for '%s_%s': expenditure %g, "
                                "final-demand share %g", m->country[n], m->sector[j], m->X[q],
                                m->alpha[q]);
            as += m->alpha[q];
            double ps = 0;
            for (size_t i = 0; i < N; i++) {
                double p = m->pi[(j * N + n) * N + i], t = m->tau[(j * N + n) * N + i];
                if (!(p >= 0) || !isfinite(p) || !(t > -1) || !isfinite(t))
                    return wi_error(ctx, WIOT_EDATA, "calibration fails for '%s_%s': share %g, "
                                    "tariff %g from '%s'", m->country[n], m->sector[j], p, t,
                                    m->country[i]);
                ps += p;
            }
            if (fabs(ps - 1) > 1e-9)
                return wi_error(ctx, WIOT_EDATA, "calibration fails for '%s_%s': origin shares "
                                "sum to %.12g", m->country[n], m->sector[j], ps);
        }
        if (fabs(as - 1) > 1e-9)
            return wi_error(ctx, WIOT_EDATA, "calibration fails for '%s': no final demand "
                            "(final-demand shares sum to %g)", m->country[n], as);
    }
    return WIOT_OK;
}

/* Finish a model from purchases: flow[j][n][i] (net of tariffs, >= 0), inputs
 * cost[n][k][j] (tariff-inclusive, >= 0), final[n][j] (tariff-inclusive, >= 0) and
 * output Y[n][j]. Sets pi, X, gamma, beta, alpha, wL, D. */
static void wi_ge_finish(struct wiot_ge_model *m, double *flow, const double *cost,
                         double *final, double *Y, wiot_ge_calib *cal)
{
    size_t N = m->N, J = m->J;
    /* a sector whose tariff-inclusive inputs exceed its sales (its negative inventory
     * cells were zeroed): the difference is added as a domestic final sale of its own
     * goods, so beta = 0 and the baseline stays an equilibrium */
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++) {
            size_t q = n * J + j;
            double in = 0;
            for (size_t k = 0; k < J; k++)
                in += cost[(n * J + k) * J + j];
            if (in > Y[q] && Y[q] > 0) {
                double diff = in - Y[q];
                flow[(j * N + n) * N + n] += diff;
                final[q] += diff;
                Y[q] = in;
                cal->rebalanced++;
            }
        }
    for (size_t j = 0; j < J; j++)
        for (size_t n = 0; n < N; n++) {
            double Xs = 0;
            const double *f = flow + (j * N + n) * N, *t = m->tau + (j * N + n) * N;
            for (size_t i = 0; i < N; i++)
                Xs += f[i] * (1 + t[i]);
            double *p = m->pi + (j * N + n) * N;
            if (Xs > 0) {
                for (size_t i = 0; i < N; i++)
                    p[i] = f[i] * (1 + t[i]) / Xs;
            } else {
                p[n] = 1;
                cal->no_purchases++;
            }
            m->X[n * J + j] = Xs;
        }
    for (size_t n = 0; n < N; n++) {
        double ftot = 0, wl = 0, rev = 0;
        for (size_t j = 0; j < J; j++)
            ftot += final[n * J + j];
        for (size_t j = 0; j < J; j++) {
            size_t q = n * J + j;
            m->alpha[q] = ftot > 0 ? final[q] / ftot : 0;
            if (Y[q] > 0) {
                double gs = 0;
                for (size_t k = 0; k < J; k++) {
                    double g = cost[(n * J + k) * J + j] / Y[q];
                    m->gamma[(n * J + k) * J + j] = g;
                    gs += g;
                }
                m->beta[q] = 1 - gs;
                if (m->beta[q] < 0 && m->beta[q] > -1e-12)
                    m->beta[q] = 0;
            } else {
                m->beta[q] = 1;
                cal->zero_output++;
            }
            wl += m->beta[q] * Y[q];
            const double *f = flow + (j * N + n) * N, *t = m->tau + (j * N + n) * N;
            for (size_t i = 0; i < N; i++)
                rev += t[i] * f[i];
        }
        m->wL[n] = wl;
        m->D[n] = ftot - wl - rev;
        cal->world_va += wl;
        cal->deficit_sum += m->D[n];
        double inc = wl + rev + m->D[n];
        if (inc > 0 && fabs(m->D[n]) / inc > cal->max_deficit_share)
            cal->max_deficit_share = fabs(m->D[n]) / inc;
    }
}

int wiot_ge_model_new(wiot_ctx *ctx, const wiot_table *t, const double *theta,
                      const wiot_schedule *baseline, wiot_ge_model **out, wiot_ge_calib *calib)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_model_new: NULL argument");
    if (!theta)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_model_new: no trade elasticities given");
    size_t N = t->C, J = t->S, K = t->K, n = t->n;
    if (baseline && (baseline->C != N || baseline->S != J))
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_model_new: baseline schedule is %zu x %zu, "
                        "table %zu x %zu", baseline->C, baseline->S, N, J);
    for (size_t j = 0; j < J; j++)
        if (!(theta[j] > 0) || !isfinite(theta[j]))
            return wi_error(ctx, WIOT_EINVAL, "elasticity of sector '%s' is %g: theta must be "
                            "finite and > 0", t->sector[j], theta[j]);
    wiot_ge_calib cal;
    memset(&cal, 0, sizeof cal);
    struct wiot_ge_model *m = NULL;
    int rc = wi_ge_model_alloc(ctx, N, J, t->country, t->sector, &m);
    if (rc)
        return rc;
    size_t NNJ = N * N * J, NJ = N * J;
    double *flow = wi_calloc(ctx, NNJ, sizeof(double));
    double *cost = flow ? wi_calloc(ctx, NJ * J, sizeof(double)) : NULL;
    double *final = cost ? wi_calloc(ctx, NJ, sizeof(double)) : NULL;
    double *Y = final ? wi_calloc(ctx, NJ, sizeof(double)) : NULL;
    if (!Y) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    memcpy(m->theta, theta, J * sizeof(double));
    if (baseline)
        for (size_t d = 0; d < N; d++)
            for (size_t c = 0; c < N; c++)
                for (size_t s = 0; s < J; s++) {
                    double r = d == c ? 0 : WI_RATE(baseline, d, c, s);
                    m->tau[(s * N + d) * N + c] = r;
                    cal.baseline_tariffs += r != 0;
                }
    /* intermediate purchases: seller i = (c, s), buyer col = (d, k) */
    for (size_t col = 0; col < n; col++) {
        size_t d = col / J, k = col % J;
        const double *z = t->Z + col * n;
        for (size_t i = 0; i < n; i++) {
            double v = z[i];
            if (v < 0) {
                cal.negative_cells++;
                continue;
            }
            if (v == 0)
                continue;
            size_t c = i / J, s = i % J;
            flow[(s * N + d) * N + c] += v;
            cost[(d * J + s) * J + k] += v * (1 + m->tau[(s * N + d) * N + c]);
            Y[i] += v;
        }
    }
    for (size_t q = 0; q < N * K; q++) {
        size_t d = q / (K ? K : 1);
        const double *f = t->F + q * n;
        for (size_t i = 0; i < n; i++) {
            double v = f[i];
            if (v < 0) {
                cal.negative_cells++;
                continue;
            }
            if (v == 0)
                continue;
            size_t c = i / J, s = i % J;
            flow[(s * N + d) * N + c] += v;
            final[d * J + s] += v * (1 + m->tau[(s * N + d) * N + c]);
            Y[i] += v;
        }
    }
    for (size_t q = 0; q < NJ; q++)
        if (final[q] < 0) {
            final[q] = 0;
            cal.negative_final++;
        }
    wi_ge_finish(m, flow, cost, final, Y, &cal);
    rc = wi_ge_model_check(ctx, m);
done:
    wi_free(ctx, flow);
    wi_free(ctx, cost);
    wi_free(ctx, final);
    wi_free(ctx, Y);
    if (rc) {
        wiot_ge_model_free(m);
        return rc;
    }
    if (calib)
        *calib = cal;
    *out = m;
    return WIOT_OK;
}
