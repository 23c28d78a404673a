#!/usr/bin/env python3
"""Generates guest-programs/isa-float/isa-float-*.S and isa-zfh/isa-zfh.S: self-checking F/D/Zfh tests whose expected
results and flags come from this file's own model of IEEE 754 (exact rational arithmetic with
fractions.Fraction, rounded by each of the five modes, tininess after rounding), independent
of rvjit's Swift soft-float. qemu-riscv32 runs the generated tests too (make verify).

    tools/gen-float-tests.py            rewrite the .S files (deterministic)
"""
from fractions import Fraction
import math, os, random

FMT = {'s': (8, 23), 'd': (11, 52), 'h': (5, 10)}
NV, DZ, OF, UF, NX = 16, 8, 4, 2, 1
MODES = ['rne', 'rtz', 'rdn', 'rup', 'rmm']

def params(w):
    e, f = FMT[w]
    bias = (1 << (e - 1)) - 1
    return e, f, bias, 1 - bias, bias, f + 1

def canonical(w): return {'s': 0x7fc00000, 'd': 0x7ff8000000000000, 'h': 0x7e00}[w]
def sign_bit(w): return 1 << {'s': 31, 'd': 63, 'h': 15}[w]

def decode(bits, w):
    e, f, bias, emin, emax, p = params(w)
    s = 1 if bits & sign_bit(w) else 0
    ex = (bits >> f) & ((1 << e) - 1)
    fr = bits & ((1 << f) - 1)
    if ex == (1 << e) - 1:
        if fr == 0: return ('inf', s, None)
        return ('qnan' if fr >> (f - 1) else 'snan', s, None)
    if ex == 0:
        v = Fraction(fr, 1) * Fraction(2) ** (emin - f)
    else:
        v = Fraction(fr | (1 << f), 1) * Fraction(2) ** (ex - bias - f)
    return ('zero' if v == 0 else 'num', s, v)

def inf(w, s): e, f = FMT[w]; return (sign_bit(w) if s else 0) | (((1 << e) - 1) << f)
def largest(w, s): e, f = FMT[w]; return (sign_bit(w) if s else 0) | (((1 << e) - 2) << f) | ((1 << f) - 1)
def zero(w, s): return sign_bit(w) if s else 0

def floor_log2(q):
    e = q.numerator.bit_length() - q.denominator.bit_length()
    while Fraction(2) ** e > q: e -= 1
    while Fraction(2) ** (e + 1) <= q: e += 1
    return e

def round_int(scaled, s, mode):
    n = scaled.numerator // scaled.denominator
    rem = scaled - n
    half = Fraction(1, 2)
    if mode == 'rne': up = rem > half or (rem == half and n % 2 == 1)
    elif mode == 'rtz': up = False
    elif mode == 'rdn': up = rem > 0 and s
    elif mode == 'rup': up = rem > 0 and not s
    else: up = rem >= half
    return n + (1 if up else 0), rem != 0

def round_to(w, s, q, mode):
    """Rounds sign s, magnitude q (a Fraction > 0) to format w: (bits, flags)."""
    e_, f, bias, emin, emax, p = params(w)
    e = floor_log2(q)
    lsb = max(e, emin) - (p - 1)
    n, inexact = round_int(q / Fraction(2) ** lsb, s, mode)
    if n == 1 << p: n >>= 1; lsb += 1
    flags = NX if inexact else 0
    if n >= 1 << (p - 1) and lsb + p - 1 > emax:
        flags |= OF | NX
        big = {'rne': True, 'rmm': True, 'rtz': False, 'rdn': bool(s), 'rup': not s}[mode]
        return (inf(w, s) if big else largest(w, s)), flags
    if e < emin and inexact:
        nu, _ = round_int(q / Fraction(2) ** (e - (p - 1)), s, mode)
        if not (e == emin - 1 and nu == 1 << p): flags |= UF
    sb = sign_bit(w) if s else 0
    if n >= 1 << (p - 1): return sb | ((lsb + p - 1 + bias) << f) | (n - (1 << (p - 1))), flags
    return sb | n, flags

def value(bits_class):
    k, s, v = bits_class
    if k == 'inf': v = Fraction(2) ** 20000  # beyond every finite value
    return -v if s else v

def result(w, v, mode, zero_sign):
    if v == 0: return zero(w, zero_sign), 0
    return round_to(w, 1 if v < 0 else 0, abs(v), mode)

