/* bench_content.c -- what content-based scenario lines cost (METHODS.md §3.6): building
 * the schedule of a flat scenario, of the same scenario with content lines (one
 * transposed solve per distinct source on the baseline LU), and one exact wiot_tariff
 * run, on WIOD 2011. Ratios to the flat build and to the tariff run, measured in the
 * same process. make -C bench content */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "wiot.h"

char *openblas_get_corename(void);

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int die(wiot_ctx *ctx, int rc)
{
    fprintf(stderr, "bench_content: %s\n", wiot_errmsg(ctx));
    return rc;
}

int main(void)
{
    wiot_ctx *ctx;
    wiot_table *t;
    wiot_lu *lu;
    wiot_scenarios *sc;
    wiot_result *r;
    int rc;
    if (wiot_ctx_new(&ctx))
        return 1;
    if ((rc = wiot_table_load(ctx, "../data/wiod2013/wiot_2011.csv.gz", &t)) ||
        (rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL)) || (rc = wiot_scenarios_new(ctx, t, &sc)) ||
        (rc = wiot_scenarios_load(ctx, sc, "../data/scenarios/wiod2013/us232_autos_2025.csv")) ||
        (rc = wiot_scenarios_load(ctx, sc, "../data/scenarios/wiod2013/us_content_2025.csv")) ||
        (rc = wiot_result_new(ctx, t, &r)))
        return die(ctx, rc);
    static const char *const names[3] = {"us232_autos_2025-05-03_vehicles_and_parts",
                                         "us232_autos_2025-05-03_usmca_content",
                                         "us_chip_content_2025_illustrative"};
    enum { REPS = 50 };
    double best[4] = {1e30, 1e30, 1e30, 1e30};
    for (int k = 0; k < REPS; k++) {
        for (int q = 0; q < 3; q++) {
            wiot_schedule *s;
            double t0 = now();
            if ((rc = wiot_scenarios_schedule_lu(ctx, sc, lu, names[q], WIOT_MEASURE_VA, &s)))
                return die(ctx, rc);
            double dt = now() - t0;
            best[q] = dt < best[q] ? dt : best[q];
            if (q == 0) {
                t0 = now();
                if ((rc = wiot_tariff(ctx, lu, s, 1.0, WIOT_BOTH, r)))
                    return die(ctx, rc);
                dt = now() - t0;
                best[3] = dt < best[3] ? dt : best[3];
            }
            wiot_schedule_free(s);
        }
    }
    printf("content-based schedules on WIOD 2011 (n = %zu), BLAS core %s, %d threads; best of %d\n",
           wiot_table_n(t), openblas_get_corename(), omp_get_max_threads(), REPS);
    printf("  flat autos schedule             %9.3f ms  (1.00)\n", 1e3 * best[0]);
    printf("  autos, USMCA non-US content     %9.3f ms  (%.2f x flat; +%.2f of one tariff run)\n",
           1e3 * best[1], best[1] / best[0], (best[1] - best[0]) / best[3]);
    printf("  chip content, all goods         %9.3f ms  (%.2f x flat; +%.2f of one tariff run)\n",
           1e3 * best[2], best[2] / best[0], (best[2] - best[0]) / best[3]);
    printf("  one exact + first-order tariff  %9.3f ms\n", 1e3 * best[3]);
    wiot_result_free(r);
    wiot_scenarios_free(sc);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return 0;
}
