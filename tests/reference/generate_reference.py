#!/usr/bin/python3
"""Generate tests/reference/reference.json, the high-precision accuracy reference.

Run with Debian's interpreter, which has python3-mpmath, python3-scipy and
python3-numpy (`deno task reference`):

    /usr/bin/python3 tests/reference/generate_reference.py

Every expected output is the exact mathematical value evaluated with mpmath at
WORK_BITS bits, then rounded once, to nearest with ties to even, straight to the
target format (binary64, or binary32 for the float32 cases: never via a double,
which could round twice). Each value is evaluated a second time at CHECK_BITS
bits and the two roundings must agree, Ziv's test for correct rounding
(A. Ziv, "Fast evaluation of elementary mathematical functions with correctly
rounded last bit", ACM TOMS 17(3), 1991).

The same inputs go through SciPy, and SciPy's worst error under the same ulp
metric and filters is recorded, so the README can put both side by side.

The output is deterministic: a seeded generator, no clock, sets only sorted.
Running the script twice gives byte-identical files (the SciPy figures can
differ between machines, since NumPy picks SIMD kernels by CPU).

Layout: float data are strings of space-separated shortest round-trip decimals
(Python's repr; "Infinity"/"-Infinity" for the infinities), parsed with
`Number` on the Deno side. Keeping each array on one line inside a string means
`deno fmt` leaves the file alone (as JSON arrays it would put each of the
~200,000 numbers on its own line) while git diffs stay one line per array.
"""

import json
import math
import os
import random
import struct
import sys
from fractions import Fraction

import mpmath
import numpy as np
import scipy
import scipy.special
from mpmath import mp, mpf

SEED = 20261128
WORK_BITS = 200
CHECK_BITS = 400
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
COMMAND = "/usr/bin/python3 tests/reference/generate_reference.py"

# Outputs smaller than this are left out of the softmax error (their ulp is a
# subnormal ulp, so a relative bound says nothing); the smallest normal float32
# plays the same role for float32.
SOFTMAX_FLOOR = {"float64": 1e-300, "float32": 2.0**-126}

# IEEE 754 binary formats: significand bits (with the hidden bit), the
# exponent of the smallest normal number and of the largest finite number.
FORMATS = {
    "float64": (53, -1022, 1023),
    "float32": (24, -126, 127),
}


# ---------------------------------------------------------------------------
# Correct rounding of an mpf to a binary format


def round_mpf(x, dtype):
    """Round the mpf x (an exact dyadic rational) to nearest-even in `dtype`.

    Works on the integer significand, so subnormal results round once (mpmath's
    own float() rounds to 53 bits first and then lets ldexp round again).
    The result is returned as a Python float, which holds any binary32 value
    exactly.
    """
    if mpmath.isnan(x):
        return math.nan
    if mpmath.isinf(x):
        return math.inf if x > 0 else -math.inf
    sign, man, exp, bc = x._mpf_
    if man == 0:
        return -0.0 if sign else 0.0
    precision, emin, emax = FORMATS[dtype]
    # x = man * 2**exp, with man of bc bits: the leading bit has exponent top.
    top = exp + bc - 1
    if top < emin - precision:
        # Below half the smallest subnormal (exp(-1e307) gets here): zero.
        return -0.0 if sign else 0.0
    quantum = max(top, emin) - (precision - 1)
    shift = quantum - exp
    if shift <= 0:
        n = man << -shift
    else:
        n = man >> shift
        remainder = man & ((1 << shift) - 1)
        half = 1 << (shift - 1)
        if remainder > half or (remainder == half and n & 1):
            n += 1
    # Rounding up can carry into a new binade; only past emax is it too big.
    if n.bit_length() + quantum - 1 > emax:
        return -math.inf if sign else math.inf
    # copysign, not -n: an underflow to zero keeps its sign.
    return math.copysign(math.ldexp(n, quantum), -1.0 if sign else 1.0)