def nan_result(w, *ops, invalid=False):
    return canonical(w), (NV if invalid or any(o[0] == 'snan' for o in ops) else 0)

def add(w, a, b, mode, negb=False):
    A, B = decode(a, w), decode(b, w)
    if negb: B = (B[0], 1 - B[1], B[2])
    if A[0] in ('qnan', 'snan') or B[0] in ('qnan', 'snan'): return nan_result(w, A, B)
    if A[0] == 'inf' and B[0] == 'inf':
        return (inf(w, A[1]), 0) if A[1] == B[1] else nan_result(w, invalid=True)
    if A[0] == 'inf': return inf(w, A[1]), 0
    if B[0] == 'inf': return inf(w, B[1]), 0
    v = value(A) + value(B)
    zs = (A[1] if A[1] == B[1] else (1 if mode == 'rdn' else 0)) if A[0] == 'zero' and B[0] == 'zero' else (1 if mode == 'rdn' else 0)
    return result(w, v, mode, zs)

def mul(w, a, b, mode):
    A, B = decode(a, w), decode(b, w)
    s = A[1] ^ B[1]
    if A[0] in ('qnan', 'snan') or B[0] in ('qnan', 'snan'): return nan_result(w, A, B)
    if (A[0] == 'inf' and B[0] == 'zero') or (A[0] == 'zero' and B[0] == 'inf'): return nan_result(w, invalid=True)
    if 'inf' in (A[0], B[0]): return inf(w, s), 0
    return result(w, value(A) * value(B), mode, s)

def div(w, a, b, mode):
    A, B = decode(a, w), decode(b, w)
    s = A[1] ^ B[1]
    if A[0] in ('qnan', 'snan') or B[0] in ('qnan', 'snan'): return nan_result(w, A, B)
    if (A[0], B[0]) in (('inf', 'inf'), ('zero', 'zero')): return nan_result(w, invalid=True)
    if A[0] == 'inf': return inf(w, s), 0
    if B[0] == 'inf': return zero(w, s), 0
    if B[0] == 'zero': return inf(w, s), DZ
    return result(w, value(A) / value(B), mode, s)

def sqrt(w, a, mode):
    A = decode(a, w)
    if A[0] in ('qnan', 'snan'): return nan_result(w, A)
    if A[0] == 'zero': return a, 0
    if A[1]: return nan_result(w, invalid=True)
    if A[0] == 'inf': return a, 0
    # sqrt(v) to at least 600 bits, plus a sticky bit when inexact: far below any rounding position.
    v = A[2]; k = 1200
    scaled = v * Fraction(2) ** (2 * k)
    n = scaled.numerator // scaled.denominator
    r = math.isqrt(n)
    exact = r * r == n and scaled.denominator == 1
    q = Fraction(2 * r + (0 if exact else 1), 2) / Fraction(2) ** k
    return round_to(w, 0, q, mode)

def fma(w, a, b, c, mode, negp, negc):
    A, B, C = decode(a, w), decode(b, w), decode(c, w)
    if negc: C = (C[0], 1 - C[1], C[2])
    ps = A[1] ^ B[1] ^ (1 if negp else 0)
    invalid_prod = (A[0] == 'inf' and B[0] == 'zero') or (A[0] == 'zero' and B[0] == 'inf')
    if any(x[0] in ('qnan', 'snan') for x in (A, B, C)): return nan_result(w, A, B, C, invalid=invalid_prod)
    if invalid_prod: return nan_result(w, invalid=True)
    if 'inf' in (A[0], B[0]):
        if C[0] == 'inf' and C[1] != ps: return nan_result(w, invalid=True)
        return inf(w, ps), 0
    if C[0] == 'inf': return inf(w, C[1]), 0
    p = value(A) * value(B) * (-1 if negp else 1)
    v = p + value(C)
    prod_zero = A[0] == 'zero' or B[0] == 'zero'
    if v == 0:
        if prod_zero and C[0] == 'zero': zs = ps if ps == C[1] else (1 if mode == 'rdn' else 0)
        else: zs = 1 if mode == 'rdn' else 0
        return zero(w, zs), 0
    return result(w, v, mode, 0)

def to_int(w, a, mode, signed):
    A = decode(a, w)
    hi, lo = (0x7fffffff, 0x80000000) if signed else (0xffffffff, 0)
    if A[0] in ('qnan', 'snan'): return hi, NV
    if A[0] == 'inf': return (lo if A[1] else hi), NV
    if A[0] == 'zero': return 0, 0
    n, inexact = round_int(A[2], A[1], mode)
    v = -n if A[1] else n
    if v > (0x7fffffff if signed else 0xffffffff): return hi, NV
    if v < (-0x80000000 if signed else 0): return lo, NV
    return v & 0xffffffff, (NX if inexact else 0)

