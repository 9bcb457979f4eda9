/* bm.c -- Borin & Mancini (2019, 2023) source-based and sink-based decompositions of
 * gross exports (METHODS.md §7.6), exporting-country perspective, broken down by
 * exporting country-sector and importer, with the GVC-related trade share.
 *
 * The extraction inverse B^(s) = (I - A^(s))^{-1} (A^(s): A without s's export rows)
 * is never formed: its column block s is B_.s B_ss^{-1} L_ss (partitioned inverse),
 * its block ss is L_ss, so everything comes from B (one inverse per call), the C
 * local factorizations and C small factorizations of B_ss. */
#include "model/model.h"
#include "wiot.h"

#include <math.h>
#include <string.h>
#include <cblas.h>

#include "gvc/gvc_internal.h"

static const char *const wi_bm_names[WIOT_BM_NITEMS] = {
    "EXGR", "DAVAX", "VAX", "REF", "DVA", "DDC", "FVA", "FDC", "GVC", "GVCB", "GVCF",
    "DVA_sink", "DDC_sink", "FVA_sink", "FDC_sink"};

const char *wiot_bm_name(int item)
{
    return item >= 0 && item < WIOT_BM_NITEMS ? wi_bm_names[item] : NULL;
}

/* out[i] = sum_{k: c(k) != c(i)} A[i, k] in[k] for the n x m block in (ld n), by a
 * dgemm on Z diag(1/x) less the own-country blocks. tmp: n*m. */
static void wi_af_mat(const wiot_gvc *g, const double *in, size_t m, double *out, double *tmp)
{
    const wiot_table *t = g->t;
    const size_t n = g->n, S = g->S;
    for (size_t q = 0; q < m; q++)
        for (size_t k = 0; k < n; k++)
            tmp[k + q * n] = t->x[k] > 0 ? in[k + q * n] / t->x[k] : 0.0;
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)m, (int)n, 1.0, t->Z, (int)n,
                tmp, (int)n, 0.0, out, (int)n);
    for (size_t r = 0; r < g->C; r++)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)S, (int)m, (int)S, -1.0,
                    t->Z + r * S + r * S * n, (int)n, tmp + r * S, (int)n, 1.0, out + r * S, (int)n);
}

/* M <- L_rr M on every country block r, for an n x m block (ld n) */
static void wi_loc_mat(const wiot_gvc *g, double *M, size_t m)
{
    const size_t S = g->S;
    for (size_t r = 0; r < g->C; r++)
        LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, 'N', (lapack_int)S, (lapack_int)m, g->blk + r * S * S,
                            (lapack_int)S, g->piv + r * S, M + r * S, (lapack_int)g->n);
}

