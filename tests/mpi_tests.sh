#!/bin/sh
# MPI tests (make test-mpi): campaigns (tariff, sweep, ge) identical to the serial run, distributed
# inverse and price model equal to serial within 1e-12, bad launches end every rank.
# usage: sh tests/mpi_tests.sh PATH/TO/wiot-mpi PATH/TO/wiot
set -u
M=${1:-build/wiot-mpi} W=${2:-build/wiot}
case $M in /*) ;; *) M="$(pwd)/$M" ;; esac
case $W in /*) ;; *) W="$(pwd)/$W" ;; esac
NP=${MPI_NP:-"1 2 4"}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
RUN="timeout 300 mpirun --oversubscribe -x OMP_NUM_THREADS"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$(dirname "$0")" || exit 1
pass=0 fail=0
ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }
# two CSV files equal field by field, numbers to 1e-12 relative: a sweep split over ranks
# solves its first-order systems with fewer right-hand sides per call, and BLAS blocks
# those differently in the last bit (files print round-trip digits)
numeq() { awk -v tol=1e-12 'function num(x) { return x ~ /^[-+]?[0-9.]+([eE][-+]?[0-9]+)?$/ }
  NR == FNR { a[FNR] = $0; n = FNR; next }
  { if (!(FNR in a)) exit 1; na = split(a[FNR], x, ","); nb = split($0, y, ","); if (na != nb) exit 1
    for (i = 1; i <= na; i++) { if (x[i] == y[i]) continue
      if (!num(x[i]) || !num(y[i])) exit 1; d = x[i] - y[i]; d = d < 0 ? -d : d
      m = x[i] < 0 ? -x[i] : x[i]; if (d > tol * m + 1e-300) exit 1 } }
  END { if (FNR != n) exit 1 }' "$1" "$2"; }
# the value after KEY in a line of FILE is <= LIMIT
le() { v=$(grep -o "$2[^,;]*" "$1" | head -1 | sed "s/.*= *//; s/ .*//"); awk -v v="$v" -v l="$3" 'BEGIN { exit !(v != "" && v + 0 <= l + 0) }'; }

S1=us301_2018-07-06_list1 S2=piie_us_on_chn_2018-09-24
"$W" tariff --years 2009:2011 -n $S1 -n $S2 -o "$tmp/ser" --quiet 2>/dev/null
"$W" sweep -n us_ieepa_2025-05-14_geneva_chn10 --draws 40 --seed 3 -o "$tmp/mc.csv" --quiet 2>/dev/null
"$W" sweep -n $S1 --scale 0:3:31 -o "$tmp/sw.csv" --quiet 2>/dev/null
# general equilibrium (wiot ge): scenarios and Monte Carlo draws in blocks over ranks
G1=us301_2018-07-06_list1 G2=us301_2019-09-01_list4A_at15+cn_ret_2019-09-01_list75bn_round1
G3=us232_2018-08-13_turkey_steel_50
"$W" ge -n $G1 -n $G2 -n $G3 --draws 40 --seed 3 -o "$tmp/ge" > "$tmp/ge.txt" 2>/dev/null
"$W" ge -n $G1 --draws 3 --deficits fixed -o "$tmp/ge3" --quiet 2>/dev/null
"$W" ge -t ../data/cp2015 -o "$tmp/gecp" --quiet 2>/dev/null
# the summary with its timings (seconds, draws/s) and the output folder masked
mask() { sed 's/[0-9.]* s\b/T s/g; s/[0-9]* draws\/s/T draws\/s/; s/^wrote .*\/countries/wrote countries/; s/^\(wrote a report of [0-9]* files for \).* (see/\1DIR (see/' "$1"; }
mask "$tmp/ge.txt" > "$tmp/ge.m"
for np in $NP; do
    # ge campaigns: rank 0's files and summary are the serial run's
    $RUN -np $np "$M" ge -n $G1 -n $G2 -n $G3 --draws 40 --seed 3 -o "$tmp/ge$np" > "$tmp/ge$np.txt" 2>/dev/null
    ok test $? -eq 0
    for f in countries sectors trade montecarlo; do ok cmp -s "$tmp/ge/$f.csv" "$tmp/ge$np/$f.csv"; done
    mask "$tmp/ge$np.txt" > "$tmp/ge$np.m"
    ok cmp -s "$tmp/ge.m" "$tmp/ge$np.m"
    # fewer draws than ranks (a rank with no draws), deficits fixed; the CP2015 dataset
    $RUN -np $np "$M" ge -n $G1 --draws 3 --deficits fixed -o "$tmp/ge3_$np" --quiet 2>/dev/null
    for f in countries montecarlo; do ok cmp -s "$tmp/ge3/$f.csv" "$tmp/ge3_$np/$f.csv"; done
    $RUN -np $np "$M" ge -t ../data/cp2015 -o "$tmp/gecp$np" --quiet 2>/dev/null
    for f in countries sectors trade; do ok cmp -s "$tmp/gecp/$f.csv" "$tmp/gecp$np/$f.csv"; done
    # campaigns: rank 0's files are byte-identical to the serial run's
    $RUN -np $np "$M" tariff --years 2009:2011 -n $S1 -n $S2 -o "$tmp/p$np" --quiet 2>/dev/null
    ok cmp -s "$tmp/ser/countries.csv" "$tmp/p$np/countries.csv"
    ok cmp -s "$tmp/ser/prices.csv" "$tmp/p$np/prices.csv"
    $RUN -np $np "$M" sweep -n us_ieepa_2025-05-14_geneva_chn10 --draws 40 --seed 3 -o "$tmp/mc$np.csv" --quiet 2>/dev/null
    ok cmp -s "$tmp/mc.csv" "$tmp/mc$np.csv"
    $RUN -np $np "$M" sweep -n $S1 --scale 0:3:31 -o "$tmp/sw$np.csv" --quiet 2>/dev/null
    ok numeq "$tmp/sw.csv" "$tmp/sw$np.csv"
    # distributed inverse (WIOD 2011 and a synthetic n = 2464 table) and price model
    $RUN -np $np "$M" leontief --check > "$tmp/l$np" 2>/dev/null
    ok le "$tmp/l$np" "max |L_mpi - L_serial| / max |L| =" 1e-12
    ok le "$tmp/l$np" "residual ||(I - A)L - I||_max =" 1e-12
    # trace of L for 2011 against data/wiod2013/reference_results.csv (numpy), 1e-12 relative
    ok awk '/trace/ { t = $2 + 0 } END { d = t - 1562.7746733136123; exit !((d < 0 ? -d : d) <= 1.6e-9) }' "$tmp/l$np"
    $RUN -np $np "$M" leontief --synthetic 2464 --check --nb 64 > "$tmp/s$np" 2>/dev/null
    ok le "$tmp/s$np" "max |L_mpi - L_serial| / max |L| =" 1e-12
    $RUN -np $np "$M" prices -n us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved \
        -n us_ieepa_2025-08-07_revised_annexI --check > "$tmp/pr$np" 2>/dev/null
    ok test "$(grep -c 'check: max relative difference' "$tmp/pr$np")" -eq 2
    ok sh -c "! grep 'check: max relative difference' '$tmp/pr$np' | awk '{ if (\$NF + 0 > 1e-12) exit 0; else exit 1 }'"
