#!/bin/sh
# End to end: `wiot tariff` with its defaults (load, checks, factorization, the
# scenario, the summary) against the same job in pandas + numpy (e2e_pandas.py),
# medians of 7 runs of wiot and 5 of pandas, in one run. usage: sh bench_e2e.sh [path/to/wiot]
W=${1:-../build/wiot}
cd "$(dirname "$0")" || exit 1
med() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# wall seconds of one process, from date's nanoseconds (/usr/bin/time has 10 ms steps)
wall() { a=$(date +%s%N); "$@" >/dev/null 2>&1; b=$(date +%s%N); awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }'; }
tw=$(for i in 1 2 3 4 5 6 7; do wall "$W" tariff --quiet; done | med)
if /usr/bin/python3 -c "import pandas, numpy" 2>/dev/null; then
    tp=$(for i in 1 2 3 4 5; do /usr/bin/python3 e2e_pandas.py | sed -n 's/.*end to end: \([0-9.]*\) s/\1/p'; done | med)
    /usr/bin/python3 e2e_pandas.py | head -1
    echo "wiot tariff (defaults): $tw s; pandas + numpy: $tp s; ratio $(awk -v a=$tp -v b=$tw 'BEGIN { printf "%.1f", a / b }')x"
else
    echo "wiot tariff (defaults): $tw s; pandas/numpy not installed (apt-get install python3-pandas): baseline skipped"
fi