def from_int(w, x, mode, signed):
    v = x - (1 << 32) if signed and x >> 31 else x
    return result(w, Fraction(v), mode, 0)

def convert(wto, wfrom, a, mode):
    A = decode(a, wfrom)
    if A[0] in ('qnan', 'snan'): return nan_result(wto, A)
    if A[0] == 'inf': return inf(wto, A[1]), 0
    if A[0] == 'zero': return zero(wto, A[1]), 0
    return round_to(wto, A[1], A[2], mode)

def is_nan(x, w): return decode(x, w)[0] in ('qnan', 'snan')

def compare(w, a, b, op):
    A, B = decode(a, w), decode(b, w)
    if is_nan(a, w) or is_nan(b, w):
        return 0, (NV if op != 'eq' or 'snan' in (A[0], B[0]) else 0)
    va, vb = value(A), value(B)
    return int({'eq': va == vb, 'lt': va < vb, 'le': va <= vb}[op]), 0

def minmax(w, a, b, mx):
    fl = NV if 'snan' in (decode(a, w)[0], decode(b, w)[0]) else 0
    if is_nan(a, w) and is_nan(b, w): return canonical(w), fl
    if is_nan(a, w): return b, fl
    if is_nan(b, w): return a, fl
    va, vb = value(decode(a, w)), value(decode(b, w))
    if va == vb:  # only ±0 can differ: -0 < +0
        sa = 1 if a & sign_bit(w) else 0
        return (a if (sa == 0) == mx else b), fl
    return (a if (va > vb) == mx else b), fl

def classify(w, a):
    k, s, v = decode(a, w)
    e, f = FMT[w]
    if k == 'inf': i = 0 if s else 7
    elif k == 'zero': i = 3 if s else 4
    elif k == 'snan': i = 8
    elif k == 'qnan': i = 9
    else:
        sub = (a >> f) & ((1 << e) - 1) == 0
        i = (2 if sub else 1) if s else (5 if sub else 6)
    return 1 << i

# ---- operand sets -------------------------------------------------------------------------
def edges(w):
    e, f, bias, emin, emax, p = params(w)
    sb = sign_bit(w)
    ex = lambda k: (k + bias) << f
    one = ex(0)
    vals = [0, sb, inf(w, 0), inf(w, 1), canonical(w), canonical(w) | sb | 5, inf(w, 0) | 1, inf(w, 1) | (1 << (f - 2)),
            1, sb | 1, (1 << f) - 1, 1 << f, sb | (1 << f), largest(w, 0), largest(w, 1), one, one | 1, sb | one,
            ex(1), ex(1) | (1 << (f - 1)), ex(-1), ex(-1) | 1, ex(-p), ex(-p - 1), ex(-p) | 1, ex(emax) | 1,
            ex(10) | 0x123, sb | ex(3) | (3 << (f - 3)), ex(emin + 1) | 7]
    if w == 'h':  # the int32 range is beyond the halves: near the top and bottom of theirs
        vals += [ex(15), sb | ex(15), ex(11) | (1 << (f - 1)), 77]
    else:
        vals += [ex(31), sb | ex(31), ex(32) | (1 << (f - 1)), ex(-30) | 77]
    return vals

def pairs(w, n, seed):
    r = random.Random(seed)
    ev = edges(w)
    out = [(a, b) for a in ev[:10] for b in ev[:10]][::3]
    while len(out) < n:
        out.append((r.choice(ev), r.choice(ev)))
    return out[:n]

# ---- assembly -----------------------------------------------------------------------------
HEADER = """/* GENERATED by tools/gen-float-tests.py from its own exact-rational model of IEEE 754:
 * do not edit. {what}
 * Each case loads its operands, clears fflags, runs one instruction and checks the result's
 * bits and the accrued flags; rounding modes static (the suffix) and dynamic (frm). */
#include "float_macros.h"
RVTEST_BEGIN
"""
FOOTER = "\n    j pass\nRVTEST_END\nFLOAT_DATA\n"

def hx(v): return "0x%x" % v

class Writer:
    def __init__(self): self.lines = []; self.n = 0
    def case(self, text):
        self.n += 1
        self.lines.append("    " + text.replace("@", str((self.n - 1) % 254 + 1)))

