/* test_report.c -- the report's CSV reader, number format, chart geometry and map
 * (kernel/report/). The end-to-end report (files, xmllint, the numbers drawn against
 * the CSV a real run wrote) is tests/cli_report.sh; the browser check is
 * tests/browser_test.sh (make test-browser). */
#define _GNU_SOURCE
#include "helpers.h"

#include <unistd.h>

#include "report/charts.h"

static char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/wiot_report_test_XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    size_t n = strlen(text);
    cr_assert(write(fd, text, n) == (ssize_t)n);
    close(fd);
    return path;
}

/* every <rect class="bar" ...>: its data-v, x and width */
typedef struct bar {
    double v, x, w;
    char label[64];
} bar;

static size_t bars(const char *svg, bar *out, size_t max, double *scale)
{
    const char *p = strstr(svg, "data-scale=\"");
    *scale = p ? strtod(p + 12, NULL) : NAN;
    size_t n = 0;
    for (p = svg; (p = strstr(p, "<rect class=\"bar\"")) && n < max; p++) {
        const char *v = strstr(p, "data-v=\""), *l = strstr(p, "data-label=\""), *x = strstr(p, " x=\""),
                   *w = strstr(p, "width=\"");
        cr_assert(v && l && x && w);
        out[n].v = strtod(v + 8, NULL);
        out[n].x = strtod(x + 4, NULL);
        out[n].w = strtod(w + 7, NULL);
        sscanf(l + 12, "%63[^\"]", out[n].label);
        n++;
    }
    return n;
}

static void bar_chart(chart *ch, size_t n, const double *v, const char *const *lab)
{
    memset(ch, 0, sizeof *ch);
    snprintf(ch->id, sizeof ch->id, "t");
    snprintf(ch->title, sizeof ch->title, "A <test> & \"chart\"");
    snprintf(ch->unit, sizeof ch->unit, "%%");
    ch->kind = CH_BARS;
    ch->mult = 100;
    ch->dec = 4;
    cr_assert(chart_alloc(ch, n, 1, 0, 0) == 0);
    for (size_t i = 0; i < n; i++) {
        ch->v[i] = v[i];
        ch->label[i] = strdup(lab[i]);
    }
}

Test(report, fmt_num_as_terminal)
{
    char b[64];
    fmt_num(b, sizeof b, 0.0025963, 100, 4);   /* the terminal prints 100 * x with %.4f */
    cr_assert_str_eq(b, "0.2596");
    fmt_num(b, sizeof b, -1e-9, 100, 4);   /* no "-0.0000" */
    cr_assert_str_eq(b, "0.0000");
    fmt_num(b, sizeof b, -0.0123, 100, 2);
    cr_assert_str_eq(b, "-1.23");
    fmt_num(b, sizeof b, NAN, 1, 1);
    cr_assert_str_eq(b, "-");
    fmt_num(b, sizeof b, 35902.34, 1, 1);
    cr_assert_str_eq(b, "35902.3");
}

/* bar length = |value| x one scale for every bar, zero bars not drawn, negative
 * bars to the left of the zero line, labels and title escaped */
Test(report, bars_proportional_to_values)
{
    const double v[] = {0.0212, -0.0087, 0.0045, 0.0};
    const char *const lab[] = {"USA", "CHN", "A&B", "ZERO"};
    chart ch;
    bar_chart(&ch, 4, v, lab);
    sbuf b;
    sb_init(&b);
    cr_assert(chart_svg(&b, &ch, 1) == 0);
    bar got[8];
    double scale;
    size_t n = bars(b.p, got, 8, &scale);
    cr_assert_eq(n, 3, "the zero value draws no bar (got %zu bars)", n);
    cr_assert(scale > 0);
    /* widths are printed with 4 decimals: |w - |v| scale| <= 0.5e-4 px */
    for (size_t i = 0; i < n; i++)
        assert_close(got[i].w, fabs(got[i].v) * scale, 0.6e-4);
    cr_assert_eq(got[0].v, 0.0212);
    cr_assert_str_eq(got[2].label, "A&amp;B");
    /* the negative bar ends where the positive ones start (the zero line) */
    assert_close(got[1].x + got[1].w, got[0].x, 1e-2);
    cr_assert(strstr(b.p, "A &lt;test&gt; &amp; &quot;chart&quot;"));
    cr_assert(strstr(b.p, ">2.1200</text>"), "the value label uses the terminal's format");
    cr_assert(strstr(b.p, "xmlns=\"http://www.w3.org/2000/svg\""));
    sb_free(&b);
    /* inline (for HTML): no namespace, no XML declaration */
    cr_assert(chart_svg(&b, &ch, 0) == 0);
    cr_assert(!strstr(b.p, "xmlns") && !strstr(b.p, "<?xml"));
    sb_free(&b);
    chart_free(&ch);
}

