/* model.h -- the model layer (above table/): the LU of I - A or I - B reused for
 * solves in both orientations, inverses (the recursive block inverse of
 * inverse.c), residuals, and the one low-rank (Woodbury) update module used by the
 * tariff, batch and extraction kernels. Not installed. */
#ifndef WIOT_MODEL_H
#define WIOT_MODEL_H

#include "table/table.h"

struct wiot_lu {
    wiot_allocator a;
    const wiot_table *t;
    int model;
    size_t n;
    double *lu;               /* n x n factors, ld n */
    lapack_int *ipiv;
    /* a factorization held elsewhere (MPI, wiot_mpi.h): solves go through this hook
     * and lu/ipiv are NULL */
    int (*solve)(void *ud, wiot_ctx *ctx, int trans, size_t nrhs, double *B, size_t ldb);
    void *solve_ud;
};

/* ---- factorization internals (leontief.c) */
/* Solve with the LU without clearing the context message or checking arguments. */
int wi_lu_solve(wiot_ctx *ctx, const wiot_lu *lu, int trans, size_t nrhs, double *B, size_t ldb);

/* ---- recursive inverse of a diagonally dominant M-matrix (inverse.c) */
/* Doubles of workspace wi_inverse_dd needs for order n: about n^2/3 (at most
 * 0.35 n^2 + 64 min(n, 160) + min(n, 160)). */
size_t wi_inverse_dd_work(size_t n);
/* In place M <- M^{-1} for M = I - A (n x n, leading dimension ld), A >= 0 with column
 * sums < 1 (or row sums < 1): recursive 2 x 2 block inversion, no pivoting between
 * blocks, nearly all flops in dgemm on the calling thread's BLAS thread count.
 * work[lwork], lwork >= wi_inverse_dd_work(n). returns WIOT_OK | WIOT_EINVAL |
 * WIOT_ETOOLARGE | WIOT_ESINGULAR (a pivot block is singular; M is then
 * unspecified) | WIOT_ELAPACK. cost: 2n^3 flops. */
int wi_inverse_dd(wiot_ctx *ctx, double *M, size_t n, size_t ld, double *work, size_t lwork);
/* 1 when I - A (model WIOT_LEONTIEF: every column sum of A = 1 - v/x) or I - B
 * (WIOT_GHOSH: every row sum of B = sum_j Z[i,j] / x[i]) is diagonally dominant with
 * margin (sums <= 1 - margin), else 0. scratch: n doubles (Ghosh only). cost: n
 * (Leontief), n^2 (Ghosh). */
int wi_dominant(const wiot_table *t, int model, double margin, double *scratch);
/* Doubles of workspace wi_residual_table needs. */
size_t wi_residual_work(size_t n);
/* *res = ||(I - A) X - I||_max (Leontief, A = Z diag(1/x)) or ||(I - B) X - I||_max
 * (Ghosh, B = diag(1/x) Z), computed from the table's Z and x in column panels
 * (no n x n temporary). X[n x n], ldx. cost: 2n^3 flops. */
int wi_residual_table(wiot_ctx *ctx, const wiot_table *t, int model, const double *X,
                      size_t ldx, double *work, size_t lwork, double *res);

/* ---- the low-rank update engine (lowrank.c), for M* = M0 + alpha U W on a baseline LU:
 * Y = M0^{-1} U (the caller's solves), cap = I + alpha W Y, and
 * M*^{-1} b = M0^{-1} b - alpha Y cap^{-1} W M0^{-1} b. */
/* cap (k x k, ld k) <- I + alpha W Y (W k x m, ldw; Y m x k, ldy; W == NULL: cap already
 * holds alpha W Y), then its LU (piv[k]) and reciprocal condition *rcond (work[4k],
 * iwork[k]). Returns 0, k when cap is singular to working precision (rcond <= eps),
 * or a negative LAPACK argument error. cost: 2k^2 m + 2k^3/3 flops. */
int wi_lowrank_factor(size_t k, size_t m, double alpha, const double *W, size_t ldw, const double *Y,
                      size_t ldy, double *cap, lapack_int *piv, double *work, lapack_int *iwork,
                      double *rcond);
/* B (n x nrhs, ldb) <- B - alpha Y cap^{-1} Zc, where Zc (k x nrhs, ldz) holds W M0^{-1} b
 * on entry and cap^{-1} W M0^{-1} b on return, B holds M0^{-1} b. Returns 0 or a LAPACK
 * error. cost: 2k^2 nrhs + 2nk nrhs flops. */
int wi_lowrank_apply(size_t n, size_t k, size_t nrhs, double alpha, const double *Y, size_t ldy,
                     const double *cap, const lapack_int *piv, double *Zc, size_t ldz, double *B,
                     size_t ldb);

#endif
