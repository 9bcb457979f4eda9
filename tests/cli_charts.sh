#!/bin/sh
# CLI tests of the report charts of wiot ge and wiot gvc (kww, position): files written,
# every SVG and HTML parses (xmllint), the numbers drawn equal the CSV's (data-v is the
# CSV cell's text, or a sum/share recomputed here with awk), orderings, a zero scenario
# draws no bars, --no-report, run.json of ge. usage: sh tests/cli_charts.sh PATH/TO/wiot
set -u
W=${1:-./wiot}
case $W in /*) ;; *) W="$(pwd)/$W" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
command -v xmllint >/dev/null || { echo "cli_charts: xmllint missing (Debian libxml2-utils; sh .ci/install-deps)"; exit 1; }

ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }
xml_ok() { xmllint --noout "$1" 2>"$tmp/xerr" || { sed 's/^/  | /' "$tmp/xerr" | head -5; return 1; }; }
html_ok() {
    xmllint --html --noout "$1" 2>"$tmp/herr" || return 1
    ! grep 'error' "$tmp/herr" | grep -v 'Tag [a-z]* invalid' | grep -q .
}
attrs() { xmllint --xpath "$2" "$1" 2>/dev/null | tr ' ' '\n' | sed -n 's/^[a-z-]*="\(.*\)"$/\1/p'; }
bar='//*[local-name()="rect"][@class="bar"]'
# label,data-v of the bars of one series (or all bars), in drawing order
drawn() { # FILE [SERIES]
    if [ $# -eq 2 ]; then q="$bar[@data-series=\"$2\"]"; else q="$bar"; fi
    attrs "$1" "$q/@data-label" > "$tmp/dl"
    attrs "$1" "$q/@data-v" > "$tmp/dv"
    paste -d, "$tmp/dl" "$tmp/dv"
}
# two label,value lists agree label by label to a relative 1e-9 (recomputed sums and
# shares: the chart sums %.10g cells in another order than awk)
close() { # A B
    [ "$(wc -l < "$1")" -eq "$(wc -l < "$2")" ] && [ "$(wc -l < "$1")" -gt 0 ] || return 1
    sort "$1" > "$tmp/ca"; sort "$2" > "$tmp/cb"
    paste -d, "$tmp/ca" "$tmp/cb" | awk -v CONVFMT=%.17g -v OFMT=%.17g -F, '$1 != $3 { bad = 1 } { d = $2 - $4; s = ($4 < 0 ? -$4 : $4) + 1e-300;
        if ((d < 0 ? -d : d) / s > 1e-9) bad = 1 } END { exit bad }'
}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$tmp" || exit 1

# ---------------------------------------------------------------- wiot ge
"$W" ge -o g > ge.out 2>/dev/null
ok test "$(ls g | tr '\n' ' ')" = "countries.csv countries_map.svg countries_prices.svg countries_welfare.svg report.html run.json sectors.csv trade.csv trade_diversion_CHN.svg trade_diversion_USA.svg "
ok grep -q "^wrote a report of 6 files for g" ge.out
for f in g/*.svg g/report.html; do ok xml_ok "$f"; done
ok html_ok g/report.html
ok grep -q '"command": "ge"' g/run.json
ok grep -q "<tr><th>command</th><td>ge</td></tr>" g/report.html
# welfare: every non-zero country, data-v = the CSV's text, largest first
drawn g/countries_welfare.svg | sort > drawn
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, 'NR > 1 && $3 + 0 != 0 { print $2 "," $3 }' g/countries.csv | sort > csv
ok cmp -s drawn csv
ok test "$(wc -l < drawn)" -eq 41
ok sh -c "sort -g -r '$tmp/dv' | cmp -s - '$tmp/dv'"
ok test "$(head -1 "$tmp/dl")" = IRL
# ... and its bar label is the terminal summary's welfare column (4 decimals)
chn=$(awk '$1 == "CHN" { print $2; exit }' ge.out)
ok grep -q ">$chn</text>" g/countries_welfare.svg
ok test "$chn" = "-0.1516"
# diverging colours: gains red, losses blue
ok grep -q 'data-label="CHN" x="[0-9.]*" y="[0-9.]*" width="[0-9.]*" height="[0-9.]*" fill="#2166AC"' g/countries_welfare.svg
ok grep -q 'data-label="IRL" x="[0-9.]*" y="[0-9.]*" width="[0-9.]*" height="[0-9.]*" fill="#B2182B"' g/countries_welfare.svg
# prices: after substitution = price_index (column 6), before = consumer_price_fixed (14)
drawn g/countries_prices.svg "after substitution (GE price index)" | sort > drawn
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, 'NR > 1 && $6 + 0 != 0 { print $2 "," $6 }' g/countries.csv | sort > csv
ok cmp -s drawn csv
drawn g/countries_prices.svg "before substitution (fixed coefficients)" | sort > drawn
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, 'NR > 1 && $14 + 0 != 0 { print $2 "," $14 }' g/countries.csv | sort > csv
ok cmp -s drawn csv
# the map: every country coloured by its welfare (data-v = the CSV's text)
ok grep -q "data-code=\"CHN\" data-v=\"$(awk -v CONVFMT=%.17g -v OFMT=%.17g -F, '$2 == "CHN" { print $3 }' g/countries.csv)\"" g/countries_map.svg
# diversion: USA's imports by origin, new - base summed over sectors (trade.csv)
drawn g/trade_diversion_USA.svg > drawn
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, 'NR > 1 && $2 == "USA" && $3 != "USA" { d[$3] += $6 - $5 } END { for (k in d) if (d[k] != 0) print k "," d[k] }' \
    g/trade.csv > csv
ok close drawn csv
ok test "$(wc -l < drawn)" -eq 40
ok sh -c "sort -g -r '$tmp/dv' | cmp -s - '$tmp/dv'"
ok test "$(head -1 "$tmp/dl"),$(tail -1 "$tmp/dl")" = "RoW,CHN"
# ... the terminal's diversion list prints the same change (1 decimal)
mex=$(awk '/diversion: USA/ { u = 1 } u && $1 == "MEX" { print $2; exit }' ge.out | tr -d +)
ok grep -q ">$mex</text>" g/trade_diversion_USA.svg
drawn g/trade_diversion_CHN.svg > drawn
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, 'NR > 1 && $2 == "CHN" && $3 != "CHN" { d[$3] += $6 - $5 } END { for (k in d) if (d[k] != 0) print k "," d[k] }' \
    g/trade.csv > csv
ok close drawn csv
for f in g/*.svg; do
    ok test -n "$(xmllint --xpath 'string(//*[local-name()="text"][@class="guide"])' "$f")"
    ok test -n "$(xmllint --xpath 'string(//*[local-name()="text"][@class="unit"])' "$f")$(grep -o '<g class="legend">' "$f")"
done
# wiot report re-renders the same charts from the CSVs
mkdir r && cp g/*.csv r/ && "$W" report --quiet r
ok cmp -s g/countries_welfare.svg r/countries_welfare.svg
ok cmp -s g/trade_diversion_USA.svg r/trade_diversion_USA.svg
# --no-report
"$W" ge -o nr --no-report --quiet
ok test "$(ls nr | tr '\n' ' ')" = "countries.csv run.json sectors.csv trade.csv "
# a zero scenario draws no bars (and no diversion: no country levies a tariff)
printf 'scenario,imposer,target,sector,rate\nzero,USA,CHN,c12,0\n' > zero.csv
"$W" ge -s zero.csv -n zero -o z --quiet
ok test -s z/report.html
ok sh -c "! grep -q 'class=\"bar\"' z/*.svg z/report.html"
ok grep -q 'nothing to draw' z/countries_welfare.svg
ok test ! -e z/trade_diversion_USA.svg
ok sh -c "! grep -o 'fill=\"#[0-9A-F]*\" d=' z/countries_map.svg | grep -qv -e F7F7F7 -e D9D9D9"
# two scenarios: the first is drawn, the note says so
"$W" ge -n us301_2019-09-01_list4A_at15 -n us301_2020-02-14_list4A_at7.5 -o two --quiet
ok grep -q 'the first of 2 scenarios' two/countries_welfare.svg
ok grep -q 'scenario us301_2019-09-01_list4A_at15' two/trade_diversion_USA.svg
ok test ! -e two/trade_diversion_CHN.svg

# the CP2015 dataset: no run.json (no wiot table), names instead of codes: no map
"$W" ge -t "$root/data/cp2015" -o cp --quiet
ok test -s cp/report.html
ok test ! -e cp/run.json
ok test ! -e cp/countries_map.svg
# (names with spaces, "New Zealand": the values compared, sorted)
attrs cp/countries_welfare.svg "$bar/@data-v" | sort > drawn
awk -F, 'NR > 1 && $3 + 0 != 0 { print $3 }' cp/countries.csv | sort > csv
ok cmp -s drawn csv
ok test "$(wc -l < drawn)" -eq 31
ok grep -q 'data-label="New Zealand"' cp/countries_welfare.svg
# consumer_price_fixed is empty: one series, the GE price index
attrs cp/countries_prices.svg "$bar/@data-v" | sort > drawn
awk -F, 'NR > 1 && $6 + 0 != 0 { print $6 }' cp/countries.csv | sort > csv
ok cmp -s drawn csv
ok test -s cp/trade_diversion_Mexico.svg

# --------------------------------------------------------------- wiot gvc
mkdir v
"$W" gvc kww -o v/kww.csv > kww.out
ok test "$(ls v | tr '\n' ' ')" = "kww.csv kww.csv.run kww.html kww_kww.svg kww_map.svg "
for f in v/*.svg v/kww.html; do ok xml_ok "$f"; done
ok html_ok v/kww.html
# the 15 largest exporters (gross exports = the sum of the nine terms), largest first
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, 'NR > 1 { e[$1] += $4 } END { for (k in e) print e[k], k }' v/kww.csv | sort -g -r | head -15 | awk '{ print $2 }' > top
attrs v/kww_kww.svg "$bar[@data-series=\"VAX: DVA absorbed abroad (T1-T3)\"]/@data-label" > lab
ok cmp -s top lab
ok test "$(head -1 lab)" = RoW
# each part as a share of gross exports: VAX = T1-T3, RDV = T4-T5, FVA = T7-T8, PDC = T6+T9
for part in "VAX: DVA absorbed abroad (T1-T3):1,2,3" "RDV: DVA returning home (T4-T5):4,5" \
            "FVA: foreign value added (T7-T8):7,8" "PDC: double counted (T6, T9):6,9"; do
    name=${part%:*} terms=${part##*:}
    drawn v/kww_kww.svg "$name" > drawn
    awk -v CONVFMT=%.17g -v OFMT=%.17g -F, -v t=",$terms," 'NR > 1 { e[$1] += $4; if (index(t, "," $2 ",")) p[$1] += $4 }
        END { for (k in e) print k "," p[k] / e[k] }' v/kww.csv | grep -Ff top > all
    grep -E "^($(tr '\n' '|' < top | sed 's/|$//')),"  all > csv
    ok close drawn csv
done
# the four parts of each exporter add up to 100 % (to the cells' 10 digits)
ok sh -c "attrs() { xmllint --xpath \"\$2\" \"\$1\" 2>/dev/null | tr ' ' '\n' | sed -n 's/^[a-z-]*=\"\(.*\)\"\$/\1/p'; }
    attrs v/kww_kww.svg '$bar[@data-label=\"USA\"]/@data-v' | awk '{ s += \$1 } END { d = s - 1; exit !(d < 1e-9 && d > -1e-9) }'"
# the bar label of USA's FVA is the terminal's FVA_FIN + FVA_INT (2 decimals)
fva=$(awk -v CONVFMT=%.17g -v OFMT=%.17g -F, '$1 == "USA" { e += $4; if ($2 == 7 || $2 == 8) f += $4 } END { printf "%.2f", 100 * f / e }' v/kww.csv)
ok grep -q ">$fva</text>" v/kww_kww.svg
# the map: foreign content T7-T9
m=$(xmllint --xpath 'string(//*[@data-code="CHN"]/@data-v)' v/kww_map.svg)
want=$(awk -v CONVFMT=%.17g -v OFMT=%.17g -F, '$1 == "CHN" { e += $4; if ($2 >= 7) f += $4 } END { print f / e }' v/kww.csv)
ok awk -v a="$m" -v b="$want" 'BEGIN { d = a - b; exit !(d < 1e-9 * b && d > -1e-9 * b) }'
# --by-sector has no charts; --no-report none either
"$W" gvc kww --by-sector -o v/kwws.csv --quiet
ok test ! -e v/kwws.html
"$W" gvc kww --no-report -o v/k2.csv --quiet
ok test ! -e v/k2.html

"$W" gvc position -o v/pos.csv > pos.out
for f in v/pos_*.svg v/pos.html; do ok xml_ok "$f"; done
ok html_ok v/pos.html
# participation: forward = (va_gvc_s + va_gvc_c) / VA, backward = (y_gvc_s + y_gvc_c) / final goods
drawn v/pos_participation.svg "forward (% of value added)" > drawn
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, 'NR > 1 { v[$1] += $5 + $6 + $7 + $8; g[$1] += $7 + $8 } END { for (k in v) print k "," g[k] / v[k] }' v/pos.csv > csv
ok close drawn csv
ok sh -c "sort -g -r '$tmp/dv' | cmp -s - '$tmp/dv'"
drawn v/pos_participation.svg "backward (% of final goods)" > drawn
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, 'NR > 1 { y[$1] += $9 + $10 + $11 + $12; g[$1] += $11 + $12 } END { for (k in y) print k "," g[k] / y[k] }' v/pos.csv > csv
ok close drawn csv
# ... the terminal's gvc_fwd and gvc_bwd columns for the largest exporter
usa=$(awk '$1 == "USA" { print $2 " " $3; exit }' pos.out)
ok grep -q ">${usa% *}</text>" v/pos_participation.svg
ok grep -q ">${usa#* }</text>" v/pos_participation.svg
# upstreamness, value-added-weighted over the country's sectors
drawn v/pos_upstreamness.svg "upstreamness (Antras et al. 2012)" > drawn
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, 'NR > 1 { va = $5 + $6 + $7 + $8; v[$1] += va; u[$1] += va * $3 } END { for (k in v) print k "," u[k] / v[k] }' v/pos.csv > csv
ok close drawn csv
drawn v/pos_upstreamness.svg "downstreamness" > drawn
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, 'NR > 1 { va = $5 + $6 + $7 + $8; v[$1] += va; u[$1] += va * $4 } END { for (k in v) print k "," u[k] / v[k] }' v/pos.csv > csv
ok close drawn csv
# --years: the last year's charts
"$W" gvc kww --years 2010:2011 -o v/ky.csv --quiet
ok grep -q 'table year 2011' v/ky_kww.svg
awk -v CONVFMT=%.17g -v OFMT=%.17g -F, '$1 == 2011 && $2 == "USA" { e += $5; if ($3 == 7 || $3 == 8) f += $5 } END { printf "%.2f\n", 100 * f / e }' v/ky.csv > want
ok grep -q ">$(cat want)</text>" v/ky_kww.svg

# a run.json another command left in the directory is not gvc's provenance
"$W" tariff -o st --quiet && "$W" gvc kww -o st/kww.csv --quiet
ok grep -q "<tr><th>command line</th><td>wiot gvc kww -o st/kww.csv --quiet</td></tr>" st/kww.html
ok sh -c "! grep -q '<tr><th>command</th><td>tariff' st/kww.html"
ok grep -q "<tr><th>command</th><td>tariff</td></tr>" st/report.html

echo "cli charts tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