def load(w, reg, v):
    if w == 'h': return "LOAD_H(%s, %s)" % (reg, hx(v))
    if w == 's': return "LOAD_S(%s, %s)" % (reg, hx(v))
    return "LOAD_D(%s, %s, %s)" % (reg, hx(v >> 32), hx(v & 0xffffffff))

def check_f(w, reg, v, flags):
    if w == 'h': return "CHECK_H(%s, %s, %d)" % (reg, hx(0xffff0000 | v), flags)
    if w == 's': return "CHECK_S(%s, %s, %d)" % (reg, hx(v), flags)
    return "CHECK_D(%s, %s, %s, %d)" % (reg, hx(v >> 32), hx(v & 0xffffffff), flags)

def rm_suffix(m, dyn): return "" if dyn else "," + m

def emit_binary(wr, w, mn, fn, n, seed):
    for i, (a, b) in enumerate(pairs(w, n, seed)):
        m = MODES[i % 5]; dyn = i % 7 == 3
        r, fl = fn(w, a, b, m)
        pre = "SET_RM(%d); " % MODES.index(m) if dyn else ""
        wr.case("TEST_BEGIN(@) %s%s; %s; FLAGS_CLEAR; %s f3, f1, f2%s; %s" % (
            pre, load(w, "f1", a), load(w, "f2", b), mn, rm_suffix(m, dyn), check_f(w, "f3", r, fl)))

def emit_unary(wr, w, mn, fn, vals):
    for i, a in enumerate(vals):
        m = MODES[i % 5]; dyn = i % 6 == 2
        r, fl = fn(w, a, m)
        pre = "SET_RM(%d); " % MODES.index(m) if dyn else ""
        wr.case("TEST_BEGIN(@) %s%s; FLAGS_CLEAR; %s f3, f1%s; %s" % (pre, load(w, "f1", a), mn, rm_suffix(m, dyn), check_f(w, "f3", r, fl)))

def halfway(w):
    """1 + half an ulp, 1 + 3 half ulps, their negatives: ties in every mode."""
    e, f, bias, emin, emax, p = params(w)
    one = bias << f
    half = (bias - p) << f
    return [(one, half), (one | 1, half), (sign_bit(w) | one, sign_bit(w) | half), (sign_bit(w) | one | 1, sign_bit(w) | half)]

def gen_arith():
    wr = Writer()
    for w in 'sd':
        for (a, b) in halfway(w):
            for m in MODES:
                r, fl = add(w, a, b, m)
                wr.case("TEST_BEGIN(@) %s; %s; FLAGS_CLEAR; fadd.%s f3, f1, f2,%s; %s" % (load(w, "f1", a), load(w, "f2", b), w, m, check_f(w, "f3", r, fl)))
        emit_binary(wr, w, "fadd." + w, lambda w, a, b, m: add(w, a, b, m), 70, 1)
        emit_binary(wr, w, "fsub." + w, lambda w, a, b, m: add(w, a, b, m, True), 50, 2)
        emit_binary(wr, w, "fmul." + w, mul, 70, 3)
        emit_binary(wr, w, "fdiv." + w, div, 70, 4)
        emit_unary(wr, w, "fsqrt." + w, sqrt, edges(w))
    return wr

def gen_fma():
    wr = Writer()
    r = random.Random(5)
    for w in 'sd':
        ev = edges(w)
        e, f, bias, emin, emax, p = params(w)
        special = [(inf(w, 0), 0, canonical(w)), (0, inf(w, 1), canonical(w)), (inf(w, 0), bias << f, inf(w, 1)),
                   ((bias << f) | 1, ((bias - 1) << f) | ((1 << f) - 2), bias << f)]
        triples = special + [(r.choice(ev), r.choice(ev), r.choice(ev)) for _ in range(90)]
        for name, negp, negc in (("fmadd", False, False), ("fmsub", False, True), ("fnmsub", True, False), ("fnmadd", True, True)):
            for i, (a, b, c) in enumerate(triples if name == "fmadd" else triples[:40]):
                m = MODES[i % 5]; dyn = i % 7 == 1
                res, fl = fma(w, a, b, c, m, negp, negc)
                pre = "SET_RM(%d); " % MODES.index(m) if dyn else ""
                wr.case("TEST_BEGIN(@) %s%s; %s; %s; FLAGS_CLEAR; %s.%s f4, f1, f2, f3%s; %s" % (
                    pre, load(w, "f1", a), load(w, "f2", b), load(w, "f3", c), name, w, rm_suffix(m, dyn), check_f(w, "f4", res, fl)))
    return wr

