/* test_charts.c -- the chart builders of wiot ge and wiot gvc (kernel/report/charts_ge.c,
 * charts_gvc.c) on small hand-written CSVs whose charts are known in closed form. The
 * end-to-end check against real runs is tests/cli_charts.sh. */
#define _GNU_SOURCE
#include "helpers.h"

#include <unistd.h>

#include "report/charts.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f);
    cr_assert(fputs(text, f) >= 0);
    cr_assert(fclose(f) == 0);
}

/* the charts of one CSV; returns report_csv_charts's status, err filled */
static int charts_of(const char *path, const char *stem, chart_list *L, char *err)
{
    rcsv c;
    cr_assert(rcsv_load(path, &c, err, REPORT_ERRSZ) == 0, "%s", err);
    const char *kind;
    int rc = report_csv_charts(&c, stem, NULL, L, &kind, err, REPORT_ERRSZ);
    cr_assert(kind, "a recognised kind");
    rcsv_free(&c);
    return rc;
}

static const char GE_HEAD[] = "scenario,country,welfare,real_wage,wage,price_index,income_musd,tariff_revenue_musd,"
                              "exports_musd,imports_musd,terms_of_trade,volume_of_trade,welfare_decomp,"
                              "consumer_price_fixed\n";

/* welfare sorted (diverging), prices after beside before, the map; the first scenario */
Test(charts, ge_countries)
{
    char d[] = "/tmp/wiot_charts_XXXXXX", p[64], err[REPORT_ERRSZ];
    cr_assert(mkdtemp(d));
    snprintf(p, sizeof p, "%s/countries.csv", d);
    char text[2048];
    snprintf(text, sizeof text, "%s"
             "a,CHN,-0.0015,0,0,-0.003,1,5,1,1,0,0,0,0.002\n"
             "a,MEX,0.0004,0,0,0.0028,1,0,1,1,0,0,0,0.0004\n"
             "a,USA,-0.0006,0,0,0.0026,1,9,1,1,0,0,0,0.0026\n"
             "b,CHN,1,0,0,1,1,0,1,1,0,0,0,1\n", GE_HEAD);
    write_file(p, text);
    chart_list *L = calloc(1, sizeof *L);
    cr_assert(charts_of(p, "countries", L, err) == 0, "%s", err);
    cr_assert_eq(L->n, 3);
    chart *w = &L->ch[0], *pr = &L->ch[1], *mp = &L->ch[2];
    cr_assert_str_eq(w->id, "countries_welfare");
    cr_assert_eq(w->n, 3, "scenario a only");
    cr_assert_eq(w->colour, COL_SIGN);
    cr_assert_str_eq(w->label[0], "MEX");
    cr_assert_str_eq(w->label[1], "USA");
    cr_assert_str_eq(w->label[2], "CHN");
    cr_assert_eq(w->v[2], -0.0015);   /* strtod of the cell: exact */
    cr_assert_str_eq(w->note, "the first of 2 scenarios (all are in the CSV)");
    cr_assert_str_eq(pr->id, "countries_prices");
    cr_assert_eq(pr->ns, 2);
    cr_assert_str_eq(pr->label[0], "MEX");   /* by the GE price index, largest first */
    cr_assert_eq(pr->v[0], 0.0028);
    cr_assert_eq(pr->v[3 + 0], 0.0004, "before substitution beside it");
    cr_assert_eq(pr->v[3 + 2], 0.002);
    cr_assert_eq(mp->kind, CH_MAP);
    cr_assert_eq(mp->n, 3);
    chart_list_free(L);
    /* a CP dataset run: consumer_price_fixed empty -> one series */
    snprintf(text, sizeof text, "%sa,CAN,0.01,0,0,0.02,1,0,1,1,0,0,0,\n", GE_HEAD);
    write_file(p, text);
    cr_assert(charts_of(p, "countries", L, err) == 0, "%s", err);
    cr_assert_eq(L->ch[1].ns, 1);
    cr_assert_eq(L->ch[1].kind, CH_BARS);
    chart_list_free(L);
    /* a bad number: file, line, column */
    snprintf(text, sizeof text, "%sa,CAN,0.0x1,0,0,0.02,1,0,1,1,0,0,0,\n", GE_HEAD);
    write_file(p, text);
    cr_assert(charts_of(p, "countries", L, err) == 1);
    char want[300];
    snprintf(want, sizeof want, "%s:2: column 'welfare': '0.0x1' is not a number", p);
    cr_assert_str_eq(err, want);
    chart_list_free(L);
    free(L);
    unlink(p);
    rmdir(d);
}

