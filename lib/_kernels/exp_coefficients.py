"""The polynomial coefficients in kernels.as, and their errors.

Relative-error least-squares fits on 400 Chebyshev nodes of |r| <= ln2/2 + 1e-3
(the reduced argument, with a margin for a rounding of k off by one), at 256
bits with mpmath, then rounded to float64: close to minimax at these degrees.

  q(r) ~ (exp(r) - 1 - r) / r^2, degree 10: the float64 exp, whose result is
         1 + r + r^2 q(r); q's relative error is about 2^-57, and it is
         weighted by r^2 q <= 0.065 in the result.
  g(r) ~ (exp(r) - 1) / r, degree 6: the float64 exp behind float32 results,
         1 + r g(r), exact at r = 0; relative error about 2^-33.

Run with /usr/bin/python3 (Debian's python3-mpmath); prints the constants as
kernels.as spells them and the maximum relative error of each fit.
"""

from mpmath import cos, exp, expm1, log, lu_solve, matrix, mp, mpf, pi

mp.prec = 256
HALF_RANGE = log(2) / 2 + mpf("1e-3")


def fit(f, degree, nodes=400):
    a, b = -HALF_RANGE, HALF_RANGE
    xs = [(a + b) / 2 + (b - a) / 2 * cos(pi * (2 * i + 1) / (2 * nodes)) for i in range(nodes)]
    lhs = matrix(degree + 1, degree + 1)
    rhs = matrix(degree + 1, 1)
    for x in xs:
        fx = f(x)
        weight = 1 / fx**2
        powers = [x**j for j in range(degree + 1)]
        for i in range(degree + 1):
            rhs[i] += weight * powers[i] * fx
            for j in range(degree + 1):
                lhs[i, j] += weight * powers[i] * powers[j]
    solution = lu_solve(lhs, rhs)
    return [mpf(float(solution[i])) for i in range(degree + 1)]


def max_relative_error(f, approx, samples=4000):
    worst = mpf(0)
    for i in range(samples + 1):
        x = -HALF_RANGE + 2 * HALF_RANGE * i / samples
        worst = max(worst, abs((approx(x) - f(x)) / f(x)))
    return worst


def q(x):
    return (exp(x) - 1 - x) / x**2 if x != 0 else mpf(1) / 2


def g(x):
    return expm1(x) / x if x != 0 else mpf(1)


def poly(c, x):
    return sum(c[j] * x**j for j in range(len(c)))


if __name__ == "__main__":
    qc = fit(q, 10)
    gc = fit(g, 6)
    for i, c in enumerate(qc):
        print(f"const Q{i}: f64 = {float(c)!r};")
    for i, c in enumerate(gc):
        print(f"const G{i}: f64 = {float(c)!r};")
    eq = max_relative_error(q, lambda x: poly(qc, x))
    eg = max_relative_error(exp, lambda x: 1 + x * poly(gc, x))
    print(f"q: max relative error 2^{float(log(eq, 2)):.1f}")
    print(f"exp via g: max relative error 2^{float(log(eg, 2)):.1f}")