int wiot_gvc_bm(wiot_ctx *ctx, const wiot_gvc *g, double *out, size_t ld, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!g || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_bm: NULL argument");
    const size_t C = g->C, S = g->S, n = g->n;
    size_t nn, nC;
    int rc;
    if ((rc = wi_mul(ctx, n, n, &nn)) || (rc = wi_mul(ctx, n, C, &nC)))
        return rc;
    if (ld < nC)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_bm: leading dimension %zu < n*C = %zu", ld, nC);
    const wiot_table *t = g->t;
    const double t0 = wi_now();
    /* B (n^2); XD, G, LY, LG, tmp (5nC); z, zx, q, lyf, lgt (5n); Bss (S^2), fw, fc,
     * w (3S), Q, AQ (12 S); pivots */
    double words = (double)nn + 5.0 * (double)nC + 5.0 * (double)n + (double)S * (double)S + 15.0 * (double)S;
    if ((rc = wi_budget(ctx, (size_t)(words * 8.0), "the Borin-Mancini decomposition",
                        "the global inverse B and %zu x %zu blocks", n, 5 * C)))
        return rc;
    double *B = wi_dalloc(ctx, nn);
    double *R = wi_dalloc(ctx, 5 * nC + 5 * n + S * S + 15 * S);
    lapack_int *ipiv = wi_calloc(ctx, S ? S : 1, sizeof *ipiv);
    if (!B || !R || !ipiv) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    double *XD = R, *G = XD + nC, *LY = G + nC, *LG = LY + nC, *tmp = LG + nC;
    double *z = tmp + nC, *q = z + n, *lyf = q + n, *lgt = lyf + n, *zx = lgt + n;
    double *Bss = zx + n, *fw = Bss + S * S, *fc = fw + S, *w = fc + S, *Q = w + S, *AQ = Q + 6 * S;
    wiot_info binf;
    if ((rc = wi_gvc_inverse(ctx, g, B, &binf)))
        goto done;
    const double *Y = g->Y, *W = g->W;
    wi_threads th;
    wi_threads_begin(ctx, &th);   /* the calling thread's BLAS/OpenMP count for the call */
    /* XD = B Y; G = A_F XD (intermediates r sells abroad for each destination's
     * final demand); LY = L_rr Y, LG = L_rr G */
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)C, (int)n, 1.0, B, (int)n, Y,
                (int)n, 0.0, XD, (int)n);
    wi_af_mat(g, XD, C, G, tmp);
    memcpy(LY, Y, nC * sizeof *LY);
    memcpy(LG, G, nC * sizeof *LG);
    wi_loc_mat(g, LY, C);
    wi_loc_mat(g, LG, C);
    for (size_t k = 0; k < n; k++) {
        const size_t r = k / S;
        double a = 0, b = 0;
        for (size_t d = 0; d < C; d++) {
            if (d != r)
                a += LY[k + d * n];
            b += LG[k + d * n];
        }
        lyf[k] = a, lgt[k] = b;
    }
    double flops = binf.flops + 2.0 * (double)nn * (double)C * 2.0;
    double resid = 0;
    const lapack_int ls = (lapack_int)S;
    for (size_t s = 0; s < C; s++) {
        const size_t o = s * S;
        /* B_ss and its LU; fc = L_ss^T B_ss^{-T} fw: coefficients of FVA (foreign VA
         * reaching s's exports without passing them before) */
        for (size_t b = 0; b < S; b++)
            for (size_t a = 0; a < S; a++)
                Bss[a + b * S] = B[(o + a) + (o + b) * n];
        lapack_int linfo = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, ls, ls, Bss, ls, ipiv);
        if (linfo > 0) {
            wi_threads_end(&th);
            rc = wi_error(ctx, WIOT_ESINGULAR, "Borin-Mancini: block B_ss of '%s' is singular",
                          t->country[s]);
            goto done;
        }
        for (size_t a = 0; a < S; a++) {
            fw[a] = g->WS[o + a] - W[o + a + s * n];
            w[a] = g->LE[o + a];
        }
        memcpy(fc, fw, S * sizeof *fc);
        LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, 'T', ls, 1, Bss, ls, ipiv, fc, ls);
        LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, 'T', ls, 1, g->blk + s * S * S, ls, g->piv + o, fc, ls);
        /* z = B^(s)_.s E_s* = B_.s B_ss^{-1} L_ss E_s*; q = A_F z; then L_rr q_r */
        LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, 'N', ls, 1, Bss, ls, ipiv, w, ls);
        cblas_dgemv(CblasColMajor, CblasNoTrans, (int)n, (int)S, 1.0, B + o * n, (int)n, w, 1, 0.0, z, 1);
        wi_af_mat(g, z, 1, q, zx);
        wi_loc_mat(g, q, 1);
        flops += 2.0 * (double)n * (double)n + 2.0 * (double)n * (double)S;
        for (size_t r = 0; r < C; r++) {
            if (r == s)
                continue;
            for (size_t b = 0; b < S; b++) {
                const size_t k = r * S + b;
                const double sc = t->x[k] > 0 ? 1.0 / t->x[k] : 0.0;
                Q[b + 0 * S] = LY[k + r * n] * sc;                  /* L_rr Y_rr */
                Q[b + 1 * S] = (lyf[k] - LY[k + s * n]) * sc;       /* L_rr sum_{j!=r,s} Y_rj */
                Q[b + 2 * S] = LY[k + s * n] * sc;                  /* L_rr Y_rs */
                Q[b + 3 * S] = (lgt[k] - LG[k + s * n]) * sc;       /* L_rr sum_{l!=s} G_rl */
                Q[b + 4 * S] = LG[k + s * n] * sc;                  /* L_rr G_rs */
                Q[b + 5 * S] = q[k] * sc;                           /* L_rr A_F B^(s)_.s E_s* */
            }
            wi_small_gemm(S, S, 6, t->Z + o + r * S * n, n, Q, S, AQ, S);
            for (size_t a = 0; a < S; a++) {
                const size_t j = o + a, row = j * C + r;
                const double y = Y[j + r * n], e = g->Ei[j + r * n] + y;
                const double p = g->VL[j], vb = W[j + s * n], fwj = fw[a], fcj = fc[a];
                const double davax = p * y + p * AQ[a];
                const double vax = davax + p * AQ[a + S] + p * AQ[a + 3 * S];
                const double ref = p * AQ[a + 2 * S] + p * AQ[a + 4 * S];
                const double dva = vax + ref, ddc = (vb - p) * e, fva = fcj * e, fdc = (fwj - fcj) * e;
                double v[WIOT_BM_NITEMS];
                v[WIOT_BM_EXGR] = e;
                v[WIOT_BM_DAVAX] = davax;
                v[WIOT_BM_VAX] = vax;
                v[WIOT_BM_REF] = ref;
                v[WIOT_BM_DVA] = dva;
                v[WIOT_BM_DDC] = ddc;
                v[WIOT_BM_FVA] = fva;
                v[WIOT_BM_FDC] = fdc;
                v[WIOT_BM_GVC] = e - davax;
                v[WIOT_BM_GVCB] = fva + fdc + ddc;
                v[WIOT_BM_GVCF] = vax - davax + ref;
                v[WIOT_BM_DDC_SINK] = vb * AQ[a + 5 * S];
                v[WIOT_BM_DVA_SINK] = vb * e - v[WIOT_BM_DDC_SINK];
                v[WIOT_BM_FDC_SINK] = fwj * AQ[a + 5 * S];
                v[WIOT_BM_FVA_SINK] = fwj * e - v[WIOT_BM_FDC_SINK];
                for (int c = 0; c < WIOT_BM_NITEMS; c++)
                    out[row + (size_t)c * ld] = v[c];
                double d = fabs(dva - p * e);
                d = fmax(d, fabs(dva + ddc + fva + fdc - e));
                resid = d > resid ? d : resid;
            }
        }
        for (size_t a = 0; a < S; a++)
            for (int c = 0; c < WIOT_BM_NITEMS; c++)
                out[(o + a) * C + s + (size_t)c * ld] = 0.0;
    }
    wi_threads_end(&th);
    flops += 12.0 * (double)S * (double)S * (double)C * (double)C;
    rc = wi_check_finite(ctx, NULL, "Borin-Mancini term", out, nC, WIOT_BM_NITEMS, ld);
    if (!rc && info) {
        memset(info, 0, sizeof *info);
        info->residual = resid;
        info->flops = flops;
        info->seconds = wi_now() - t0;
        info->method = binf.method;
    }
done:
    wi_free(ctx, B);
    wi_free(ctx, R);
    wi_free(ctx, ipiv);
    return rc;
}