def self_check_rounding(rng):
    """Cross-check round_mpf against independent correctly rounded conversions.

    CPython's int/int division is correctly rounded to binary64, subnormals
    included; NumPy's double-to-float32 cast is one correct rounding when the
    value is itself a double.
    """
    with mp.workprec(WORK_BITS):
        for _ in range(4000):
            e = rng.randint(-1100, 1030)
            bits = rng.choice([120, 53])
            x = mpf(rng.getrandbits(bits)) * mpf(2) ** (e - bits)
            if rng.random() < 0.5:
                x = -x
            sign, man, exp, _ = x._mpf_
            exact = Fraction(-man if sign else man) * Fraction(2) ** exp
            try:
                want = float(exact)
            except OverflowError:
                want = math.inf if exact > 0 else -math.inf
            assert same(round_mpf(x, "float64"), want), x
        with np.errstate(all="ignore"):
            for _ in range(4000):
                e = rng.randint(-160, 130)
                x = mpf(rng.getrandbits(53)) * mpf(2) ** (e - 53)
                if rng.random() < 0.5:
                    x = -x
                want = float(np.float32(float(x)))
                assert same(round_mpf(x, "float32"), want), x


def same(a, b):
    return a == b and math.copysign(1, a) == math.copysign(1, b)


def correctly_rounded(evaluate, dtype):
    """Evaluate at two precisions; the roundings must agree (Ziv's test)."""
    with mp.workprec(WORK_BITS):
        first = [round_mpf(v, dtype) for v in evaluate()]
    with mp.workprec(CHECK_BITS):
        second = [round_mpf(v, dtype) for v in evaluate()]
    for a, b in zip(first, second):
        if not (a == b or (math.isnan(a) and math.isnan(b))):
            raise ArithmeticError(f"rounding not settled at {WORK_BITS} bits: {a!r} vs {b!r}")
    return first


# ---------------------------------------------------------------------------
# Exact functions


def exact_row(xs):
    """softmax, logSoftmax and logSumExp of xs in the current mp precision.

    With m = max(x) and k copies of m, sum(exp(x - m)) = k + rest. Writing the
    log as log1p(rest) when k = 1 keeps log-softmax of the maximum exact even
    when rest is far below the working precision (it is then about -rest, a
    representable double such as -1e-301).
    """
    values = [mpf(v) for v in xs]  # exact: mpf of a float never rounds
    m = max(values)
    k = sum(1 for v in values if v == m)
    # x - m is kept exact: it can be a midpoint of the output format (two
    # float32s of different binades, say), and then only the tiny log_total
    # below decides the rounding.
    gaps = [mpmath.fsub(v, m, exact=True) for v in values]
    terms = [mpmath.exp(g) for g in gaps]
    rest = mpmath.fsum(t for g, t in zip(gaps, terms) if g != 0)
    log_total = mpmath.log1p(rest) if k == 1 else mpmath.log(k + rest)
    total = k + rest
    softmax = [t / total for t in terms]
    log_softmax = [add_keeping_sign(g, -log_total) for g in gaps]
    return softmax, log_softmax, add_keeping_sign(m, log_total)


def add_keeping_sign(a, b):
    """a + b, still on the correct side of a when b is below a's precision.

    An exact a plus a b with |b| < 2^-prec |a| (log_total = log1p(e^-700), or
    exp(-1e306) in the huge-logits row) rounds to a itself at any practical
    precision, which is wrong when a is a tie of the output format: the true
    value is just past it, on b's side. Any value strictly between a and the
    next working-precision number rounds like the true one, so a "sticky" bit
    far below the output precision stands in for b (the guard/round/sticky
    idea of IEEE 754 hardware rounding).
    """
    total = a + b
    if b == 0 or a == 0 or total != a:
        return total
    sticky = mpmath.ldexp(abs(a), -(mp.prec + 16))
    return mpmath.fadd(a, sticky if b > 0 else -sticky, exact=True)


def exact_sigmoid(x):
    v = mpf(x)
    if v >= 0:
        return 1 / (1 + mpmath.exp(-v))
    e = mpmath.exp(v)
    return e / (1 + e)


# ---------------------------------------------------------------------------
# Inputs


def to_dtype(values, dtype):
    """Round inputs to the input format; float32 inputs are exact float32s."""
    if dtype == "float32":
        return [float(v) for v in np.asarray(values, dtype=np.float64).astype(np.float32)]
    return [float(v) for v in values]


def uniform_row(rng, length, spread, offset, dtype):
    """Logits in [c - spread/2, c + spread/2] hitting both ends exactly.

    The centre c is jittered around `offset` so that the low bits of every
    logit, and so the rounding of x - max, are random.
    """
    centre = offset + rng.uniform(-0.5, 0.5)
    low, high = centre - spread / 2, centre + spread / 2
    row = [low, high] + [rng.uniform(low, high) for _ in range(length - 2)]
    rng.shuffle(row)
    return to_dtype(row, dtype)


