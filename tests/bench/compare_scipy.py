"""SciPy/NumPy side of the comparison (tests/bench/compare.ts).

Reads one JSON command per line on stdin and answers one JSON line on stdout:

  {"cmd": "info"}                                   -> versions and CPU features
  {"cmd": "prepare", "op": ..., "dtype": ..., "shape": [...]}
                                                    -> builds the same input as compare.ts
  {"cmd": "run"}                                    -> times one call: seconds, peak bytes
  {"cmd": "quit"}

The input is x[i] = 8 * frac(i * 0.6180339887498949) - 4, computed in float64
and then rounded to the dtype, the same operations in the same order as
compare.ts, so both sides see bit-identical data. Run by compare.ts with
/usr/bin/python3 and with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.
"""

import gc
import json
import sys
import time

import numpy as np
import scipy
import scipy.special

GOLDEN = 0.6180339887498949


def make_input(dtype, shape):
    n = int(np.prod(shape))
    v = np.arange(n, dtype=np.float64) * GOLDEN
    x = (v - np.floor(v)) * 8.0 - 4.0
    return x.astype(dtype).reshape(shape)


OPS = {
    "softmax": lambda x: scipy.special.softmax(x, axis=-1),
    "logSoftmax": lambda x: scipy.special.log_softmax(x, axis=-1),
    "sigmoid": scipy.special.expit,
    "argmax": lambda x: np.argmax(x, axis=-1),
}


def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak():
    # Writing 5 to clear_refs resets VmHWM (peak resident set) to VmRSS.
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def os_threads():
    return status_kib("Threads")


def info():
    from numpy.core._multiarray_umath import (
        __cpu_baseline__ as baseline,
        __cpu_dispatch__ as dispatch,
        __cpu_features__ as features,
    )

    return {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "simd": [k for k, v in features.items() if v],
        "baseline": list(baseline),
        # The dispatch targets this CPU runs: NumPy picks the highest one
        # each SIMD loop was built for.
        "dispatch": [k for k in dispatch if features.get(k)],
        "threads": os_threads(),
    }


def main():
    x = None
    op = None
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "quit":
            break
        if cmd["cmd"] == "info":
            reply = info()
        elif cmd["cmd"] == "prepare":
            x = None
            gc.collect()
            x = make_input(np.float32 if cmd["dtype"] == "float32" else np.float64, cmd["shape"])
            op = OPS[cmd["op"]]
            reply = {"ok": True}
        else:
            gc.collect()
            can_reset = reset_peak()
            before = status_kib("VmRSS")
            start = time.perf_counter()
            y = op(x)
            seconds = time.perf_counter() - start
            peak = status_kib("VmHWM") - before if can_reset else None
            checksum = float(np.asarray(y).ravel()[0])
            del y
            reply = {
                "seconds": seconds,
                "peak": None if peak is None else peak * 1024,
                "first": checksum,
            }
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
