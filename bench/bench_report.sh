#!/bin/sh
# The cost of the report: wiot tariff -o with and without it (same run, same data,
# medians of 11, interleaved), and `wiot report` alone re-rendering the same directory. Prints the
# BLAS core and threads from wiot's own timing line. usage: sh bench/bench_report.sh [wiot]
set -eu
W=${1:-./wiot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ns() { date +%s%N; }
med() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
t() { t0=$(ns); "$@" >/dev/null 2>&1; t1=$(ns); echo $(( (t1 - t0) / 1000 )); }
"$W" tariff -o "$tmp/d" 2>/dev/null | sed -n 's/.*\(threads [0-9]*, BLAS core [A-Za-z0-9_]*\).*/\1/p'
# interleaved, so load on the machine hits all three alike
for i in $(seq 11); do
    t "$W" tariff --no-report -o "$tmp/a" >> "$tmp/ta"
    t "$W" tariff -o "$tmp/b" >> "$tmp/tb"
    t "$W" report "$tmp/d" >> "$tmp/tr"
done
a=$(med < "$tmp/ta" | awk '{ printf "%.1f", $1 / 1000 }')
b=$(med < "$tmp/tb" | awk '{ printf "%.1f", $1 / 1000 }')
r=$(med < "$tmp/tr" | awk '{ printf "%.1f", $1 / 1000 }')
echo "wiot tariff -o, no report:   $a ms (median of 11)"
echo "wiot tariff -o, with report: $b ms; ratio $(awk "BEGIN { printf \"%.2f\", $b / $a }")"
echo "wiot report (6 files):       $r ms; ratio to the tariff run $(awk "BEGIN { printf \"%.2f\", $r / $a }")"
ls -l "$tmp/d" | awk 'NR > 1 { s += $5 } END { printf "report files: %.0f kB in all\n", s / 1024 }'
du -k "$tmp/d/report.html" | awk '{ print "report.html: " $1 " kB" }'
