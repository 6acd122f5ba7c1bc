"""Generate tests/reference/temperature.json: softmax and logSoftmax at
temperatures other than 1, to 200 bits with mpmath, rounded once to float64.

    python3 tests/reference/generate_temperature_reference.py

(Needs mpmath.) The rows spread over about 1000, so x - max is inexact in
float64, and the temperatures are not powers of two, so (x - max) / T is
inexact too: the two error terms the row kernel carries are both exercised.
Outputs below 1e-300 are written as they round but not checked by the test.
"""

import json
import os
import random

import mpmath

mpmath.mp.prec = 200
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "temperature.json")
TEMPERATURES = [0.3, 3.0, 7.7, 0.01]


def row(rng, length):
    # Shortest round-trip decimals of float64 values: what the test reads back.
    return [float(repr(rng.uniform(-500.0, 500.0))) for _ in range(length)]


def exact(xs, t):
    xs_m = [mpmath.mpf(v) for v in xs]
    t_m = mpmath.mpf(t)
    top = max(xs_m)
    shifted = [(v - top) / t_m for v in xs_m]
    # log(1 + the rest): log1p keeps the rest when it is below 2^-200.
    log_sum = mpmath.log1p(mpmath.fsum(mpmath.exp(s) for s in shifted if s != 0))
    return (
        [float(mpmath.exp(s - log_sum)) for s in shifted],
        [float(s - log_sum) for s in shifted],
    )


def main():
    rng = random.Random(20261201)
    cases = []
    for t in TEMPERATURES:
        for length in (5, 12, 40):
            xs = row(rng, length)
            softmax, log_softmax = exact(xs, t)
            cases.append(
                {"temperature": t, "x": xs, "softmax": softmax, "logSoftmax": log_softmax}
            )
    with open(OUTPUT, "w") as f:
        json.dump(
            {
                "description": "softmax and logSoftmax at temperatures other than 1, correctly rounded to float64",
                "command": "python3 tests/reference/generate_temperature_reference.py",
                "mpmath": mpmath.__version__,
                "precisionBits": mpmath.mp.prec,
                "cases": cases,
            },
            f,
            indent=2,
        )
        f.write("\n")


if __name__ == "__main__":
    main()
