/* test_lowrank.c -- the low-rank update engine (kernel/model/lowrank.c) against direct
 * solves of the updated matrix, and its singularity test. */
#include <criterion/criterion.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "model/model.h"

#define N 7
#define K 3

/* deterministic values in [-0.5, 0.5) */
static double rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return ((*s >> 8) & 0xffff) / 65536.0 - 0.5;
}

/* M*^{-1} B by Woodbury on M0 = I - A (A small) versus LU of M0 + alpha U W directly:
 * equal to 1e-13 (condition of M* below 10; k n eps scale). */
static void check_alpha(double alpha)
{
    unsigned seed = 7;
    double M0[N * N], U[N * K], W[K * N], B[N * 2], Ms[N * N], X[N * 2];
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++)
            M0[i + j * N] = (i == j) - 0.1 * (rnd(&seed) + 0.5);
    for (int i = 0; i < N * K; i++) {
        U[i] = 0.3 * rnd(&seed);
        W[i] = 0.3 * rnd(&seed);
    }
    for (int i = 0; i < N * 2; i++)
        B[i] = 2.385 * rnd(&seed) + 1;
    memcpy(Ms, M0, sizeof Ms);
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++)
            for (int r = 0; r < K; r++)
                Ms[i + j * N] += alpha * U[i + r * N] * W[r + j * K];
    /* direct */
    lapack_int piv[N], pk[K], iwork[K];
    memcpy(X, B, sizeof X);
    cr_assert_eq(LAPACKE_dgesv(LAPACK_COL_MAJOR, N, 2, Ms, N, piv, X, N), 0);
    /* Woodbury: Y = M0^{-1} U, B0 = M0^{-1} B, Zc = W B0 */
    double F[N * N], Y[N * K], B0[N * 2], Zc[K * 2], cap[K * K], work[4 * K], rcond;
    memcpy(F, M0, sizeof F);
    cr_assert_eq(LAPACKE_dgetrf(LAPACK_COL_MAJOR, N, N, F, N, piv), 0);
    memcpy(Y, U, sizeof Y);
    memcpy(B0, B, sizeof B0);
    LAPACKE_dgetrs(LAPACK_COL_MAJOR, 'N', N, K, F, N, piv, Y, N);
    LAPACKE_dgetrs(LAPACK_COL_MAJOR, 'N', N, 2, F, N, piv, B0, N);
    for (int q = 0; q < 2; q++)
        for (int r = 0; r < K; r++) {
            double s = 0;
            for (int j = 0; j < N; j++)
                s += W[r + j * K] * B0[j + q * N];
            Zc[r + q * K] = s;
        }
    cr_assert_eq(wi_lowrank_factor(K, N, alpha, W, K, Y, N, cap, pk, work, iwork, &rcond), 0);
    cr_assert(rcond > 0.01 && rcond <= 1.0, "rcond %g", rcond);
    cr_assert_eq(wi_lowrank_apply(N, K, 2, alpha, Y, N, cap, pk, Zc, K, B0, N), 0);
    for (int i = 0; i < N * 2; i++)
        cr_assert(fabs(B0[i] - X[i]) <= 1e-13 * (1 + fabs(X[i])), "entry %d: %.17g vs %.17g", i, B0[i],
                  X[i]);
}

Test(lowrank, matches_direct_solve_both_signs)
{
    check_alpha(1.0);
    check_alpha(-1.0);
}

/* cap = I + alpha W Y singular: W Y = -I / alpha exactly (Y = I block, W = -I). */
Test(lowrank, singular_capacitance_is_reported)
{
    double W[K * K] = {0}, Y[K * K] = {0}, cap[K * K], work[4 * K], rcond = 1;
    lapack_int piv[K], iwork[K];
    for (int i = 0; i < K; i++) {
        W[i + i * K] = -1.0;
        Y[i + i * K] = 1.0;
    }
    cr_assert_eq(wi_lowrank_factor(K, K, 1.0, W, K, Y, K, cap, piv, work, iwork, &rcond), K);
    /* nearly singular: 1 - (1 - 1e-17) rounds to 0 or below eps */
    for (int i = 0; i < K; i++)
        W[i + i * K] = -(1.0 - 1e-17);
    cr_assert_eq(wi_lowrank_factor(K, K, 1.0, W, K, Y, K, cap, piv, work, iwork, &rcond), K);
}

/* W == NULL: cap holds alpha W Y already (the Ghosh extraction's gathered rows). */
Test(lowrank, prefilled_capacitance)
{
    double cap[4] = {0.5, 0.25, -0.125, 0.75}, work[8], rcond;
    lapack_int piv[2], iwork[2];
    cr_assert_eq(wi_lowrank_factor(2, 0, 1.0, NULL, 2, NULL, 2, cap, piv, work, iwork, &rcond), 0);
    /* I + [[0.5, -0.125], [0.25, 0.75]] = [[1.5, -0.125], [0.25, 1.75]]: det 2.65625 */
    double det = cap[0] * cap[3] * ((piv[0] != 1) ? -1 : 1) * ((piv[1] != 2) ? -1 : 1);
    cr_assert(fabs(det - 2.65625) < 1e-15, "det %.17g", det);
    cr_assert_eq(wi_lowrank_factor(0, 0, 1.0, NULL, 1, NULL, 1, cap, piv, work, iwork, &rcond), 0);
}
