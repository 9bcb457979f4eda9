/* report.c -- which charts each kind of wiot CSV gets: the KINDS table (a CSV header
 * signature and the builder that turns the CSV into charts; builders in charts_*.c)
 * and the helpers the builders share (charts.h). html.c writes the files.
 *
 * Adding a command's charts (footprint, ...): in a new file charts_CMD.c write
 * `int charts_CMD(const rcsv *c, const report_prov *pv, chart_list *L, char *err,
 * size_t errsz)` that reads the CSV's columns (rcsv_col, pick, column) and fills
 * charts made with add_chart() (see charts_tiva in charts_more.c, ~70 lines, or
 * charts_gvc.c), declare
 * it in charts.h and add one row {name, required columns, an excluded column,
 * function} to KINDS. The command calls cli_report() once after writing its CSVs
 * (kernel/cli_report.c). */
#define _GNU_SOURCE
#include "charts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


chart *add_chart(chart_list *L, const char *id, int kind, size_t n, size_t ns, int band, int x)
{
    if (L->n == REPORT_MAX_CHARTS)
        return NULL;
    chart *ch = &L->ch[L->n];
    memset(ch, 0, sizeof *ch);
    snprintf(ch->id, sizeof ch->id, "%s", id);
    ch->kind = kind;
    ch->mult = 1;
    if (chart_alloc(ch, n, ns, band, x)) {
        chart_free(ch);
        return NULL;
    }
    L->n++;
    return ch;
}

chart *add_map(chart_list *L, size_t n, const char *file)
{
    chart *mp = add_chart(L, "map", CH_MAP, n, 1, 0, 0);
    if (!mp)
        return NULL;
    snprintf(L->file[L->n - 1], sizeof L->file[L->n - 1], "%s", file);
    mp->mult = 100;   /* every map shows a share or a change in % */
    return mp;
}

char *xdup(const char *s)
{
    size_t l = strlen(s) + 1;
    char *p = malloc(l);
    if (p)
        memcpy(p, s, l);
    return p;
}


int role_of(const char *s)
{
    if (!strcmp(s, "imposer"))
        return 1;
    if (!strcmp(s, "target"))
        return 2;
    if (!strcmp(s, "imposer+target"))
        return 3;
    return 0;
}

/* distinct values of a column in order of first appearance (at most max) */
size_t distinct(const rcsv *c, int col, const char **out, size_t max)
{
    size_t n = 0;
    if (col < 0)
        return 0;
    for (size_t r = 0; r < c->nrow; r++) {
        const char *v = rcsv_get(c, r, col);
        size_t k = 0;
        while (k < n && strcmp(out[k], v))
            k++;
        if (k == n && n < max)
            out[n++] = v;
    }
    return n;
}

/* indices 0..n-1 sorted by key descending (NAN last), ties in input order */
void order_desc(size_t *idx, const double *key, size_t n)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = 1; i < n; i++) {   /* insertion sort: n is a few thousand at most here */
        size_t t = idx[i], j = i;
        double kt = isnan(key[t]) ? -INFINITY : key[t];
        while (j > 0 && (isnan(key[idx[j - 1]]) ? -INFINITY : key[idx[j - 1]]) < kt) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = t;
    }
}


int pick(const rcsv *c, int cs, const char *scen, int cy, const char *year, subset *s)
{
    s->n = 0;
    s->row = malloc((c->nrow ? c->nrow : 1) * sizeof *s->row);
    if (!s->row)
        return 1;
    for (size_t r = 0; r < c->nrow; r++)
        if ((cs < 0 || !strcmp(rcsv_get(c, r, cs), scen)) && (cy < 0 || !strcmp(rcsv_get(c, r, cy), year)))
            s->row[s->n++] = r;
    return 0;
}

/* a column of the subset as numbers (NAN when empty); 1 on a bad number */
int column(const rcsv *c, const subset *s, int col, double *v, char *err, size_t errsz)
{
    for (size_t i = 0; i < s->n; i++)
        if (rcsv_num(c, s->row[i], col, &v[i], err, errsz))
            return 1;
    return 0;
}

char *clip_name(const char *name, size_t max, char *buf)
{
    if (buf != name)
        snprintf(buf, 128, "%s", name);
    size_t chars = 0, i = 0;   /* UTF-8 characters, not bytes */
    for (; buf[i]; i++)
        if (((unsigned char)buf[i] & 0xc0) != 0x80 && ++chars > max - 1)
            break;
    if (buf[i] && strlen(buf + i) > 0) {
        size_t rest = 0;
        for (size_t k = i; buf[k]; k++)
            rest += ((unsigned char)buf[k] & 0xc0) != 0x80;
        if (rest > 1) {   /* more than one character left: cut and mark */
            while (i > 0 && buf[i - 1] == ' ')
                i--;
            memcpy(buf + i, "\xe2\x80\xa6", 4);   /* U+2026 and the terminator */
        }
    }
    return buf;
}