def gen_compare():
    wr = Writer()
    for w in 'sd':
        for i, (a, b) in enumerate(pairs(w, 60, 6)):
            for op in ('eq', 'lt', 'le'):
                res, fl = compare(w, a, b, op)
                wr.case("TEST_BEGIN(@) %s; %s; FLAGS_CLEAR; f%s.%s a0, f1, f2; CHECK_X(a0, %d, %d)" % (load(w, "f1", a), load(w, "f2", b), op, w, res, fl))
            for name, mx in (("fmin", False), ("fmax", True)):
                res, fl = minmax(w, a, b, mx)
                wr.case("TEST_BEGIN(@) %s; %s; FLAGS_CLEAR; %s.%s f3, f1, f2; %s" % (load(w, "f1", a), load(w, "f2", b), name, w, check_f(w, "f3", res, fl)))
            sbm = sign_bit(w)
            for name, res in (("fsgnj", (a & ~sbm) | (b & sbm)), ("fsgnjn", (a & ~sbm) | (~b & sbm)), ("fsgnjx", a ^ (b & sbm))):
                wr.case("TEST_BEGIN(@) %s; %s; FLAGS_CLEAR; %s.%s f3, f1, f2; %s" % (load(w, "f1", a), load(w, "f2", b), name, w, check_f(w, "f3", res, 0)))
        for a in edges(w):
            wr.case("TEST_BEGIN(@) %s; FLAGS_CLEAR; fclass.%s a0, f1; CHECK_X(a0, %d, 0)" % (load(w, "f1", a), w, classify(w, a)))
    return wr

def gen_convert():
    wr = Writer()
    ints = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x80000001, 0x00ffffff, 0x01000001, 0x01000003, 0xfeffffff, 123456789, 0xdeadbeef, 16777217, 0x7fffffc0, 0xffffff81]
    for w in 'sd':
        vals = edges(w)
        e, f, bias, emin, emax, p = params(w)
        vals += [((bias + k) << f) | (1 << (f - 1)) for k in (0, 1, 2)]  # 1.5, 3, 6
        vals += [sign_bit(w) | ((bias + k) << f) | (1 << (f - 1)) for k in (-1, 0, 1)]  # -0.75, -1.5, -3
        vals += [((bias + 31) << f), sign_bit(w) | ((bias + 31) << f), ((bias + 32) << f), sign_bit(w) | ((bias + 31) << f) | 1]
        if w == 'd':
            vals += [0x41dfffffffe00000, 0x41dfffffffffffff, 0xc1e0000000100000, 0xc1e0000000000000, 0x41efffffffe00000, 0x41effffffff00000]
        for i, a in enumerate(vals):
            for name, signed in (("fcvt.w", True), ("fcvt.wu", False)):
                m = MODES[(i + signed) % 5]; dyn = i % 5 == 4
                res, fl = to_int(w, a, m, signed)
                pre = "SET_RM(%d); " % MODES.index(m) if dyn else ""
                wr.case("TEST_BEGIN(@) %s%s; FLAGS_CLEAR; %s.%s a0, f1%s; CHECK_X(a0, %s, %d)" % (pre, load(w, "f1", a), name, w, rm_suffix(m, dyn), hx(res), fl))
        for i, x in enumerate(ints):
            for name, signed in (("w", True), ("wu", False)):
                m = MODES[(i + signed) % 5]
                res, fl = from_int(w, x, m, signed)
                suffix = "" if w == 'd' else "," + m  # exact for doubles: objdump's fcvt.d.w has no rm
                wr.case("TEST_BEGIN(@) li a0, %s; FLAGS_CLEAR; fcvt.%s.%s f3, a0%s; %s" % (hx(x), w, name, suffix, check_f(w, "f3", res, fl)))
    for i, a in enumerate(edges('d') + [0x47efffffe0000000, 0x47efffffefffffff, 0x47effffff0000000, 0x380fffffffffffff, 0x36a0000000000001, 0x3810000000000000, 0xb690000000000001]):
        m = MODES[i % 5]
        res, fl = convert('s', 'd', a, m)
        wr.case("TEST_BEGIN(@) %s; FLAGS_CLEAR; fcvt.s.d f3, f1,%s; %s" % (load('d', "f1", a), m, check_f('s', "f3", res, fl)))
    for a in edges('s'):
        res, fl = convert('d', 's', a, 'rne')
        wr.case("TEST_BEGIN(@) %s; FLAGS_CLEAR; fcvt.d.s f3, f1; %s" % (load('s', "f1", a), check_f('d', "f3", res, fl)))
    # NaN boxing: a double read as a single is the canonical NaN; fmv.x.w takes the low half as is.
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0x3ff00000, 0x3f800000); LOAD_S(f2, 0x3f800000); FLAGS_CLEAR; fadd.s f3, f1, f2; CHECK_S(f3, 0x7fc00000, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0x12345678, 0x9abcdef0); FLAGS_CLEAR; fmv.x.w a0, f1; CHECK_X(a0, 0x9abcdef0, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0x7ff00000, 0x3f800000); FLAGS_CLEAR; fsgnjn.s f3, f1, f1; CHECK_S(f3, 0xffc00000, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0xffffffff, 0x3f800000); FLAGS_CLEAR; fcvt.d.s f3, f1; CHECK_D(f3, 0x3ff00000, 0x0, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0xfffffffe, 0x3f800000); FLAGS_CLEAR; fclass.s a0, f1; CHECK_X(a0, 512, 0)")
    wr.case("TEST_BEGIN(@) li a0, 0x80000000; fmv.w.x f1, a0; FLAGS_CLEAR; CHECK_D(f1, 0xffffffff, 0x80000000, 0)")
    wr.case("TEST_BEGIN(@) LOAD_S(f1, 0x7f800001); FLAGS_CLEAR; fmv.s f3, f1; CHECK_S(f3, 0x7f800001, 0)")  # no NV: sign injection is not arithmetic
    return wr