def grid_rows(rng, dtype):
    """Uniform rows over every spread and length, at offsets 0, +500 and -500.

    The longest rows take one offset per spread, and float32 stops at 1,000,
    to keep the file near 4 MB.
    """
    spreads = [1, 10, 100, 1000]
    offsets = [0, 500, -500]
    if dtype == "float64":
        every_offset, one_offset = [2, 3, 7, 100, 1000], [10000]
    else:
        every_offset, one_offset = [2, 3, 7, 100], [1000]
    rows = []
    for length in every_offset + one_offset:
        for i, spread in enumerate(spreads):
            chosen = offsets if length in every_offset else [offsets[i % len(offsets)]]
            for offset in chosen:
                x = uniform_row(rng, length, spread, offset, dtype)
                rows.append(("uniform", length, spread, offset, x))
    return rows


def nextafter_down(x, dtype, steps=1):
    for _ in range(steps):
        if dtype == "float32":
            x = float(np.nextafter(np.float32(x), np.float32(-np.inf)))
        else:
            x = math.nextafter(x, -math.inf)
    return x


def adversarial_rows(rng, dtype):
    """Hand-made rows where the naive formulas lose accuracy or overflow."""
    f32 = dtype == "float32"
    rows = []

    def add(kind, offset, x):
        x = to_dtype(x, dtype)
        rows.append((kind, len(x), max(x) - min(x), offset, x))

    add("ties-at-max", 0, [3, 3, 1.5, -2, 0.25, 3, -7])
    add("all-equal", 0, [rng.uniform(-1, 1)] * 1000)
    add("all-equal", 500, [500 + rng.uniform(-1, 1)] * 3)
    for centre in [0.3 + rng.random() * 1e-3, 500 + rng.random(), -500 - rng.random()]:
        c = to_dtype([centre], dtype)[0]
        add("near-tie", round(centre), [c, nextafter_down(c, dtype)])
        add("near-tie", round(centre), [c, nextafter_down(c, dtype, 3), nextafter_down(c, dtype, 2)])
    # One dominant logit: softmax(max) = 1/(1 + rest) sits just below 1 and
    # logSoftmax(max) = -log1p(rest) is tiny, both lost by log(sum) with sum
    # rounded to 1. The gaps straddle the point where rest crosses 2^-53
    # (2^-24 for float32) and go down to rest far below the working precision.
    gaps = [17, 30, 37.5, 40, 90] if f32 else [30, 37.5, 40, 700]
    for gap in gaps:
        for length in [10, 100] if gap != gaps[-1] else [10, 100, 1000]:
            others = [-gap + rng.uniform(-1, 1) for _ in range(length - 1)]
            add("dominant", 0, [0.0] + others)
    add("dominant", 500, [500.0] + [500 - 40 + rng.uniform(-1, 1) for _ in range(99)])
    add("all-but-one-underflow", 0, [0, -800, -1000] if not f32 else [0, -110, -150])
    # Huge logits: x - max must not overflow, and the exact outputs stay finite.
    add("huge", 0, [1e38, 0.9e38, -1e38] if f32 else [8e307, 7.9e307, -8e307])
    add("tiny", 0, [5e-324, -5e-324, 0.0, 2.2250738585072014e-308] if not f32 else
        [1e-45, -1e-45, 0.0, 1.1754943508222875e-38])
    add("wide", 0, [700 if not f32 else 80] + [rng.uniform(-1, 1) for _ in range(99)])
    # x - max exactly halfway between two outputs, with log_total ~ e^-800
    # far below its ulp: the true result is just past the tie, on the odd
    # side, so rounding x - max first and then subtracting, or rounding a
    # float64 result to float32, lands 1 ulp off by ties-to-even.
    add("midpoint-gap", 0, [600.0, -200 + 3 * 2.0**-15] if f32 else [600.0, -200 + 3 * 2.0**-44])
    add("far-offset", -100000, [-100000 + rng.uniform(-5, 5) for _ in range(7)])
    add("ramp", 0, [i / 10 for i in range(100)])
    return rows


