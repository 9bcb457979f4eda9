/* position.c -- positions in value chains (METHODS.md §7.3-7.4): upstreamness,
 * downstreamness, the production-based decomposition of value added and final
 * goods into domestic, traditional-trade and simple/complex GVC parts, GVC
 * production lengths, and average propagation lengths. Every global quantity is a
 * solve with the workspace's LU; the local inverses are the C block factorizations. */
#include "model/model.h"
#include "wiot.h"

#include <string.h>

#include "gvc/gvc_internal.h"

static const char *const wi_pos_names[WIOT_POS_NITEMS] = {
    "upstream", "downstream", "va_d", "va_rt", "va_gvc_s", "va_gvc_c", "y_d", "y_rt",
    "y_gvc_s", "y_gvc_c", "gvc_fwd", "gvc_bwd", "plv_gvc", "ply_gvc"};

const char *wiot_pos_name(int item)
{
    return item >= 0 && item < WIOT_POS_NITEMS ? wi_pos_names[item] : NULL;
}

/* v <- L_loc v (trans 'N') or L_loc^T v ('T'), block by block */
static void wi_loc_solve(const wiot_gvc *g, char trans, double *v)
{
    const size_t S = g->S;
    for (size_t s = 0; s < g->C; s++)
        LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, trans, (lapack_int)S, 1, g->blk + s * S * S,
                            (lapack_int)S, g->piv + s * S, v + s * S, (lapack_int)S);
}

/* out = A_F in (right) or out^T = in^T A_F (left): A without its diagonal blocks */
static void wi_af(const wiot_gvc *g, int left, const double *in, double *out)
{
    const wiot_table *t = g->t;
    const size_t n = g->n, S = g->S;
    memset(out, 0, n * sizeof *out);
    for (size_t k = 0; k < n; k++) {
        const double xk = t->x[k];
        if (!(xk > 0))
            continue;
        const double *z = t->Z + k * n;
        const size_t c = k / S;
        double a = 0;
        for (size_t i = 0; i < n; i++) {
            if (i / S == c)
                continue;
            if (left)
                a += in[i] * z[i];
            else
                out[i] += z[i] * (in[k] / xk);
        }
        if (left)
            out[k] = a / xk;
    }
}

