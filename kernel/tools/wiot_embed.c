/* wiot_embed.c -- build-time converter: writes the binary .wiot image of a table for
 * embedding in the CLI (kernel/cli_data.S .incbin's it; wiot_table_load_static then
 * uses it in place). Uses only the public API, like any program built on libwiot.
 * usage: wiot-embed IN OUT.wiot */
#include <stdio.h>

#include "wiot.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: wiot-embed IN OUT.wiot\n");
        return 2;
    }
    wiot_ctx *ctx;
    if (wiot_ctx_new(&ctx) != WIOT_OK) {
        fprintf(stderr, "wiot-embed: cannot create a context\n");
        return 1;
    }
    wiot_table *t = NULL;
    int rc = wiot_table_load(ctx, argv[1], &t);
    if (!rc)
        rc = wiot_table_save_binary(ctx, t, argv[2]);
    if (rc)
        fprintf(stderr, "wiot-embed: %s\n", wiot_errmsg(ctx));
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc ? 1 : 0;
}