done
# two threads per rank
OMP_NUM_THREADS=2 $RUN -np 2 "$M" leontief --check --threads 2 > "$tmp/t2" 2>/dev/null
ok le "$tmp/t2" "max |L_mpi - L_serial| / max |L| =" 1e-12
OMP_NUM_THREADS=2 $RUN -np 2 "$M" tariff --years 2009:2011 -n $S1 -n $S2 -o "$tmp/pt" --quiet --threads 2 2>/dev/null
ok cmp -s "$tmp/ser/countries.csv" "$tmp/pt/countries.csv"
# bad launches: every rank ends, exit 1, a clear message, no hang
$RUN -np 4 "$M" leontief --grid 3x3 > /dev/null 2> "$tmp/g"
ok test $? -ne 0
ok test "$(grep -c 'grid 3 x 3 needs 9 ranks, the communicator has 4' "$tmp/g")" -eq 4
WIOT_MPI_TEST_FAIL_RANK=1 $RUN -x WIOT_MPI_TEST_FAIL_RANK -np 2 "$M" tariff -t ../data/wiod2013/wiot_2010.csv.gz --quiet > /dev/null 2> "$tmp/f"
ok test $? -ne 0
ok grep -q "wiot: ../data/wiod2013/wiot_2010.csv.gz: cannot open: No such file or directory" "$tmp/f"
# ge: a rank that cannot read the table, the scenario file or the elasticities makes
# every rank exit 1 with its message, nothing written, no hang
for arg in "-t ../data/wiod2013/wiot_2010.csv.gz" "-s ../data/scenarios/wiod2013/us232_steel_aluminum.csv" \
    "--elasticities ../data/elasticities/wiod2013.csv"; do
    WIOT_MPI_TEST_FAIL_RANK=1 $RUN -x WIOT_MPI_TEST_FAIL_RANK -np 2 "$M" ge $arg -n $G1 -n $G3 --draws 4 \
        -o "$tmp/gef" > /dev/null 2> "$tmp/f"
    ok test $? -eq 1
    ok grep -q "cannot open: No such file or directory" "$tmp/f"
    ok test ! -e "$tmp/gef"
done
# rank 0 cannot write the output: every rank exits 1
$RUN -np 2 "$M" ge -n $G1 -n $G3 -o /proc/wiot_no > /dev/null 2> "$tmp/f"
ok test $? -eq 1
ok grep -q "/proc/wiot_no" "$tmp/f"
# a usage error: exit 2 on every rank
$RUN -np 2 "$M" ge --deficits maybe > /dev/null 2> "$tmp/f"
ok test $? -eq 2
ok grep -q "deficits takes zero or fixed" "$tmp/f"
# two threads per rank: the serial files
OMP_NUM_THREADS=2 $RUN -np 2 "$M" ge -n $G1 -n $G2 -n $G3 --draws 40 --seed 3 -o "$tmp/get" --quiet --threads 2 2>/dev/null
for f in countries montecarlo; do ok cmp -s "$tmp/ge/$f.csv" "$tmp/get/$f.csv"; done
echo "mpi tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