Test(report, zero_values_draw_no_bars)
{
    const double v[] = {0, 0, 0};
    const char *const lab[] = {"USA", "CHN", "DEU"};
    chart ch;
    bar_chart(&ch, 3, v, lab);
    sbuf b;
    sb_init(&b);
    cr_assert(chart_svg(&b, &ch, 1) == 0);
    cr_assert(!strstr(b.p, "class=\"bar\""));
    cr_assert(strstr(b.p, "nothing to draw"));
    sb_free(&b);
    ch.kind = CH_MAP;
    cr_assert(chart_svg(&b, &ch, 1) == 0);
    cr_assert(strstr(b.p, "data-iso=\"USA\" data-code=\"USA\" data-v=\"0\" fill=\"#F7F7F7\""));
    sb_free(&b);
    chart_free(&ch);
}

Test(report, map_codes)
{
    cr_assert_str_eq(map_iso3("USA"), "USA");
    cr_assert_str_eq(map_iso3("TWN"), "TWN");
    cr_assert_str_eq(map_iso3("RoW"), "ROW");
    cr_assert_str_eq(map_iso3("ROW"), "ROW");
    cr_assert_str_eq(map_iso3("TW"), "TWN");   /* EXIOBASE */
    cr_assert_str_eq(map_iso3("GB"), "GBR");
    cr_assert_str_eq(map_iso3("WE"), "ROW");   /* EXIOBASE RoW Europe */
    cr_assert_str_eq(map_iso3("CN1"), "CHN");  /* ICIO split */
    cr_assert_str_eq(map_iso3("MX2"), "MEX");
    cr_assert_null(map_iso3("xx"));
    cr_assert_null(map_iso3("c12"));
}

/* colours: quintile classes each side of zero (RdBu); RoW shapes take RoW's value;
 * Taiwan is its own shape; Malta has none at 1:110m and is listed */
Test(report, map_colours_and_rest_of_world)
{
    const double v[] = {0.01, -0.0041, 0.001, 0.0, 0.002};
    const char *const lab[] = {"USA", "CHN", "RoW", "TWN", "MLT"};
    chart ch;
    bar_chart(&ch, 5, v, lab);
    ch.kind = CH_MAP;
    sbuf b;
    sb_init(&b);
    cr_assert(chart_svg(&b, &ch, 1) == 0);
    /* positives sorted 0.001 (RoW), 0.002 (MLT), 0.01 (USA): class ends a_ceil(k m / 5) =
     * 0.001, 0.002, 0.002, 0.01, 0.01 -> USA class 4 (#B2182B; classes 4 and 5 end at the
     * same value, the first wins), RoW class 1; CHN, the only negative: class 1 (#D1E5F0) */
    cr_assert(strstr(b.p, "data-iso=\"USA\" data-code=\"USA\" data-v=\"0.01\" fill=\"#B2182B\""));
    cr_assert(strstr(b.p, "data-iso=\"CHN\" data-code=\"CHN\" data-v=\"-0.0041\" fill=\"#D1E5F0\""));
    cr_assert(strstr(b.p, "data-iso=\"TWN\" data-code=\"TWN\" data-v=\"0\" fill=\"#F7F7F7\""));
    /* France is not in this table: drawn as RoW (class 1) */
    cr_assert(strstr(b.p, "<path class=\"c row\" data-iso=\"FRA\" data-code=\"RoW\" data-v=\"0.001\" fill=\"#FDDBC7\""));
    cr_assert(strstr(b.p, "too small to draw at 1:110m: MLT 0.2000"));
    size_t shapes = 0;
    for (const char *p = b.p; (p = strstr(p, "<path class=\"c")); p++)
        shapes++;
    cr_assert_eq(shapes, 176, "Natural Earth 1:110m has 177 admin-0 shapes, less Antarctica (got %zu)", shapes);
    sb_free(&b);
    chart_free(&ch);
}