# ---- Zfh (half precision): one program, built with -march=rv32imafdc_zfh ------------------
def gen_zfh():
    wr = Writer()
    w = 'h'
    for (a, b) in halfway(w):
        for m in MODES:
            r, fl = add(w, a, b, m)
            wr.case("TEST_BEGIN(@) %s; %s; FLAGS_CLEAR; fadd.h f3, f1, f2,%s; %s" % (load(w, "f1", a), load(w, "f2", b), m, check_f(w, "f3", r, fl)))
    emit_binary(wr, w, "fadd.h", lambda w, a, b, m: add(w, a, b, m), 70, 11)
    emit_binary(wr, w, "fsub.h", lambda w, a, b, m: add(w, a, b, m, True), 50, 12)
    emit_binary(wr, w, "fmul.h", mul, 70, 13)
    emit_binary(wr, w, "fdiv.h", div, 70, 14)
    emit_unary(wr, w, "fsqrt.h", sqrt, edges(w))
    # Overflow and tininess at the edges of the half range, every mode.
    e, f, bias, emin, emax, p = params(w)
    big, sixteen, eight = largest(w, 0), (bias + 4) << f, (bias + 3) << f
    for (a, b) in ((big, sixteen), (big, eight), (big | sign_bit(w), sixteen | sign_bit(w)), (0x3ff, (bias << f) | 1), (1 << f, (bias - 1) << f | ((1 << f) - 1)), (1, (bias - 1) << f)):
        for m in MODES:
            r, fl = (add if (a, b)[1] in (sixteen, eight, sixteen | sign_bit(w)) else mul)(w, a, b, m)
            mn = "fadd.h" if (a, b)[1] in (sixteen, eight, sixteen | sign_bit(w)) else "fmul.h"
            wr.case("TEST_BEGIN(@) %s; %s; FLAGS_CLEAR; %s f3, f1, f2,%s; %s" % (load(w, "f1", a), load(w, "f2", b), mn, m, check_f(w, "f3", r, fl)))
    # Fused multiply-adds.
    r = random.Random(15)
    ev = edges(w)
    special = [(inf(w, 0), 0, canonical(w)), (0, inf(w, 1), canonical(w)), (inf(w, 0), bias << f, inf(w, 1)),
               ((bias << f) | 1, ((bias - 1) << f) | ((1 << f) - 2), bias << f)]
    triples = special + [(r.choice(ev), r.choice(ev), r.choice(ev)) for _ in range(60)]
    for name, negp, negc in (("fmadd", False, False), ("fmsub", False, True), ("fnmsub", True, False), ("fnmadd", True, True)):
        for i, (a, b, c) in enumerate(triples if name == "fmadd" else triples[:30]):
            m = MODES[i % 5]; dyn = i % 7 == 1
            res, fl = fma(w, a, b, c, m, negp, negc)
            pre = "SET_RM(%d); " % MODES.index(m) if dyn else ""
            wr.case("TEST_BEGIN(@) %s%s; %s; %s; FLAGS_CLEAR; %s.h f4, f1, f2, f3%s; %s" % (
                pre, load(w, "f1", a), load(w, "f2", b), load(w, "f3", c), name, rm_suffix(m, dyn), check_f(w, "f4", res, fl)))
    # Comparisons, min/max, sign injection, classification.
    for i, (a, b) in enumerate(pairs(w, 40, 16)):
        for op in ('eq', 'lt', 'le'):
            res, fl = compare(w, a, b, op)
            wr.case("TEST_BEGIN(@) %s; %s; FLAGS_CLEAR; f%s.h a0, f1, f2; CHECK_X(a0, %d, %d)" % (load(w, "f1", a), load(w, "f2", b), op, res, fl))
        for name, mx in (("fmin", False), ("fmax", True)):
            res, fl = minmax(w, a, b, mx)
            wr.case("TEST_BEGIN(@) %s; %s; FLAGS_CLEAR; %s.h f3, f1, f2; %s" % (load(w, "f1", a), load(w, "f2", b), name, check_f(w, "f3", res, fl)))
        sbm = sign_bit(w)
        for name, res in (("fsgnj", (a & ~sbm) | (b & sbm)), ("fsgnjn", (a & ~sbm) | (~b & sbm)), ("fsgnjx", a ^ (b & sbm))):
            wr.case("TEST_BEGIN(@) %s; %s; FLAGS_CLEAR; %s.h f3, f1, f2; %s" % (load(w, "f1", a), load(w, "f2", b), name, check_f(w, "f3", res, 0)))
    for a in edges(w):
        wr.case("TEST_BEGIN(@) %s; FLAGS_CLEAR; fclass.h a0, f1; CHECK_X(a0, %d, 0)" % (load(w, "f1", a), classify(w, a)))
    # Conversions to and from integers (saturation, NV) and between the widths.
    vals = edges(w) + [((bias + k) << f) | (1 << (f - 1)) for k in (0, 1, 2)] + [sign_bit(w) | ((bias + k) << f) | (1 << (f - 1)) for k in (-1, 0, 1)]
    for i, a in enumerate(vals):
        for name, signed in (("fcvt.w", True), ("fcvt.wu", False)):
            m = MODES[(i + signed) % 5]; dyn = i % 5 == 4
            res, fl = to_int(w, a, m, signed)
            pre = "SET_RM(%d); " % MODES.index(m) if dyn else ""
            wr.case("TEST_BEGIN(@) %s%s; FLAGS_CLEAR; %s.h a0, f1%s; CHECK_X(a0, %s, %d)" % (pre, load(w, "f1", a), name, rm_suffix(m, dyn), hx(res), fl))
    ints = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 2049, 2051, 0xfffff7ff, 65504, 65519, 65520, 0xffff0010, 4097, 123456, 0xdeadbeef]
    for i, x in enumerate(ints):
        for name, signed in (("w", True), ("wu", False)):
            m = MODES[(i + signed) % 5]
            res, fl = from_int(w, x, m, signed)
            wr.case("TEST_BEGIN(@) li a0, %s; FLAGS_CLEAR; fcvt.h.%s f3, a0,%s; %s" % (hx(x), name, m, check_f(w, "f3", res, fl)))
    singles = edges('s') + [0x477ff000, 0x477fefff, 0x477fe000, 0x387fc000, 0x387fe000, 0x33000000, 0x33000001, 0xb3800000, 0x3f801000, 0x3f803000]
    for i, a in enumerate(singles):
        m = MODES[i % 5]
        res, fl = convert('h', 's', a, m)
        wr.case("TEST_BEGIN(@) %s; FLAGS_CLEAR; fcvt.h.s f3, f1,%s; %s" % (load('s', "f1", a), m, check_f(w, "f3", res, fl)))
    doubles = edges('d') + [0x40effe0000000000, 0x40effdffffffffff, 0x3e70000000000000, 0x3e70000000000001, 0x3f0ff80000000000, 0x3ff0020000000000]
    for i, a in enumerate(doubles):
        m = MODES[(i + 2) % 5]
        res, fl = convert('h', 'd', a, m)
        wr.case("TEST_BEGIN(@) %s; FLAGS_CLEAR; fcvt.h.d f3, f1,%s; %s" % (load('d', "f1", a), m, check_f(w, "f3", res, fl)))
    for a in edges(w):
        res, fl = convert('s', 'h', a, 'rne')
        wr.case("TEST_BEGIN(@) %s; FLAGS_CLEAR; fcvt.s.h f3, f1; %s" % (load(w, "f1", a), check_f('s', "f3", res, fl)))
        res, fl = convert('d', 'h', a, 'rne')
        wr.case("TEST_BEGIN(@) %s; FLAGS_CLEAR; fcvt.d.h f3, f1; %s" % (load(w, "f1", a), check_f('d', "f3", res, fl)))
    # NaN boxing: a half needs all 48 bits above it set; fmv.x.h sign-extends the low 16 bits as
    # they are, fmv.h.x boxes; flh boxes, fsh stores the low 16 bits.
    wr.case("TEST_BEGIN(@) LOAD_S(f1, 0x3c00); LOAD_H(f2, 0x3c00); FLAGS_CLEAR; fadd.h f3, f1, f2; CHECK_H(f3, 0xffff7e00, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0xffffffff, 0xfffe3c00); FLAGS_CLEAR; fclass.h a0, f1; CHECK_X(a0, 512, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0xffffffff, 0xffff3c00); FLAGS_CLEAR; fcvt.s.h f3, f1; CHECK_S(f3, 0x3f800000, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0x7fffffff, 0xffff3c00); FLAGS_CLEAR; fcvt.d.h f3, f1; CHECK_D(f3, 0x7ff80000, 0x0, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0x7fffffff, 0xffff3c00); FLAGS_CLEAR; fsgnjn.h f3, f1, f1; CHECK_H(f3, 0xfffffe00, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0x12345678, 0x9abc8001); FLAGS_CLEAR; fmv.x.h a0, f1; CHECK_X(a0, 0xffff8001, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0x12345678, 0x9abc7ff0); FLAGS_CLEAR; fmv.x.h a0, f1; CHECK_X(a0, 0x7ff0, 0)")
    wr.case("TEST_BEGIN(@) li a0, 0xdeadbeef; fmv.h.x f1, a0; FLAGS_CLEAR; CHECK_D(f1, 0xffffffff, 0xffffbeef, 0)")
    wr.case("TEST_BEGIN(@) LOAD_H(f1, 0x7c01); FLAGS_CLEAR; fmv.h f3, f1; CHECK_H(f3, 0xffff7c01, 0)")  # no NV: sign injection
    wr.case("TEST_BEGIN(@) la t1, fp_scratch; li t0, 0x5a5ac001; sw t0, 0(t1); flh f1, 0(t1); FLAGS_CLEAR; CHECK_H(f1, 0xffffc001, 0)")
    wr.case("TEST_BEGIN(@) la t1, fp_scratch; li t0, 0x5a5ac001; sw t0, 0(t1); flh f1, 2(t1); FLAGS_CLEAR; CHECK_H(f1, 0xffff5a5a, 0)")
    wr.case("TEST_BEGIN(@) LOAD_D(f1, 0x12345678, 0x9abc4321); la t1, fp_scratch; li t0, -1; sw t0, 0(t1); fsh f1, 2(t1); lw t2, 0(t1); li t6, 0x4321ffff; bne t2, t6, fail")
    return wr

def write(name, what, wr, directory="isa-float"):
    path = os.path.join(os.path.dirname(__file__), "..", directory, name + ".S")
    with open(path, "w") as fh:
        fh.write(HEADER.format(what=what))
        fh.write("\n".join(wr.lines))
        fh.write(FOOTER)

if __name__ == "__main__":
    write("isa-float-arith", "fadd, fsub, fmul, fdiv, fsqrt (S and D): halfway cases in every mode, edge operands.", gen_arith())
    write("isa-float-fma", "fmadd, fmsub, fnmsub, fnmadd (S and D): one rounding, inf x 0 + qNaN invalid.", gen_fma())
    write("isa-float-compare", "feq, flt, fle, fmin, fmax, fsgnj*, fclass (S and D).", gen_compare())
    write("isa-float-convert", "fcvt to/from integers (saturation, NV), fcvt.s.d/fcvt.d.s, fmv, NaN boxing.", gen_convert())
    write("isa-zfh", "Zfh: every half-precision instruction, edge operands, every mode; NaN boxing.", gen_zfh(), "isa-zfh")
