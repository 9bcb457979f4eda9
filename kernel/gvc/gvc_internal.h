/* gvc_internal.h -- the value-chain workspace (kernel/gvc/). Not installed. */
#ifndef WIOT_GVC_INTERNAL_H
#define WIOT_GVC_INTERNAL_H

#include "model/model.h"

struct wiot_gvc {
    wiot_allocator a;
    size_t C, S, K, n;
    int reported;             /* WIOT_GVC_REPORTED_GO */
    size_t clamped;           /* rows whose Z 1 + F 1 < 0 were set to x = 0 */
    size_t negva;             /* columns with v = x - 1^T Z < 0 */
    size_t ndropped;          /* Z entries of zero-output rows and columns dropped */
    double dropped;           /* their sum */
    wiot_table *t;            /* the copy with the output used (owns Z, F, x, v) */
    wiot_lu *lu;              /* LU of I - A of t */
    double *buf;              /* one block holding the arrays below */
    double *av;               /* n: v / x */
    double *E;                /* n: gross exports E_j* (intermediate + final, abroad) */
    double *VL;               /* n: a_v^T L_ss on s's sectors */
    double *LYd, *LE;         /* n: L_ss Y_ss, L_ss E_s* */
    double *WS;               /* n: sum_o W[j, o] (1 up to rounding) */
    double *Y;                /* n x C: final demand by destination country */
    double *Ei;               /* n x C: intermediate sales by buyer country */
    double *W;                /* n x C: W[j, o] = sum_{i in o} (diag(a_v) L)[i, j] */
    double *blk;              /* C blocks S x S: LU factors of I - A_ss */
    lapack_int *piv;          /* n: their pivots */
};

/* B = (I - A)^{-1} of g's table into B[n x n] (ld n), dgetri on a copy of g's LU. */
int wi_gvc_inverse(wiot_ctx *ctx, const wiot_gvc *g, double *B, wiot_info *info);

/* C[m x nc] = A[m x k] B[k x nc] (column-major, lda, ldb, ldc): plain loops for the
 * N x N blocks of the bilateral terms (a BLAS call per pair costs more in dispatch
 * and thread wake-ups than the 2 m k nc flops). */
static inline void wi_small_gemm(size_t m, size_t k, size_t nc, const double *A, size_t lda,
                                 const double *B, size_t ldb, double *C, size_t ldc)
{
    for (size_t j = 0; j < nc; j++) {
        double *c = C + j * ldc;
        for (size_t i = 0; i < m; i++)
            c[i] = 0.0;
        for (size_t l = 0; l < k; l++) {
            const double b = B[l + j * ldb];
            const double *a = A + l * lda;
            if (b == 0.0)
                continue;
            for (size_t i = 0; i < m; i++)
                c[i] += a[i] * b;
        }
    }
}

extern const char *const wi_kww_names[];
extern const char *const wi_wwz_names[];

#endif