/* labels from a CSV: XML-escaped, valid UTF-8 kept, stray bytes and control
 * characters (not allowed in XML) replaced or dropped, so every SVG parses */
Test(report, escaping_keeps_xml_valid)
{
    sbuf b;
    sb_init(&b);
    sb_esc(&b, "C\xc3\xb4te & <\"x\"> 'y'\xff\xc3\x28\x01\xed\xa0\x80\xe2\x82\xac");
    cr_assert_str_eq(b.p, "C\xc3\xb4te &amp; &lt;&quot;x&quot;&gt; &#39;y&#39;?" "?(???\xe2\x82\xac");
    sb_free(&b);
}

Test(report, clip_name_ellipsis)
{
    char b[128];
    cr_assert_str_eq(clip_name("Leather, Leather and Footwear", 24, b), "Leather, Leather and Fo\xe2\x80\xa6");
    cr_assert_str_eq(clip_name("Exactly twenty-four ch.s", 24, b), "Exactly twenty-four ch.s");   /* fits */
    cr_assert_str_eq(clip_name("Short", 24, b), "Short");
    cr_assert_str_eq(clip_name("Leather and                x", 12, b), "Leather and\xe2\x80\xa6");   /* no space before ... */
    cr_assert_str_eq(clip_name("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, b), "\xc3\xa9\xc3\xa9\xe2\x80\xa6");   /* characters, not bytes */
}

Test(report, csv_reader)
{
    char err[REPORT_ERRSZ];
    rcsv c;
    const char *p = write_tmp("a,b,\"c,d\"\n1,\"x \"\"q\"\"\",2.5\r\n\n3,,-1e-3\n");
    cr_assert(rcsv_load(p, &c, err, sizeof err) == 0, "%s", err);
    cr_assert_eq(c.ncol, 3);
    cr_assert_eq(c.nrow, 2);
    cr_assert_str_eq(c.head[2], "c,d");
    cr_assert_str_eq(rcsv_get(&c, 0, 1), "x \"q\"");
    cr_assert_eq(rcsv_col(&c, "c,d"), 2);
    cr_assert_eq(rcsv_col(&c, "z"), -1);
    double v;
    cr_assert(rcsv_num(&c, 1, 2, &v, err, sizeof err) == 0);
    cr_assert_eq(v, -1e-3);
    cr_assert(rcsv_num(&c, 1, 1, &v, err, sizeof err) == 0 && isnan(v), "empty cell = missing");
    cr_assert(rcsv_num(&c, 0, 1, &v, err, sizeof err) == 1);
    char want[300];
    snprintf(want, sizeof want, "%s:2: column 'b': 'x \"q\"' is not a number", p);
    cr_assert_str_eq(err, want);
    rcsv_free(&c);
    /* line numbers count the blank line */
    p = write_tmp("a,b\n1,2\n\n3\n");
    cr_assert(rcsv_load(p, &c, err, sizeof err) == 1);
    snprintf(want, sizeof want, "%s:4: 1 fields, the header has 2", p);
    cr_assert_str_eq(err, want);
    unlink(p);
    p = write_tmp("");
    cr_assert(rcsv_load(p, &c, err, sizeof err) == 1);
    snprintf(want, sizeof want, "%s: empty file", p);
    cr_assert_str_eq(err, want);
    unlink(p);
    p = write_tmp("a,\"b\n1,2\n");
    cr_assert(rcsv_load(p, &c, err, sizeof err) == 1);
    snprintf(want, sizeof want, "%s:1: bad quoting in the header", p);
    cr_assert_str_eq(err, want);
    unlink(p);
    cr_assert(rcsv_load("/nonexistent/x.csv", &c, err, sizeof err) == 1);
    cr_assert_str_eq(err, "/nonexistent/x.csv: cannot open: No such file or directory");
}

/* a tariff countries.csv becomes consumer-price bars sorted by value, coloured by
 * role, a map, costs and the burden split (the sums of extra cost by role) */
Test(report, tariff_charts_from_csv)
{
    const char *p = write_tmp("scenario,country,role,consumer_price,final_price_all,extra_cost_musd,tariff_revenue_musd\n"
                              "s,AUS,third,0.0001,0.0001,20.5,0\n"
                              "s,CHN,target,0.002,0.001,300.25,10\n"
                              "s,USA,imposer,0.003,0.002,400,55.5\n"
                              "s,RoW,third,,0.0001,10,0\n");
    char err[REPORT_ERRSZ];
    rcsv c;
    cr_assert(rcsv_load(p, &c, err, sizeof err) == 0, "%s", err);
    cr_assert_str_eq(report_kind(&c), "tariff countries");
    chart_list *L = calloc(1, sizeof *L);
    const char *kind;
    cr_assert(report_csv_charts(&c, "countries", NULL, L, &kind, err, sizeof err) == 0, "%s", err);
    cr_assert_eq(L->n, 4);
    chart *cp = &L->ch[0], *bs = &L->ch[3];
    cr_assert_str_eq(cp->id, "countries_consumer_prices");
    cr_assert_str_eq(cp->label[0], "USA");
    cr_assert_str_eq(cp->label[1], "CHN");
    cr_assert_str_eq(cp->label[3], "RoW", "a missing value sorts last");
    cr_assert(isnan(cp->v[3]));
    cr_assert_eq(cp->cls[0], 1);   /* imposer */
    cr_assert_eq(cp->cls[1], 2);   /* target */
    cr_assert_str_eq(L->ch[1].id, "countries_map");
    cr_assert_str_eq(bs->id, "countries_burden");
    /* rows: imposers, targets, both, third */
    cr_assert_eq(bs->v[0], 400);
    cr_assert_eq(bs->v[1], 300.25);
    cr_assert_eq(bs->v[2], 0);
    cr_assert_eq(bs->v[3], 30.5);
    chart_list_free(L);
    free(L);
    rcsv_free(&c);
    unlink(p);
    /* a bad number names the file, line and column */
    p = write_tmp("scenario,country,role,consumer_price,final_price_all,extra_cost_musd,tariff_revenue_musd\n"
                  "s,AUS,third,0.1x,0.0001,20.5,0\n");
    cr_assert(rcsv_load(p, &c, err, sizeof err) == 0, "%s", err);
    L = calloc(1, sizeof *L);
    cr_assert(report_csv_charts(&c, "countries", NULL, L, &kind, err, sizeof err) == 1);
    char want[300];
    snprintf(want, sizeof want, "%s:2: column 'consumer_price': '0.1x' is not a number", p);
    cr_assert_str_eq(err, want);
    chart_list_free(L);
    free(L);
    rcsv_free(&c);
    unlink(p);
}

/* a table with many countries (Eora: 190) draws the 60 largest, says so, and keeps
 * every country on the map */
Test(report, many_countries_capped)
{
    char *text = malloc(80 * 70 + 200);
    cr_assert(text);
    strcpy(text, "scenario,country,role,consumer_price,final_price_all,extra_cost_musd,tariff_revenue_musd\n");
    for (int i = 0; i < 70; i++)
        sprintf(text + strlen(text), "s,Q%c%c,third,%g,0,%d,0\n", 'A' + i / 26, 'A' + i % 26, 0.0001 * (i + 1), i);
    const char *p = write_tmp(text);
    free(text);
    char err[REPORT_ERRSZ];
    rcsv c;
    cr_assert(rcsv_load(p, &c, err, sizeof err) == 0, "%s", err);
    chart_list *L = calloc(1, sizeof *L);
    const char *kind;
    cr_assert(report_csv_charts(&c, "countries", NULL, L, &kind, err, sizeof err) == 0, "%s", err);
    cr_assert_str_eq(L->ch[0].id, "countries_consumer_prices");
    cr_assert_eq(L->ch[0].n, 60);
    cr_assert_str_eq(L->ch[0].label[0], "QCR");   /* the largest first: i = 69 */
    assert_close(L->ch[0].v[59], 0.0011, 1e-18);   /* %g of 0.0011 read back: exact to the double */
    cr_assert_str_eq(L->ch[0].note, "the 60 largest changes of 70 countries (all are in the CSV and on the map)");
    cr_assert_str_eq(L->ch[1].id, "countries_map");
    cr_assert_eq(L->ch[1].n, 70, "the map keeps every country");
    chart_list_free(L);
    free(L);
    rcsv_free(&c);
    unlink(p);
}
