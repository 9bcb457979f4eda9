#!/bin/sh
# Value chains on WIOD 2011 (issue 15): the whole `wiot gvc wwz -o FILE` command and
# `wiot gvc kww --years 1995:2011 -o FILE` (medians of 5 and 3 runs, wall time), the
# library steps (bench_gvc), the numpy implementation from the papers
# (numpy_gvc.py --time) and decompr in R when installed, all in one run; then the
# agreement of wiot with decompr. usage: sh bench_gvc.sh [path/to/wiot]
# decompr: DECOMPR_LIB=DIR (R CMD INSTALL -l DIR decompr/, the GPL R source from
# github.com/bquast/decompr, outside the repository; Debian: apt-get install
# r-base-core r-cran-matrixstats).
W=${1:-../build/wiot}
case $W in /*) ;; *) W="$(pwd)/$W" ;; esac
cd "$(dirname "$0")" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
T=../data/wiod2013/wiot_2011.csv.gz
med() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
wall() { a=$(date +%s%N); "$@" >/dev/null 2>&1; b=$(date +%s%N); awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }'; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
./bench_gvc "$T" results/gvc.csv
# OpenMP's default wait policy spins; on a machine shared with other jobs spinning
# threads slow each other down, so the 2-thread runs are also timed with passive waits
for pol in active passive; do
    for th in 1 2; do
        t=$(for i in 1 2 3 4 5; do wall env OMP_WAIT_POLICY=$pol "$W" gvc wwz --threads $th -o "$tmp/w.csv"; done | med)
        echo "wiot gvc wwz -o FILE (embedded WIOD 2011, 918,400 rows), $th thread(s), OMP_WAIT_POLICY=$pol: $t s"
        [ $th = 1 ] && [ $pol = passive ] && tw=$t
        [ $th = 2 ] && [ $pol = active ] && tw2=$t
    done
    ty=$(for i in 1 2 3; do wall env OMP_WAIT_POLICY=$pol "$W" gvc kww --years 1995:2011 --threads 1 -o "$tmp/k.csv"; done | med)
    echo "wiot gvc kww --years 1995:2011 -o FILE (17 gzip CSV tables loaded), 1 thread, OMP_WAIT_POLICY=$pol: $ty s"
done
PY=/usr/bin/python3
if $PY -c 'import numpy' 2>/dev/null; then
    $PY numpy_gvc.py "$T" --time
fi
if command -v Rscript >/dev/null && Rscript -e ".libPaths(c('${DECOMPR_LIB:-}', .libPaths())); library(decompr)" >/dev/null 2>&1; then
    DECOMPR_LIB=${DECOMPR_LIB:-} Rscript decompr_wiod.R "$T" "$tmp/dec" | tee "$tmp/dec.txt"
    td=$(sed -n 's/.*load_tables_vectors + wwz \([0-9.]*\) s.*/\1/p' "$tmp/dec.txt")
    echo "ratio decompr (load_tables_vectors + wwz, compute only) / wiot gvc wwz -o FILE (whole command): $(awk -v a=$td -v b=$tw 'BEGIN { printf "%.1f", a / b }')x at 1 thread, $(awk -v a=$td -v b=$tw2 'BEGIN { printf "%.1f", a / b }')x at 2 threads"
    "$W" gvc wwz -o "$tmp/w.csv" --quiet 2>/dev/null
    "$W" gvc kww -o "$tmp/k.csv" --quiet 2>/dev/null
    $PY compare_decompr.py "$tmp/w.csv" "$tmp/k.csv" "$tmp/dec"
else
    echo "decompr not installed (set DECOMPR_LIB): decompr figures skipped"
fi
