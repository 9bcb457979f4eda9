"""numpy.linalg.inv on the matrix I - A that bench_leontief wrote to a binary file
(n x n doubles, column-major), as a numpy user would invert it: one call on a fresh
array, result freshly allocated (so page faults are part of numpy's time, as in
practice). Prints one line for bench_leontief:
    RESULT median_s min_s residual peak_rss_mb start_rss_mb blas_core numpy_version
or "SKIP reason". residual = max|M @ X - I| evaluated by numpy.
usage: python3 numpy_inverse.py FILE N REPS   (threads: OMP_NUM_THREADS /
OPENBLAS_NUM_THREADS, set by the caller)"""
import ctypes
import resource
import sys
import time

try:
    import numpy as np
except ImportError:
    print("SKIP numpy is not importable (Debian: apt-get install python3-numpy)")
    sys.exit(0)


def blas_core():
    """openblas_get_corename() of the BLAS numpy loaded (found in /proc/self/maps)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.split()[-1].lower()}
        for path in sorted(libs):
            lib = ctypes.CDLL(path)
            if hasattr(lib, "openblas_get_corename"):
                lib.openblas_get_corename.restype = ctypes.c_char_p
                return lib.openblas_get_corename().decode()
    except OSError:
        pass
    return "unknown"


def rss_now_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1048576.0


def main():
    path, n, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rss0 = rss_now_mb()
    M = np.fromfile(path, dtype=np.float64, count=n * n)
    if M.size != n * n:
        print("SKIP %s holds %d doubles, expected %d" % (path, M.size, n * n))
        return
    M = M.reshape((n, n), order="F")
    times = []
    X = None
    for _ in range(reps):
        X = None
        t0 = time.perf_counter()
        X = np.linalg.inv(M)
        times.append(time.perf_counter() - t0)
    R = M @ X
    R[np.diag_indices(n)] -= 1.0
    res = float(np.abs(R).max())
    del R
    times.sort()
    med = times[len(times) // 2] if len(times) % 2 else 0.5 * (times[len(times) // 2 - 1] + times[len(times) // 2])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("RESULT %.6f %.6f %.3e %.1f %.1f %s %s" % (med, times[0], res, rss, rss0, blas_core(), np.__version__))


if __name__ == "__main__":
    main()