/* 70 countries: the 60 largest |welfare|, gains and losses, sorted */
Test(charts, ge_many_countries)
{
    char d[] = "/tmp/wiot_charts_XXXXXX", p[64], err[REPORT_ERRSZ];
    cr_assert(mkdtemp(d));
    snprintf(p, sizeof p, "%s/countries.csv", d);
    char *text = malloc(80 * 70 + 400);
    cr_assert(text);
    strcpy(text, GE_HEAD);
    for (int i = 0; i < 70; i++)   /* welfare (i - 35) / 1000: |v| smallest around i = 35 */
        sprintf(text + strlen(text), "s,Q%c%c,%g,0,0,0,1,0,1,1,0,0,0,0\n", 'A' + i / 26, 'A' + i % 26,
                (i - 35) / 1000.0);
    write_file(p, text);
    free(text);
    chart_list *L = calloc(1, sizeof *L);
    cr_assert(charts_of(p, "countries", L, err) == 0, "%s", err);
    chart *w = &L->ch[0];
    cr_assert_eq(w->n, 60);
    cr_assert_eq(w->v[0], 0.034);    /* i = 69 */
    cr_assert_eq(w->v[59], -0.035);  /* i = 0 */
    for (size_t i = 1; i < w->n; i++)
        cr_assert(w->v[i] <= w->v[i - 1], "sorted");
    for (size_t i = 0; i < w->n; i++)   /* the 10 dropped: |v| <= 0.005 (i = 30..40 less one tie) */
        cr_assert(fabs(w->v[i]) >= 0.005 - 1e-15);
    cr_assert_str_eq(w->note, "the 60 largest changes of 70 countries (all are in the CSV and on the map)");
    cr_assert_eq(L->ch[2].n, 70, "the map keeps every country");
    chart_list_free(L);
    free(L);
    unlink(p);
    rmdir(d);
}

/* diversion: new - base by origin, summed over sectors, for the imposers of countries.csv */
Test(charts, ge_trade_diversion)
{
    char d[] = "/tmp/wiot_charts_XXXXXX", p[64], q[64], err[REPORT_ERRSZ];
    cr_assert(mkdtemp(d));
    snprintf(p, sizeof p, "%s/trade.csv", d);
    snprintf(q, sizeof q, "%s/countries.csv", d);
    write_file(p, "scenario,importer,exporter,sector,base_musd,new_musd\n"
                  "s,USA,USA,c1,1000,990\n"
                  "s,USA,CHN,c1,100,40\n"
                  "s,USA,CHN,c2,50,45\n"
                  "s,USA,MEX,c1,30,52\n"
                  "s,USA,CAN,c1,20,20\n"
                  "s,CHN,USA,c1,80,60\n"
                  "s,CHN,MEX,c1,10,10.25\n"
                  "s,MEX,USA,c1,70,71\n");
    chart_list *L = calloc(1, sizeof *L);
    /* without countries.csv: every importer with a change, the largest relative change
     * first (CHN: -19.75/90, USA: -42.5/200, MEX: +1/70), at most 4 */
    cr_assert(charts_of(p, "trade", L, err) == 0, "%s", err);
    cr_assert_eq(L->n, 3);
    cr_assert_str_eq(L->ch[0].id, "trade_diversion_CHN");
    cr_assert_str_eq(L->ch[1].id, "trade_diversion_USA");
    cr_assert_str_eq(L->ch[2].id, "trade_diversion_MEX");
    chart *u = &L->ch[1];
    cr_assert_eq(u->n, 3, "origins other than USA itself");
    cr_assert_str_eq(u->label[0], "MEX");
    cr_assert_eq(u->v[0], 22);
    cr_assert_str_eq(u->label[1], "CAN");
    cr_assert_eq(u->v[1], 0, "no change: listed, no bar");
    cr_assert_str_eq(u->label[2], "CHN");
    cr_assert_eq(u->v[2], -65);
    cr_assert_str_eq(u->sub, "scenario s; USA's imports 200 -> 157 millions of USD");
    chart_list_free(L);
    /* with countries.csv: only the countries with tariff revenue */
    char text[1024];
    snprintf(text, sizeof text, "%ss,CHN,0,0,0,0,1,0,1,1,0,0,0,0\ns,MEX,0,0,0,0,1,0,1,1,0,0,0,0\n"
             "s,USA,0,0,0,0,1,12.5,1,1,0,0,0,0\n", GE_HEAD);
    write_file(q, text);
    cr_assert(charts_of(p, "trade", L, err) == 0, "%s", err);
    cr_assert_eq(L->n, 1);
    cr_assert_str_eq(L->ch[0].id, "trade_diversion_USA");
    chart_list_free(L);
    /* no revenue anywhere (a zero scenario): no diversion chart */
    snprintf(text, sizeof text, "%ss,USA,0,0,0,0,1,0,1,1,0,0,0,0\n", GE_HEAD);
    write_file(q, text);
    cr_assert(charts_of(p, "trade", L, err) == 0, "%s", err);
    cr_assert_eq(L->n, 0);
    /* a bad number in countries.csv names that file */
    snprintf(text, sizeof text, "%ss,USA,0,0,0,0,1,x,1,1,0,0,0,0\n", GE_HEAD);
    write_file(q, text);
    cr_assert(charts_of(p, "trade", L, err) == 1);
    char want[300];
    snprintf(want, sizeof want, "%s:2: column 'tariff_revenue_musd': 'x' is not a number", q);
    cr_assert_str_eq(err, want);
    chart_list_free(L);
    free(L);
    unlink(p);
    unlink(q);
    rmdir(d);
}

