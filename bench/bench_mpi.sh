#!/bin/sh
# Overhead of the distributed path against the serial one at equal core counts (make
# bench-mpi). On this 2-core machine: the serial inverse (wiot_leontief) with 2 threads against
# ScaLAPACK on 1 x 2 ranks with 1 thread each, for WIOD 2011 (n = 1435) and synthetic
# tables of n = 2464 and 4032; and a campaign (17 years x 2 scenarios) serially
# against 2 ranks; a GE Monte Carlo (40 draws) serially against 2 ranks. Writes
# bench/results/mpi.csv.
set -eu
M=${1:-build/wiot-mpi} W=${2:-build/wiot}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p bench/results
out=bench/results/mpi.csv
echo "what,n,ranks,threads_per_rank,seconds,gflops" > $out
for n in 1435 2464 4032; do
    src="--synthetic $n"; [ $n = 1435 ] && src=""
    # serial LAPACK (dgetrf + dgetri), 2 threads: the --check line of a 1-rank run
    r=$(OMP_NUM_THREADS=2 mpirun --bind-to none -np 1 -x OMP_NUM_THREADS "$M" leontief $src --threads 2 --check 2>/dev/null)
    s=$(echo "$r" | sed -n 's/.*(serial \([0-9.]*\) s).*/\1/p')
    echo "serial inverse (wiot_leontief),$n,1,2,$s,$(awk -v n=$n -v s=$s 'BEGIN{print 2*n^3/s*1e-9}')" >> $out
    for np in 1 2; do
        th=$((2 / np))
        r=$(OMP_NUM_THREADS=$th mpirun --bind-to none -np $np --oversubscribe -x OMP_NUM_THREADS "$M" leontief $src --threads $th 2>/dev/null)
        t=$(echo "$r" | sed -n 's/.*= \([0-9.]*\) s, .*/\1/p')
        echo "ScaLAPACK pdgetrf+pdgetri,$n,$np,$th,$t,$(awk -v n=$n -v s=$t 'BEGIN{print 2*n^3/s*1e-9}')" >> $out
    done
done
t0=$(date +%s.%N)
"$W" tariff --years 1995:2011 -n us301_2018-07-06_list1 -n piie_us_on_chn_2018-09-24 --quiet -o /tmp/wiot_bench_ser 2>/dev/null
t1=$(date +%s.%N)
OMP_NUM_THREADS=1 mpirun --bind-to none -np 2 -x OMP_NUM_THREADS "$M" tariff --years 1995:2011 -n us301_2018-07-06_list1 -n piie_us_on_chn_2018-09-24 --quiet -o /tmp/wiot_bench_par 2>/dev/null
t2=$(date +%s.%N)
echo "campaign 17 years x 2 scenarios (serial wiot),1435,1,2,$(awk -v a=$t0 -v b=$t1 "BEGIN{print b-a}")," >> $out
echo "campaign 17 years x 2 scenarios (wiot-mpi),1435,2,1,$(awk -v a=$t1 -v b=$t2 "BEGIN{print b-a}")," >> $out
cmp -s /tmp/wiot_bench_ser/countries.csv /tmp/wiot_bench_par/countries.csv && echo "campaign outputs identical"
rm -rf /tmp/wiot_bench_ser /tmp/wiot_bench_par
# a GE campaign: 40 Monte Carlo draws of theta (wiot ge --draws 40), serial with 1 and 2
# threads against 2 ranks of 1 thread; the median of 3 runs each, alternated
G="ge -n us301_2018-07-06_list1 --draws 40 --seed 3 --quiet"
for k in 1 2 3; do
    for v in s1 s2 p2; do
        t0=$(date +%s.%N)
        case $v in
        s1) OMP_NUM_THREADS=1 "$W" $G --threads 1 -o /tmp/wiot_bench_ge_s >/dev/null 2>&1 ;;
        s2) OMP_NUM_THREADS=2 "$W" $G --threads 2 >/dev/null 2>&1 ;;
        p2) OMP_NUM_THREADS=1 mpirun --bind-to none -np 2 -x OMP_NUM_THREADS "$M" $G --threads 1 -o /tmp/wiot_bench_ge_p >/dev/null 2>&1 ;;
        esac
        echo "$v $(awk -v a=$t0 -v b=$(date +%s.%N) 'BEGIN{print b-a}')"
    done
done > /tmp/wiot_bench_ge.txt
med() { grep "^$1 " /tmp/wiot_bench_ge.txt | cut -d' ' -f2 | sort -g | sed -n 2p; }
echo "ge Monte Carlo 40 draws (serial wiot),1435,1,1,$(med s1)," >> $out
echo "ge Monte Carlo 40 draws (serial wiot),1435,1,2,$(med s2)," >> $out
echo "ge Monte Carlo 40 draws (wiot-mpi),1435,2,1,$(med p2)," >> $out
cmp -s /tmp/wiot_bench_ge_s/montecarlo.csv /tmp/wiot_bench_ge_p/montecarlo.csv && echo "ge outputs identical"
rm -rf /tmp/wiot_bench_ge_s /tmp/wiot_bench_ge_p /tmp/wiot_bench_ge.txt
cat $out