size_t source_countries(const report_prov *pv, char *buf, size_t size, char **out, size_t max)
{
    size_t n = 0;
    if (!pv || !pv->source || !size)
        return 0;
    snprintf(buf, size, "%s", pv->source);
    char *colon = strchr(buf, ':'), *save = NULL;
    if (colon)
        *colon = 0;
    for (char *tok = strtok_r(buf, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save)) {
        size_t l = strlen(tok);
        if (n == max || l < 2 || l > 3 || strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != l)
            return 0;   /* a group (EU27), '*', an exclusion or too many: not plain codes */
        out[n++] = tok;
    }
    return n;
}

int is_source(const char *code, char *const *src, size_t nsrc)
{
    for (size_t k = 0; k < nsrc; k++)
        if (!strcmp(code, src[k]))
            return 1;
    return 0;
}

/* the title, and the scenario (and year) on the line under it */
void titles(chart *ch, const char *what, const char *scen, const char *year)
{
    snprintf(ch->title, sizeof ch->title, "%s", what);
    if (scen || year)
        snprintf(ch->sub, sizeof ch->sub, "%s%s%s%s", scen ? "scenario " : "", scen ? scen : "",
                 year ? (scen ? ", table year " : "table year ") : "", year ? year : "");
}

/* ------------------------------------------------------------- the table */
static const struct kind {
    const char *name;
    const char *cols;      /* required columns, ",a,b," */
    const char *without;   /* a column that must be absent (or NULL) */
    chart_fn fn;
} KINDS[] = {
    {"tariff countries", ",scenario,country,role,consumer_price,extra_cost_musd,tariff_revenue_musd,", "scale",
     charts_tariff_countries},
    {"tariff prices", ",scenario,country,sector,direct,cumulative,exact,", NULL, charts_tariff_prices},
    {"sweep --scale", ",scenario,scale,country,role,consumer_price,extra_cost_musd,", NULL, charts_sweep_scale},
    {"sweep --draws", ",scenario,country,role,draws,q05,q50,q95,", NULL, charts_sweep_draws},
    {"content", ",country,sector,share,", NULL, charts_content},
    {"tiva", ",country,exports,dva,fva,fva_share,forward_share,", NULL, charts_tiva},
    {"extract", ",country,sector,output,lost,lost_with_final,lost_ghosh,", NULL, charts_extract},
    {"ge countries", ",scenario,country,welfare,price_index,tariff_revenue_musd,consumer_price_fixed,", NULL,
     charts_ge_countries},
    {"ge trade", ",scenario,importer,exporter,sector,base_musd,new_musd,", NULL, charts_ge_trade},
    {"gvc kww", ",exporter,term,name,value_musd,", "exp_sector", charts_gvc_kww},
    {"gvc position", ",country,sector,upstream,downstream,va_d,va_rt,va_gvc_s,va_gvc_c,y_d,y_rt,y_gvc_s,y_gvc_c,",
     NULL, charts_gvc_position},
};

static const struct kind *kind_of(const rcsv *c)
{
    for (size_t k = 0; k < sizeof KINDS / sizeof *KINDS; k++) {
        const char *p = KINDS[k].cols + 1;
        int ok = 1;
        while (ok && *p) {
            const char *q = strchr(p, ',');
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(q - p), p);
            ok = rcsv_col(c, name) >= 0;
            p = q + 1;
        }
        if (ok && KINDS[k].without && rcsv_col(c, KINDS[k].without) >= 0)
            ok = 0;
        if (ok)
            return &KINDS[k];
    }
    return NULL;
}

const char *report_kind(const rcsv *c)
{
    const struct kind *k = kind_of(c);
    return k ? k->name : NULL;
}

void chart_list_free(chart_list *L)
{
    for (size_t i = 0; i < L->n; i++)
        chart_free(&L->ch[i]);
    L->n = 0;
}

int report_csv_charts(const rcsv *c, const char *stem, const report_prov *pv, chart_list *L, const char **kind,
                      char *err, size_t errsz)
{
    const struct kind *k = kind_of(c);
    *kind = k ? k->name : NULL;
    if (!k)
        return 0;
    size_t first = L->n;
    if (k->fn(c, pv, L, err, errsz))
        return 1;
    /* a table whose codes name no country (reg1, reg2, ...) gets no map */
    for (size_t i = first; i < L->n;) {
        if (L->ch[i].kind == CH_MAP && map_known(&L->ch[i]) == 0) {
            chart_free(&L->ch[i]);
            memmove(&L->ch[i], &L->ch[i + 1], (L->n - i - 1) * sizeof *L->ch);
            memmove(L->file[i], L->file[i + 1], (L->n - i - 1) * sizeof *L->file);
            L->n--;
        } else {
            i++;
        }
    }
    for (size_t i = first; i < L->n; i++) {
        char id[128];
        snprintf(id, sizeof id, "%.60s_%.60s", stem, L->ch[i].id);
        for (char *p = id; *p; p++)   /* an id and a file name: letters, digits, _ - . */
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                  *p == '-' || *p == '.'))
                *p = '_';
        memcpy(L->ch[i].id, id, sizeof id);
    }
    return 0;
}
