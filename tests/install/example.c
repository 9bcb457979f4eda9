/* The README's example: Leontief inverse and a tariff scenario through the API. */
#include <stdio.h>
#include <wiot.h>

int main(int argc, char **argv)
{
    wiot_ctx *ctx; wiot_table *t; wiot_lu *lu; double L[4];
    if (wiot_ctx_new(&ctx) || wiot_table_load(ctx, argc > 1 ? argv[1] : "table.csv", &t)) {
        fprintf(stderr, "error: %s\n", wiot_errmsg(ctx)); return 1;
    }
    wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL);
    if (wiot_table_n(t) == 2 && wiot_lu_inverse(ctx, lu, L, 2, NULL) == WIOT_OK)
        printf("L = [%.6f %.6f; %.6f %.6f]\n", L[0], L[2], L[1], L[3]);
    printf("wiot %s, header %d\n", wiot_version_string(), WIOT_VERSION_NUMBER);
    wiot_lu_free(lu); wiot_table_free(t); wiot_ctx_free(ctx);
    return wiot_version_number() == WIOT_VERSION_NUMBER ? 0 : 1;
}
