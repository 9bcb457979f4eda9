#!/bin/sh
# CLI tests of the report (SVG charts and report.html): files written, every SVG and
# the HTML parse (xmllint, XML and HTML), the numbers drawn equal the CSV's and the
# terminal summary's, a zero scenario draws no bars, no request leaves the page,
# run.json provenance, error messages. usage: sh tests/cli_report.sh PATH/TO/wiot
set -u
W=${1:-./wiot}
case $W in /*) ;; *) W="$(pwd)/$W" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
command -v xmllint >/dev/null || { echo "cli_report: xmllint missing (Debian libxml2-utils; sh .ci/install-deps)"; exit 1; }

ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }
# exact one-line stderr and exit code
check_msg() {
    name=$1 want=$2 msg=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ] || [ "$(grep -v ': warning: ' "$tmp/err")" != "$msg" ]; then
        echo "FAIL $name: exit $got (want $want), stderr:"; sed 's/^/  | /' "$tmp/err"
        echo "  expected: $msg"
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
# XML well-formed, and HTML without errors other than libxml2's HTML4 parser not
# knowing HTML5/SVG element names ("Tag svg invalid")
xml_ok() { xmllint --noout "$1" 2>"$tmp/xerr" || { sed 's/^/  | /' "$tmp/xerr" | head -5; return 1; }; }
html_ok() {
    xmllint --html --noout "$1" 2>"$tmp/herr" || return 1
    ! grep 'error' "$tmp/herr" | grep -v 'Tag [a-z]* invalid' | grep -q .
}
# attribute values of the elements matching an XPath (namespace-free names)
attrs() { xmllint --xpath "$2" "$1" 2>/dev/null | tr ' ' '\n' | sed -n 's/^[a-z-]*="\(.*\)"$/\1/p'; }

cd "$(dirname "$0")" || exit 1

# --- the default run: files
"$W" tariff -o "$tmp/t" >"$tmp/tariff.out" 2>/dev/null
ok test -s "$tmp/t/report.html"
ok sh -c "cd '$tmp/t' && ls | tr '\n' ' ' | grep -qx 'countries.csv countries_burden.svg countries_consumer_prices.svg countries_costs.svg countries_map.svg prices.csv prices_top_sectors.svg report.html run.json '"
ok grep -q "^wrote a report of 6 files for $tmp/t" "$tmp/tariff.out"
for f in "$tmp"/t/*.svg "$tmp/t/report.html"; do ok xml_ok "$f"; done
ok html_ok "$tmp/t/report.html"

# --- the numbers drawn equal the CSV's
S="$tmp/t/countries_consumer_prices.svg"
bar='//*[local-name()="rect"][@class="bar"]'
attrs "$S" "$bar/@data-label" > "$tmp/lab"
attrs "$S" "$bar/@data-v" > "$tmp/val"
paste -d, "$tmp/lab" "$tmp/val" | sort > "$tmp/drawn"
# countries.csv: consumer_price (column 4) of every country with a non-zero change
awk -F, 'NR > 1 && $4 != "" && $4 + 0 != 0 { print $2 "," $4 }' "$tmp/t/countries.csv" | sort > "$tmp/csv"
ok cmp -s "$tmp/drawn" "$tmp/csv"
ok test "$(wc -l < "$tmp/drawn")" -eq 41
# sorted: largest first
ok sh -c "sort -g -r '$tmp/val' | cmp -s - '$tmp/val'"
# every bar's length is |value| x the chart's one scale (widths printed to 1e-4 px)
scale=$(attrs "$S" '//*[local-name()="g"][@class="bars"]/@data-scale')
attrs "$S" "$bar/@width" > "$tmp/w"
ok sh -c "paste -d' ' '$tmp/val' '$tmp/w' | awk -v s=$scale '{ d = \$2 - (\$1 < 0 ? -\$1 : \$1) * s; if (d > 6e-5 || d < -6e-5) bad = 1 } END { exit bad }'"
# the largest bar is USA's, and its label is the terminal summary's consumer column
ok test "$(head -1 "$tmp/lab")" = USA
usa=$(awk '$1 == "USA" { print $3; exit }' "$tmp/tariff.out")
ok grep -q ">$usa</text>" "$S"
ok test -n "$usa"
# the map: USA is in the top fifth of the changes, the darkest red; RoW countries take RoW's value
M="$tmp/t/countries_map.svg"
ok grep -q 'data-iso="USA" data-code="USA" data-v="[0-9.e-]*" fill="#67001F"' "$M"
ok grep -q 'class="c" data-iso="BRA" data-code="BRA"' "$M"
ok grep -q 'class="c row" data-iso="ARG" data-code="RoW" data-v="[0-9.e-]*" fill="#[0-9A-F]*" fill-opacity="0.45"' "$M"
# quintile classes: the 8 largest of the 41 positive changes (the top fifth) are the darkest
ok test "$(grep -c 'class="c" data-iso="[A-Z]*" data-code="[A-Za-z]*" data-v="[0-9.e-]*" fill="#67001F"' "$M")" -ge 5
ok grep -q 'class="c" data-iso="TWN" data-code="TWN"' "$M"
# the burden split adds up the CSV's extra cost by role
third=$(awk -F, 'NR > 1 && $3 == "third" { s += $6 } END { printf "%.1f", s }' "$tmp/t/countries.csv")
ok grep -q ">$third</text>" "$tmp/t/countries_burden.svg"
# the most affected country-sectors: exact of the top bar = the CSV's largest exact
top=$(awk -F, 'NR > 1 { print $6 }' "$tmp/t/prices.csv" | sort -g -r | head -1)
ok test "$(attrs "$tmp/t/prices_top_sectors.svg" '//*[local-name()="rect"][@data-series="exact"]/@data-v' | head -1)" = "$top"

# every chart has a title, a one-line reading guide and its unit, as real <text>
for f in "$tmp"/t/*.svg; do
    ok test -n "$(xmllint --xpath 'string(//*[local-name()="text"][@class="title"])' "$f")"
    ok test -n "$(xmllint --xpath 'string(//*[local-name()="text"][@class="guide"])' "$f")"
    # the unit: under the value axis, or (the map) beside the colour legend
    ok test -n "$(xmllint --xpath 'string(//*[local-name()="text"][@class="unit"])' "$f")$(grep -o '<g class="legend">' "$f")"
done
# help
check_msg report_help 0 "" -- "$W" report --help
ok grep -q "^usage: wiot report PATH" "$tmp/out"
check_msg main_help 0 "" -- "$W" --help
ok grep -q "^  report        re-render the SVG charts and report.html" "$tmp/out"
ok grep -q "no-report turns that off" "$tmp/out"

# SOURCE_DATE_EPOCH: the same CSVs render to the same bytes
mkdir "$tmp/r1" "$tmp/r2" && cp "$tmp"/t/*.csv "$tmp/r1" && cp "$tmp"/t/*.csv "$tmp/r2"
SOURCE_DATE_EPOCH=1767225600 "$W" report --quiet "$tmp/r1" && SOURCE_DATE_EPOCH=1767225600 "$W" report --quiet "$tmp/r2"
ok sh -c "sed 's#$tmp/r1#X#g' '$tmp/r1/report.html' > '$tmp/h1'; sed 's#$tmp/r2#X#g' '$tmp/r2/report.html' | cmp -s - '$tmp/h1'"
ok grep -q '<tr><th>rendered at (UTC)</th><td>2026-01-01T00:00:00Z</td></tr>' "$tmp/r1/report.html"
ok cmp -s "$tmp/r1/countries_map.svg" "$tmp/r2/countries_map.svg"

# --- self-contained: no request can leave the page
ok grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$tmp/t/report.html"
ok sh -c "! grep -Eiq 'https?:|src=|url\(|@import|<script|<link|<img|<iframe|<object' '$tmp/t/report.html'"
ok sh -c "! cat '$tmp'/t/*.svg | sed 's#xmlns=\"http://www.w3.org/2000/svg\"##' | grep -Eiq 'https?:|href|url\(|<script'"
# provenance without run.json: this run's command line
ok grep -q "<tr><th>command line</th><td>wiot tariff -o $tmp/t</td></tr>" "$tmp/t/report.html"

# --- a zero scenario draws no bars
printf 'scenario,imposer,target,sector,rate\nzero,USA,CHN,c12,0\n' > "$tmp/zero.csv"
"$W" tariff -s "$tmp/zero.csv" -n zero -o "$tmp/z" >/dev/null 2>&1
ok test -s "$tmp/z/report.html"
ok sh -c "! grep -q 'class=\"bar\"' '$tmp'/z/*.svg '$tmp/z/report.html'"
ok grep -q 'nothing to draw' "$tmp/z/countries_consumer_prices.svg"
ok sh -c "! grep -o 'fill=\"#[0-9A-F]*\" d=' '$tmp/z/countries_map.svg' | grep -qv -e F7F7F7 -e D9D9D9"

# --- a table whose codes name no country (pymrio's reg1..reg6): every chart but the map
printf 'scenario,imposer,target,sector,rate\nmine,reg1,*,*,0.1\n' > "$tmp/s_py.csv"
"$W" tariff -t ../data/examples/pymrio_test_mrio.csv -s "$tmp/s_py.csv" -n mine -o "$tmp/py" --quiet 2>/dev/null
ok sh -c "cd '$tmp/py' && ls | tr '\n' ' ' | grep -qx 'countries.csv countries_burden.svg countries_consumer_prices.svg countries_costs.svg prices.csv prices_top_sectors.svg report.html run.json '"
for f in "$tmp"/py/*.svg "$tmp/py/report.html"; do ok xml_ok "$f"; done
# codes the map cannot place are named under it: an ICIO-like table with a made-up code
awk -F, 'NR == 1 || $2 != "MLT"' "$tmp/t/countries.csv" | sed 's/,TWN,/,XYZ1,/' > "$tmp/odd.csv"
"$W" report --quiet "$tmp/odd.csv"
ok grep -q 'codes that name no country: XYZ1 0.0174' "$tmp/odd_map.svg"
ok sh -c "! grep -q 'too small to draw' '$tmp/odd_map.svg'"

# --- --no-report
"$W" tariff --no-report --quiet -o "$tmp/n" 2>/dev/null
ok sh -c "cd '$tmp/n' && ls | tr '\n' ' ' | grep -qx 'countries.csv prices.csv run.json '"

# --- wiot report: re-render, run.json provenance
rm -f "$tmp"/t/*.svg "$tmp/t/report.html"
cat > "$tmp/t/run.json" <<'EOF'
{"wiot_version": "0.1.0", "command": "tariff", "argv": ["wiot", "tariff", "-o", "out"],
 "table": {"name": "wiot_2011.csv.gz", "sha256": "ab12"}, "scenarios": ["s1", "s2"],
 "pass_through": 1, "method": "both", "date": "2026-01-02T03:04:05Z"}
EOF
check_msg report_rerender 0 "" -- "$W" report "$tmp/t"
ok grep -q "^wrote 6 files from $tmp/t" "$tmp/out"
ok test -s "$tmp/t/countries_map.svg"
ok grep -q '<tr><th>table</th><td>wiot_2011.csv.gz</td></tr>' "$tmp/t/report.html"
ok grep -q '<tr><th>scenarios</th><td>s1 s2</td></tr>' "$tmp/t/report.html"
ok grep -q '<tr><th>command line</th><td>wiot tariff -o out</td></tr>' "$tmp/t/report.html"
ok grep -q '<tr><th>run at (UTC)</th><td>2026-01-02T03:04:05Z</td></tr>' "$tmp/t/report.html"
printf '{"command": "tariff",\n "argv": [1, }\n' > "$tmp/t/run.json"
check_msg report_bad_json 0 "" -- "$W" report --quiet "$tmp/t"
"$W" report "$tmp/t" >/dev/null 2>&1
ok grep -q "run.json:2: a value expected; the provenance below is incomplete" "$tmp/t/report.html"
rm "$tmp/t/run.json"
"$W" report "$tmp/t" >/dev/null 2>&1
ok grep -q "no run.json beside the CSV files" "$tmp/t/report.html"

# --- the other commands
"$W" sweep -n us301_2019-05-10_list3at25 --scale 0:2:5 -o "$tmp/sw.csv" --quiet 2>/dev/null
ok test -s "$tmp/sw.html"
ok test -s "$tmp/sw_scale.svg"
# the line through scale 2 ends at the CSV's value for USA at scale 2
usa2=$(awk -F, '$2 == 2 && $3 == "USA" { print $5 }' "$tmp/sw.csv")
ok test "$(attrs "$tmp/sw_scale.svg" '//*[local-name()="circle"][@data-x="2"]/@data-v' | grep -c "^$usa2\$")" -eq 1
"$W" sweep -n us301_2019-05-10_list3at25 --draws 20 -o "$tmp/mc.csv" --quiet 2>/dev/null
ok test -s "$tmp/mc_draws.svg"
q50=$(awk -F, '$2 == "USA" { print $8 }' "$tmp/mc.csv")
ok grep -q "data-v=\"$q50\" data-label=\"USA\"" "$tmp/mc_draws.svg"
"$W" content --source CHN:c2,c12 --threshold 0.001,0.01 -o "$tmp/content.csv" >/dev/null 2>&1
ok test -s "$tmp/content_crossings.svg"
# products of KOR crossing 0.1 %: the CSV's count
kor=$(awk -F, '$1 == "KOR" && $4 == 1' "$tmp/content.csv" | wc -l)
ok test "$(attrs "$tmp/content_crossings.svg" '//*[local-name()="rect"][@data-label="KOR"][@data-series=">= 0.1 %"]/@data-v')" = "$kor"
# --source CHN:c2,c12 names plain countries: the ranking is of products made outside
# China, as the terminal's "highest made outside CHN" (CZE_c14 2.9351 % first)
"$W" content --source CHN:c2,c12 --threshold 0.001,0.01 > "$tmp/content.out" 2>/dev/null
first=$(awk '/highest made outside CHN/ { getline; print $1 "|" $(NF - 1); exit }' "$tmp/content.out")
ok test "$first" = "CZE_c14|2.9351"
ok test "$(xmllint --xpath 'string((//*[local-name()="rect"][@class="bar"])[1]/@data-label)' "$tmp/content_top_products.svg" | cut -d' ' -f1)" = CZE_c14
ok grep -q '>2.9351</text>' "$tmp/content_top_products.svg"
ok sh -c "! grep -q 'class=\"bar\" data-v=\"[^\"]*\" data-label=\"CHN_' '$tmp/content_top_products.svg'"
ok test "$(grep -c 'class="bar"' "$tmp/content_top_products.svg")" -eq 25
# the map: China, the source, grey and off the scale, whose top is then CZE's 2.9351 %
ok grep -q '<path class="c source" data-iso="CHN" data-code="CHN" data-v="[0-9.e-]*" fill="#636363"' "$tmp/content_map.svg"
ok grep -q '>2.9351</text>' "$tmp/content_map.svg"
# re-rendered from run.json's argv: the same ranking
mkdir "$tmp/cj" && cp "$tmp/content.csv" "$tmp/cj/"
printf '{"command": "content", "argv": ["wiot", "content", "--source", "CHN:c2,c12", "-o", "c.csv"]}\n' > "$tmp/cj/run.json"
"$W" report --quiet "$tmp/cj"
ok cmp -s "$tmp/content_top_products.svg" "$tmp/cj/content_top_products.svg"
# extract: the country-sectors losing most outside the source, as the terminal lists them
"$W" extract --source CHN -o "$tmp/ex.csv" > "$tmp/ex.out" 2>/dev/null
awk '/Country-sectors outside CHN losing most/ { for (i = 0; i < 3; i++) { getline; print $1, $(NF - 3) } exit }' "$tmp/ex.out" > "$tmp/ex.want"
grep -o 'class="bar" data-v="[^"]*" data-label="[^ "]*' "$tmp/ex_top_sectors.svg" | sed 's/.*data-label="//' | head -3 > "$tmp/ex.lab"
for k in 1 2 3; do
    want=$(sed -n "${k}p" "$tmp/ex.want")
    ok test "$(sed -n "${k}p" "$tmp/ex.lab")" = "${want% *}"
    ok grep -q ">${want#* }</text>" "$tmp/ex_top_sectors.svg"
done
ok test "$(wc -l < "$tmp/ex.want")" -eq 3
ok sh -c "! grep -q 'data-label=\"CHN' '$tmp/ex_by_country.svg' '$tmp/ex_top_sectors.svg'"
# by country: the sums of the CSV's columns (JPN, upstream+final)
jpn=$(awk -F, '$1 == "JPN" { s += $5 } END { printf "%.10g", s }' "$tmp/ex.csv")
ok awk -v w="$jpn" -v g="$(xmllint --xpath 'string(//*[local-name()="rect"][@data-label="JPN"][@data-series="upstream+final"]/@data-v)' "$tmp/ex_by_country.svg")" 'BEGIN { d = w - g; exit !(d < 1e-6 * w && d > -1e-6 * w) }'
ok grep -q '<path class="c source" data-iso="CHN"' "$tmp/ex_map.svg"
"$W" tiva -o "$tmp/tiva.csv" >/dev/null 2>&1
ok test -s "$tmp/tiva_map.svg"
"$W" tiva --by-sector -o "$tmp/tivas.csv" >/dev/null 2>&1
ok test -s "$tmp/tivas_fva_share.svg"
"$W" tariff --years 2010:2011 -o "$tmp/y" --quiet 2>/dev/null
ok test -s "$tmp/y/countries_years.svg"
"$W" tariff -n us301_2019-05-10_list3at25 -n us232_2025-03-12_all_25 -o "$tmp/two" --quiet 2>/dev/null
ok test -s "$tmp/two/countries_scenarios.svg"
for f in "$tmp"/*.svg "$tmp"/*.html "$tmp"/y/*.svg "$tmp"/y/report.html "$tmp"/two/*.svg "$tmp"/two/report.html; do
    ok xml_ok "$f"
done
for f in "$tmp"/*.html "$tmp"/y/report.html "$tmp"/two/report.html; do ok html_ok "$f"; done

# --- errors: one line naming the file, line and problem
check_msg report_none 1 "wiot: $tmp/nope: No such file or directory" -- "$W" report "$tmp/nope"
check_msg report_noarg 2 "wiot report: give the OUTDIR (or CSV file) of an earlier run (see 'wiot report --help')" -- "$W" report
mkdir "$tmp/empty"
check_msg report_empty 1 "wiot: $tmp/empty: no wiot CSV output found (tariff, sweep, ge, content, tiva, extract or gvc files)" -- "$W" report "$tmp/empty"
printf 'a,b\n1,2\n' > "$tmp/other.csv"
check_msg report_other 1 "wiot: $tmp/other.csv: not a wiot output the report knows (columns a,b...)" -- "$W" report "$tmp/other.csv"
check_msg report_txt 1 "wiot: $tmp/zero.csvx: No such file or directory" -- "$W" report "$tmp/zero.csvx"
sed '3s/,third,[^,]*,/,third,abc,/' "$tmp/t/countries.csv" > "$tmp/bad.csv" && mkdir "$tmp/b" && mv "$tmp/bad.csv" "$tmp/b/countries.csv"
check_msg report_badnum 1 "wiot: $tmp/b/countries.csv:3: column 'consumer_price': 'abc' is not a number" -- "$W" report "$tmp/b"
head -3 "$tmp/t/countries.csv" > "$tmp/b/countries.csv" && echo 's,USA,third' >> "$tmp/b/countries.csv"
check_msg report_short 1 "wiot: $tmp/b/countries.csv:4: 3 fields, the header has 7" -- "$W" report "$tmp/b"
# inputs are bounded before they are read: a CSV over 256 MB (sparse) and a run.json
# over 1 MB are refused; binary data is not a CSV; a directory named x.csv is skipped
mkdir "$tmp/big" && truncate -s 300M "$tmp/big/countries.csv"
check_msg report_big 1 "wiot: $tmp/big/countries.csv: 314572800 bytes, more than the report reads (256 MB)" -- "$W" report "$tmp/big"
printf 'a,b\n1,\0002\n' > "$tmp/nul.csv"
check_msg report_nul 1 "wiot: $tmp/nul.csv: binary data (a NUL byte), not a CSV file" -- "$W" report "$tmp/nul.csv"
mkdir "$tmp/dirs" "$tmp/dirs/a.csv" && cp "$tmp/t/countries.csv" "$tmp/dirs/"
check_msg report_dir_named_csv 0 "" -- "$W" report --quiet "$tmp/dirs"
truncate -s 2M "$tmp/dirs/run.json"
"$W" report "$tmp/dirs" >/dev/null 2>&1
ok grep -q "run.json: larger than 1048576 bytes, not read" "$tmp/dirs/report.html"

# a report that cannot be written (a full disk: files limited to 16 blocks): one line
# with the reason, exit 1, no partial or temporary file left
small_disk() { sh -c 'trap "" XFSZ; ulimit -f 16; exec "$@"' sh "$@"; }
mkdir "$tmp/full" && cp "$tmp/t/countries.csv" "$tmp/t/prices.csv" "$tmp/full/"
check_msg report_full_disk 1 "wiot: $tmp/full/countries_consumer_prices.svg: write failed: File too large" -- small_disk "$W" report "$tmp/full"
ok sh -c "! ls '$tmp/full' | grep -q -e tmp -e report.html -e countries_consumer_prices.svg"

# --- the README's commands, exactly as written there (in a scratch directory)
mkdir "$tmp/readme" && cd "$tmp/readme" || exit 1
ok sh -c "'$W' tariff -o out --quiet 2>/dev/null"
ok test -s out/report.html
ok test -s out/countries_consumer_prices.svg
rm -rf out
"$W" tariff -o out --no-report >/dev/null 2>&1
ok sh -c "ls out | tr '\n' ' ' | grep -qx 'countries.csv prices.csv run.json '"
check_msg readme_report 0 "" -- "$W" report out
ok test -s out/report.html
"$W" sweep -n us301_2019-05-10_list3at25 --scale 0:2:9 -o sweep.csv >/dev/null 2>&1
ok test -s sweep.html
ok test -s sweep_scale.svg
"$W" content --source CHN:c2,c12 --threshold 0.001,0.01 -o content.csv >/dev/null 2>&1
rm -f content.html content_*.svg
check_msg readme_report_file 0 "" -- "$W" report content.csv
ok test -s content.html
ok test -s content_top_products.svg
# the README's reading of the default run: USA 0.2596 %, CHN 0.2071 %, third countries 8652.3
ok grep -q '>0.2596</text>' out/countries_consumer_prices.svg
ok grep -q '>0.2071</text>' out/countries_consumer_prices.svg
ok grep -q '>8652.3</text>' out/countries_burden.svg
ok grep -q 'too small to draw at 1:110m: MLT 0.0137' out/countries_map.svg
cd "$tmp" || exit 1

echo "cli report tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
