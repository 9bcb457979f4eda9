#include <stdio.h>
#include <wiot.h>
/* usage: example TABLE SCENARIO_FILE NAME -- consumer-price change per country */
int main(int argc, char **argv) {
    wiot_ctx *ctx; wiot_table *t; wiot_lu *lu; wiot_scenarios *sc; wiot_schedule *s; wiot_result *r;
    if (argc < 4 || wiot_ctx_new(&ctx)) return 2;
    if (wiot_table_load(ctx, argv[1], &t) || wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL) ||
        wiot_scenarios_new(ctx, t, &sc) || wiot_scenarios_load(ctx, sc, argv[2]) ||
        wiot_scenarios_schedule(ctx, sc, argv[3], &s) || wiot_result_new(ctx, t, &r) ||
        wiot_tariff(ctx, lu, s, 1.0, WIOT_BOTH, r))
        return fprintf(stderr, "error: %s\n", wiot_errmsg(ctx)), 1;
    const double *P = wiot_result_get(r, WIOT_R_FINAL_PRICE, NULL);   /* C x K, households k = 0 */
    for (size_t c = 0; c < wiot_table_countries(t); c++)
        printf("%s %+.4f %%\n", wiot_table_country(t, c), 100 * P[c * wiot_table_fd_categories(t)]);
    wiot_result_free(r); wiot_schedule_free(s); wiot_scenarios_free(sc);
    wiot_lu_free(lu); wiot_table_free(t); wiot_ctx_free(ctx);
    return 0;
}