/* KWW: the four parts as shares of the sum of the nine terms; the map T7-T9 */
Test(charts, gvc_kww)
{
    char d[] = "/tmp/wiot_charts_XXXXXX", p[64], err[REPORT_ERRSZ];
    cr_assert(mkdtemp(d));
    snprintf(p, sizeof p, "%s/kww.csv", d);
    static const char *const nm[9] = {"DVA_FIN", "DVA_INT", "DVA_INTrex", "RDV_FIN", "RDV_INT",
                                      "DDC", "FVA_FIN", "FVA_INT", "FDC"};
    char text[2048] = "exporter,term,name,value_musd\n";
    for (int k = 1; k <= 9; k++)   /* AAA: term k = k (sum 45); BBB: term k = 2k (sum 90) */
        sprintf(text + strlen(text), "AAA,%d,%s,%d\n", k, nm[k - 1], k);
    for (int k = 1; k <= 9; k++)
        sprintf(text + strlen(text), "BBB,%d,%s,%d\n", k, nm[k - 1], 2 * k);
    write_file(p, text);
    chart_list *L = calloc(1, sizeof *L);
    cr_assert(charts_of(p, "kww", L, err) == 0, "%s", err);
    cr_assert_eq(L->n, 2);
    chart *k = &L->ch[0];
    cr_assert_str_eq(k->id, "kww_kww");
    cr_assert_eq(k->ns, 4);
    cr_assert_str_eq(k->label[0], "BBB", "the larger exporter first");
    /* VAX (1+2+3)/45, RDV (4+5)/45, FVA (7+8)/45, PDC (6+9)/45, both exporters */
    const double want[4] = {6.0 / 45, 9.0 / 45, 15.0 / 45, 15.0 / 45};
    for (int s = 0; s < 4; s++)
        for (int i = 0; i < 2; i++)
            assert_close(k->v[s * 2 + i], want[s], 1e-15);   /* a sum of 9 small integers, one division */
    cr_assert_eq(L->ch[1].kind, CH_MAP);
    assert_close(L->ch[1].v[0], 24.0 / 45, 1e-15);
    chart_list_free(L);
    /* a term outside 1..9 */
    write_file(p, "exporter,term,name,value_musd\nAAA,10,X,1\n");
    cr_assert(charts_of(p, "kww", L, err) == 1);
    char w[300];
    snprintf(w, sizeof w, "%s:2: column 'term': '10' is not a KWW term 1..9", p);
    cr_assert_str_eq(err, w);
    chart_list_free(L);
    free(L);
    unlink(p);
    rmdir(d);
}

/* positions: participation shares and value-added-weighted upstreamness by country */
Test(charts, gvc_position)
{
    char d[] = "/tmp/wiot_charts_XXXXXX", p[64], err[REPORT_ERRSZ];
    cr_assert(mkdtemp(d));
    snprintf(p, sizeof p, "%s/pos.csv", d);
    write_file(p, "country,sector,upstream,downstream,va_d,va_rt,va_gvc_s,va_gvc_c,y_d,y_rt,y_gvc_s,y_gvc_c,"
                  "gvc_fwd,gvc_bwd,plv_gvc,ply_gvc\n"
                  "AAA,c1,1,2,10,0,0,0,8,2,0,0,0,0,0,0\n"
                  "AAA,c2,3,1,5,1,2,2,1,1,1,1,0,0,0,0\n"
                  "BBB,c1,2,2,1,0,1,0,4,0,0,0,0,0,0,0\n");
    chart_list *L = calloc(1, sizeof *L);
    cr_assert(charts_of(p, "pos", L, err) == 0, "%s", err);
    cr_assert_eq(L->n, 2);
    chart *pa = &L->ch[0], *up = &L->ch[1];
    /* forward: AAA 4/20, BBB 1/2 -> BBB first; backward: AAA 2/14, BBB 0 */
    cr_assert_str_eq(pa->label[0], "BBB");
    assert_close(pa->v[0], 0.5, 1e-15);
    assert_close(pa->v[1], 0.2, 1e-15);
    assert_close(pa->v[2 + 0], 0.0, 0);
    assert_close(pa->v[2 + 1], 2.0 / 14, 1e-15);
    /* upstreamness weighted by VA: AAA (10*1 + 10*3)/20 = 2, BBB 2; downstream AAA 1.5 */
    cr_assert_str_eq(up->label[0], "AAA", "a tie keeps the CSV's order");
    assert_close(up->v[0], 2.0, 1e-15);
    assert_close(up->v[2 + 0], 1.5, 1e-15);
    chart_list_free(L);
    free(L);
    unlink(p);
    rmdir(d);
}
