#!/bin/sh
# End to end: `wiot tariff` with its defaults (load, checks, factorization, the
# scenario, the summary) against the same job in pandas + numpy (e2e_pandas.py),
# medians of 5 runs each, in one run. usage: sh bench_e2e.sh [path/to/wiot]
W=${1:-../build/wiot}
cd "$(dirname "$0")" || exit 1
med() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
tw=$(for i in 1 2 3 4 5; do /usr/bin/time -f %e "$W" tariff --quiet 2>&1 >/dev/null | tail -1; done | med)
if /usr/bin/python3 -c "import pandas, numpy" 2>/dev/null; then
    tp=$(for i in 1 2 3 4 5; do /usr/bin/python3 e2e_pandas.py | sed -n 's/.*end to end: \([0-9.]*\) s/\1/p'; done | med)
    /usr/bin/python3 e2e_pandas.py | head -1
    echo "wiot tariff (defaults): $tw s; pandas + numpy: $tp s; ratio $(awk -v a=$tp -v b=$tw 'BEGIN { printf "%.1f", a / b }')x"
else
    echo "wiot tariff (defaults): $tw s; pandas/numpy not installed (apt-get install python3-pandas): baseline skipped"
fi
