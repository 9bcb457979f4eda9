/*
 * wiot_mpi.h -- wiot beyond one node: MPI scenario campaigns and ScaLAPACK
 * factorizations. Built only with `make mpi` (Open MPI + ScaLAPACK from Debian);
 * the normal library and tests do not need MPI.
 *
 * Conventions: every function here is COLLECTIVE over the communicator given to it
 * (all ranks call it, in the same order) and returns the same status on every rank:
 * errors are agreed with MPI_Allreduce, so a failure on one rank never leaves the
 * others waiting. Messages are in the calling rank's context; a rank whose own step
 * succeeded reports "rank R failed: ..." for the failing rank's step.
 *
 * Distributed factorization: I - A is built on rank 0 and distributed
 * block-cyclically (block NB x NB) over a P x Q BLACS process grid (Cpdgemr2d), then
 * factored with pdgetrf. Solves with right-hand sides held on rank 0 (pdgetrs, plain
 * or transposed), the explicit inverse only when asked (pdgetri). On rank 0 the
 * distributed factorization is also available as an ordinary `const wiot_lu *`
 * ("proxy"): every library function that takes a factorization (wiot_tariff,
 * wiot_multipliers, wiot_quantity, wiot_batch_run, ...) then runs on rank 0 with its
 * solves done by all ranks, while ranks other than 0 sit in wiot_mpi_serve().
 *
 * Memory per rank for a distributed n x n matrix: about 8 n^2 / (P Q) bytes plus
 * one block row/column; rank 0 also holds the table (8 (n^2 + n C K) bytes).
 */
#ifndef WIOT_MPI_H
#define WIOT_MPI_H

#include <mpi.h>
#include "wiot.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wiot_mpi_grid {
    int nprow, npcol;   /* P x Q = number of ranks used (the rest idle in the grid) */
    int nb;             /* block size */
} wiot_mpi_grid;

/* The default grid for `size` ranks and order n: P x Q = size with P <= Q as close
 * to square as possible; NB = 64 (n < 4000) or 128. */
WIOT_API int wiot_mpi_grid_auto(int size, size_t n, wiot_mpi_grid *grid);

typedef struct wiot_mpi_lu wiot_mpi_lu;

/* Collective. Factor I - A (WIOT_LEONTIEF) or I - B (WIOT_GHOSH) of t, which must be
 * valid on rank 0 (other ranks pass NULL or their own copy; only rank 0's is used).
 * grid NULL: wiot_mpi_grid_auto. Errors: WIOT_EINVAL (grid does not fit the number
 * of ranks: "grid 3 x 3 needs 9 ranks, the communicator has 4"), WIOT_ESINGULAR,
 * WIOT_ENOMEM, WIOT_ETOOLARGE. info (rank 0): seconds and flops of pdgetrf.
 * cost: 2n^3/3 flops over P Q ranks; communication O(n^2 (P + Q) / (P Q)) words per
 * rank (see README's cost model). */
WIOT_API int wiot_mpi_lu_new(wiot_ctx *ctx, MPI_Comm comm, const wiot_table *t, int model,
                             const wiot_mpi_grid *grid, wiot_mpi_lu **out, wiot_info *info);
/* Collective. */
WIOT_API void wiot_mpi_lu_free(wiot_mpi_lu *lu);

/* Collective. Solve (I-A) X = B or (I-A)^T X = B in place for B[n x nrhs] on rank 0
 * (other ranks pass NULL). pdgetrs. */
WIOT_API int wiot_mpi_lu_solve(wiot_ctx *ctx, wiot_mpi_lu *lu, int trans, size_t nrhs, double *B,
                               size_t ldb);

/* Collective. Explicit inverse (pdgetri on a copy), gathered to rank 0 (L n x n,
 * ldl >= n; others pass NULL). info on rank 0: seconds and flops of pdgetri and,
 * with WIOT_OPT_RESIDUAL, residual ||(I-A)L - I||_max computed distributed (pdgemm).
 * cost: 4n^3/3 (+ 2n^3 for the residual) flops over P Q ranks, one extra
 * distributed matrix. */
WIOT_API int wiot_mpi_lu_inverse(wiot_ctx *ctx, wiot_mpi_lu *lu, double *L, size_t ldl,
                                 wiot_info *info);

/* On rank 0: the distributed factorization as a `const wiot_lu *` for any library
 * call (its solves are collective). NULL on other ranks. */
WIOT_API const wiot_lu *wiot_mpi_lu_proxy(wiot_mpi_lu *lu);
/* Ranks other than 0: serve rank 0's solves until it calls wiot_mpi_lu_release.
 * Rank 0: returns at once. Returns the first error of a served solve, or WIOT_OK. */
WIOT_API int wiot_mpi_serve(wiot_ctx *ctx, wiot_mpi_lu *lu);
/* Rank 0: tell the serving ranks to return from wiot_mpi_serve. Other ranks: no-op. */
WIOT_API int wiot_mpi_lu_release(wiot_ctx *ctx, wiot_mpi_lu *lu);

/* Collective scenario campaign: every rank holds the table, a (replicated) Leontief
 * factorization lu and the same m schedules; rank r runs scenarios
 * [r m / size, (r+1) m / size) through its own batch b, and the results are gathered
 * into rank 0's b in scenario order, so that wiot_batch_get on rank 0 sees all m
 * columns (as after a serial wiot_batch_run). Other ranks' b hold their share only.
 * b must have room for m scenarios on every rank. */
WIOT_API int wiot_mpi_batch_run(wiot_ctx *ctx, MPI_Comm comm, wiot_batch *b,
                                const wiot_schedule *const *s, size_t m, double rho,
                                int models);

/* Point to point (only ranks `from` and `to` take part; others return WIOT_OK at
 * once): move the contents of a result computed on `from` into the result `r` of the
 * same table shape on `to` (used by campaigns to collect results on rank 0). */
WIOT_API int wiot_mpi_result_send(wiot_ctx *ctx, MPI_Comm comm, wiot_result *r, int from, int to);

/* Collective: agree on a status (the worst over ranks, i.e. the first non-zero in
 * rank order). Useful for callers' own steps between wiot_mpi calls. */
WIOT_API int wiot_mpi_agree(MPI_Comm comm, int status);

#ifdef __cplusplus
}
#endif
#endif