def sigmoid_inputs(rng, dtype):
    """Points over the whole useful domain with the hard regions over-sampled."""
    if dtype == "float64":
        low, high, saturate, sub_low, sub_high = -745.0, 710.0, 36.0, -745.0, -708.0
        tiny = [5e-324, 1e-310, 2.2250738585072014e-308, 1e-300, 1e-100, 1e-20,
                1e-16, 2.0**-53, 1e-8, 1e-4]
        counts = (1000, 500, 150, 250, 200)
    else:
        low, high, saturate, sub_low, sub_high = -110.0, 90.0, 16.0, -104.0, -87.0
        tiny = [1e-45, 1e-40, 1.1754943508222875e-38, 1e-30, 1e-10, 2.0**-24, 1e-4]
        counts = (600, 400, 100, 150, 150)
    n_uniform, n_centre, n_saturate, n_tiny, n_subnormal = counts
    xs = [low, high, 0.0, -0.0] + tiny + [-t for t in tiny]
    xs += [float(i) for i in range(-50, 51)]
    xs += [rng.uniform(low, high) for _ in range(n_uniform)]
    xs += [rng.uniform(-40, 40) for _ in range(n_centre)]
    # Where 1 - sigmoid(x) crosses half an ulp of 1 the result snaps to 1.
    xs += [rng.uniform(saturate, saturate + 4) for _ in range(n_saturate)]
    xs += [-rng.uniform(saturate, saturate + 4) for _ in range(n_saturate)]
    xs += [math.copysign(10 ** rng.uniform(-300 if dtype == "float64" else -44, 0), rng.random() - 0.5)
           for _ in range(n_tiny)]
    # Subnormal outputs.
    xs += [rng.uniform(sub_low, sub_high) for _ in range(n_subnormal)]
    xs = to_dtype(xs, dtype)
    xs = [x for x in xs if low <= x <= high]
    # Sorted with -0 just before +0, duplicates dropped: a stable order.
    unique = sorted({(x, math.copysign(1, x)) for x in xs})
    return [x for x, _ in unique]


# ---------------------------------------------------------------------------
# ulp metric, the same as tests/reference/_ulp.ts


def ordinal(x, dtype):
    """Position of x among the finite values of `dtype`, -0 and +0 both at 0."""
    if dtype == "float32":
        bits = struct.unpack("<i", struct.pack("<f", x))[0]
        return bits if bits >= 0 else -(bits & 0x7FFFFFFF)
    bits = struct.unpack("<q", struct.pack("<d", x))[0]
    return bits if bits >= 0 else -(bits & 0x7FFFFFFFFFFFFFFF)


def ulps(computed, expected, dtype):
    if computed == expected or (math.isnan(computed) and math.isnan(expected)):
        return 0
    if math.isnan(computed) or math.isinf(computed) or math.isinf(expected):
        return math.inf
    return abs(ordinal(computed, dtype) - ordinal(expected, dtype))


def counted(function, expected, dtype):
    if math.isinf(expected) or math.isnan(expected):
        return False
    if function == "softmax":
        return abs(expected) >= SOFTMAX_FLOOR[dtype]
    return True


# ---------------------------------------------------------------------------
# SciPy


def scipy_errors(rows_by_dtype, sigmoids):
    """SciPy's worst error per function and dtype, on the reference inputs."""
    worst = {}

    def record(function, dtype, case, x, computed, expected):
        key = f"{function}/{dtype}"
        entry = worst.setdefault(key, {"function": function, "dtype": dtype, "outputs": 0, "maxUlps": 0})
        for index, (c, e) in enumerate(zip(computed, expected)):
            if not counted(function, e, dtype):
                continue
            entry["outputs"] += 1
            distance = ulps(float(c), e, dtype)
            if distance > entry["maxUlps"]:
                entry["maxUlps"] = distance
                entry["worst"] = {"case": case, "index": index}
                if len(x) == len(expected):  # elementwise, not logSumExp
                    entry["worst"]["x"] = encode([x[index]])
                entry["worst"]["computed"] = encode([float(c)])
                entry["worst"]["expected"] = encode([e])

    with np.errstate(all="ignore"):
        for dtype, rows in rows_by_dtype.items():
            np_type = np.float64 if dtype == "float64" else np.float32
            for row in rows:
                x = np.asarray(row["x"], dtype=np_type)
                name = row["name"]
                record("softmax", dtype, name, row["x"], scipy.special.softmax(x), row["softmax"])
                record("logSoftmax", dtype, name, row["x"], scipy.special.log_softmax(x), row["logSoftmax"])
                if "logSumExp" in row:
                    record("logSumExp", dtype, name, row["x"], [scipy.special.logsumexp(x)], [row["logSumExp"]])
            xs = sigmoids[dtype]["x"]
            record("sigmoid", dtype, f"{dtype} sigmoid", xs, scipy.special.expit(np.asarray(xs, dtype=np_type)),
                   sigmoids[dtype]["sigmoid"])
    entries = [worst[k] for k in sorted(worst)]
    for entry in entries:
        entry["maxUlps"] = encode([float(entry["maxUlps"])])
    return entries