int wiot_gvc_positions(wiot_ctx *ctx, const wiot_gvc *g, double *pos, size_t ld)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!g || !pos)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_positions: NULL argument");
    const size_t n = g->n, S = g->S, C = g->C;
    if (ld < n)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_positions: leading dimension %zu < n = %zu", ld, n);
    const wiot_table *t = g->t;
    double *w = wi_dalloc(ctx, 16 * n);
    if (!w)
        return WIOT_ENOMEM;
    double *Bx = w, *BY = w + n;                 /* solve N */
    double *one = w + 2 * n, *den = w + 3 * n, *g3 = w + 4 * n;   /* solve T */
    double *yd = w + 5 * n, *yf = w + 6 * n, *lyf = w + 7 * n, *h1 = w + 8 * n;
    double *h2 = w + 9 * n, *fay = w + 10 * n, *p2 = w + 11 * n, *tmp = w + 12 * n;
    double *pa = w + 13 * n, *t2 = w + 14 * n, *afx = w + 15 * n;
    int rc;
    for (size_t i = 0; i < n; i++) {
        const size_t c = i / S;
        double tot = 0;
        for (size_t d = 0; d < C; d++)
            tot += g->Y[i + d * n];
        yd[i] = g->Y[i + c * n];
        yf[i] = tot - yd[i];
        Bx[i] = t->x[i];
        BY[i] = tot;
        one[i] = 1.0;
    }
    if ((rc = wi_lu_solve(ctx, g->lu, WIOT_NOTRANS, 2, Bx, n)))
        goto done;
    /* forward: L_loc Y_F, simple GVC L_loc A_F L_loc Y_D, lengths */
    memcpy(lyf, yf, n * sizeof *lyf);
    wi_loc_solve(g, 'N', lyf);
    wi_af(g, 0, g->LYd, fay);
    wi_loc_solve(g, 'N', fay);                   /* L_loc A_F L_loc Y_D */
    for (size_t i = 0; i < n; i++)
        tmp[i] = t->x[i];
    wi_af(g, 0, tmp, afx);                       /* A_F x */
    memcpy(h1, afx, n * sizeof *h1);
    wi_loc_solve(g, 'N', h1);                    /* L_loc A_F x: denominator */
    memcpy(h2, h1, n * sizeof *h2);
    wi_loc_solve(g, 'N', h2);                    /* L_loc L_loc A_F x */
    wi_af(g, 0, Bx, tmp);
    wi_loc_solve(g, 'N', tmp);                   /* L_loc A_F B x */
    for (size_t i = 0; i < n; i++)
        h2[i] += tmp[i];
    /* backward: p = a_v^T L_loc (g->VL); den = p A_F B; p L_loc A_F B; p A_F B B */
    wi_af(g, 1, g->VL, den);
    memcpy(p2, g->VL, n * sizeof *p2);
    wi_loc_solve(g, 'T', p2);
    wi_af(g, 1, p2, g3);
    /* pa: p A_F L_loc (backward simple GVC) */
    memcpy(pa, den, n * sizeof *pa);
    wi_loc_solve(g, 'T', pa);
    /* one, den, g3 are consecutive: one transposed solve with 3 right-hand sides */
    if ((rc = wi_lu_solve(ctx, g->lu, WIOT_TRANS, 3, one, n)))
        goto done;
    memcpy(t2, den, n * sizeof *t2);
    if ((rc = wi_lu_solve(ctx, g->lu, WIOT_TRANS, 1, t2, n)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        const double x = t->x[i], av = g->av[i], p = g->VL[i];
        const double ytot = yd[i] + yf[i];
        double *q = pos + i;
        q[WIOT_POS_UPSTREAM * ld] = x > 0 ? Bx[i] / x : 1.0;
        q[WIOT_POS_DOWNSTREAM * ld] = one[i];
        const double vd = av * g->LYd[i], vrt = av * lyf[i];
        const double vgvc = av * (BY[i] - g->LYd[i] - lyf[i]), vs = av * fay[i];
        q[WIOT_POS_VA_D * ld] = vd;
        q[WIOT_POS_VA_RT * ld] = vrt;
        q[WIOT_POS_VA_GVC_S * ld] = vs;
        q[WIOT_POS_VA_GVC_C * ld] = vgvc - vs;
        const double ygvc = (g->WS[i] - p) * ytot, ys = pa[i] * yd[i];
        q[WIOT_POS_Y_D * ld] = p * yd[i];
        q[WIOT_POS_Y_RT * ld] = p * yf[i];
        q[WIOT_POS_Y_GVC_S * ld] = ys;
        q[WIOT_POS_Y_GVC_C * ld] = ygvc - ys;
        q[WIOT_POS_GVC_FWD * ld] = t->v[i] > 0 ? vgvc / t->v[i] : 0.0;
        q[WIOT_POS_GVC_BWD * ld] = ytot > 0 ? ygvc / ytot : 0.0;
        q[WIOT_POS_PLV_GVC * ld] = h1[i] > 0 ? h2[i] / h1[i] : 0.0;
        q[WIOT_POS_PLY_GVC * ld] = den[i] > 0 ? (g3[i] + t2[i]) / den[i] : 0.0;
    }
    rc = wi_check_finite(ctx, t, "position", pos, n, WIOT_POS_NITEMS, ld);
done:
    wi_free(ctx, w);
    return rc;
}

int wiot_gvc_apl(wiot_ctx *ctx, const wiot_gvc *g, const size_t *cols, size_t m, double *apl,
                 size_t ld)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!g || (m && (!cols || !apl)))
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_apl: NULL argument");
    const size_t n = g->n;
    if (ld < n)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_apl: leading dimension %zu < n = %zu", ld, n);
    for (size_t q = 0; q < m; q++)
        if (cols[q] >= n)
            return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_apl: column %zu is %zu, not below n = %zu",
                            q, cols[q], n);
    if (!m)
        return WIOT_OK;
    size_t nm;
    int rc = wi_mul(ctx, n, 2 * m, &nm);
    if (rc)
        return rc;
    if ((rc = wi_budget(ctx, nm * sizeof(double) < nm ? SIZE_MAX : nm * sizeof(double),
                        "average propagation lengths", "%zu columns", m)))
        return rc;
    double *X = wi_dalloc(ctx, nm);
    if (!X)
        return WIOT_ENOMEM;
    double *X2 = X + n * m;
    memset(X, 0, n * m * sizeof *X);
    for (size_t q = 0; q < m; q++)
        X[cols[q] + q * n] = 1.0;
    if ((rc = wi_lu_solve(ctx, g->lu, WIOT_NOTRANS, m, X, n)))
        goto done;
    for (size_t q = 0; q < m; q++) {
        X[cols[q] + q * n] -= 1.0;                 /* L - I */
        memcpy(X2 + q * n, X + q * n, n * sizeof *X);
    }
    if ((rc = wi_lu_solve(ctx, g->lu, WIOT_NOTRANS, m, X2, n)))   /* L (L - I) */
        goto done;
    for (size_t q = 0; q < m; q++)
        for (size_t i = 0; i < n; i++) {
            const double d = X[i + q * n];
            apl[i + q * ld] = d > 0 ? X2[i + q * n] / d : 0.0;
        }
    rc = wi_check_finite(ctx, g->t, "average propagation length", apl, n, m, ld);
done:
    wi_free(ctx, X);
    return rc;
}