# ---------------------------------------------------------------------------
# Output


def encode(values):
    def one(v):
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)

    return " ".join(one(v) for v in values)


def dump(value, indent=0):
    """JSON in the layout `deno fmt` keeps: containers one member per line."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = [f"{inner}{json_string(k)}: {dump(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(members) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + dump(v, indent + 1) for v in value) + "\n" + pad + "]"
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"unexpected {type(value).__name__} in output")


def json_string(s):
    return json.dumps(s, ensure_ascii=False)


def describe(kind, length, spread, offset, dtype):
    return f"{dtype} {kind} length={length} spread={spread:.6g} offset={offset}"


def build_rows(rng, dtype):
    rows = []
    for kind, length, spread, offset, x in grid_rows(rng, dtype) + adversarial_rows(rng, dtype):

        def flat():
            softmax, log_softmax, log_sum_exp = exact_row(x)
            return softmax + log_softmax + [log_sum_exp]

        exact = correctly_rounded(flat, dtype)
        row = {
            "name": describe(kind, length, spread, offset, dtype),
            "kind": kind,
            "length": length,
            "spread": float(spread),
            "offset": offset,
            "x": x,
            "softmax": exact[:length],
            "logSoftmax": exact[length:2 * length],
        }
        # A float32 row's logSumExp has no float32 result in the API.
        if dtype == "float64":
            row["logSumExp"] = exact[2 * length]
        rows.append(row)
    return rows


def encode_row(row):
    encoded = dict(row)
    for key in ("spread", "logSumExp"):
        if key in row:
            encoded[key] = encode([row[key]])
    for key in ("x", "softmax", "logSoftmax"):
        encoded[key] = encode(row[key])
    return encoded


def main():
    rng = random.Random(SEED)
    self_check_rounding(random.Random(SEED + 1))

    float64_rows = build_rows(rng, "float64")
    float32_rows = build_rows(rng, "float32")
    sigmoids = {}
    for dtype in ("float64", "float32"):
        xs = sigmoid_inputs(rng, dtype)
        ys = correctly_rounded(lambda: [exact_sigmoid(x) for x in xs], dtype)
        sigmoids[dtype] = {"x": xs, "sigmoid": ys}
    scipy_worst = scipy_errors({"float64": float64_rows, "float32": float32_rows}, sigmoids)

    document = {
        "header": {
            "description": "Correctly rounded softmax, logSoftmax, logSumExp and sigmoid for the accuracy test",
            "command": COMMAND,
            "seed": SEED,
            "mpmath": mpmath.__version__,
            "precisionBits": WORK_BITS,
            "checkPrecisionBits": CHECK_BITS,
            "rounding": "exact value at precisionBits, rounded once to nearest-even in the case's dtype; "
                        "re-evaluated at checkPrecisionBits and required to round the same",
            "numbers": "space-separated shortest round-trip decimals, read with Number()",
            "softmaxFloor": {"float64": repr(SOFTMAX_FLOOR["float64"]), "float32": repr(SOFTMAX_FLOOR["float32"])},
        },
        "float64": {
            "rows": [encode_row(r) for r in float64_rows],
            "sigmoid": {k: encode(v) for k, v in sigmoids["float64"].items()},
        },
        "float32": {
            "rows": [encode_row(r) for r in float32_rows],
            "sigmoid": {k: encode(v) for k, v in sigmoids["float32"].items()},
        },
        "scipy": {
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "errors": scipy_worst,
        },
    }
    text = dump(document) + "\n"
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(OUTPUT)}: {len(text)} bytes, {len(float64_rows)} float64 rows, "
          f"{len(float32_rows)} float32 rows", file=sys.stderr)
    for e in scipy_worst:
        print(f"  scipy {e['function']:<10} {e['dtype']}: max {e['maxUlps']} ulp over {e['outputs']} outputs",
              file=sys.stderr)


if __name__ == "__main__":
    main()
