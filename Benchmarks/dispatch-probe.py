#!/usr/bin/env python3
"""Writes three RV32I programs that separate dispatch prediction from memory footprint in an
interpreter (Benchmarks/README.md, "SHA-256 on the interpreter"):

  same4096.S  a 4,096-instruction straight loop body of one instruction (addi a1,a1,1), 20,000 times
  mix4096.S   the same length of a random mix of ten register ALU instructions (seeded), 20,000 times
  mix64.S     the first 64 of that mix as the body, 1,280,000 times

Same body size (16 KiB) for the first two, same mix for the last two. Build and run:

  python3 Benchmarks/dispatch-probe.py OUTDIR
  riscv64-unknown-elf-gcc -march=rv32i -mabi=ilp32 -nostdlib -static -o OUTDIR/mix4096.elf OUTDIR/mix4096.S
  rvjit run --isa rv32i --engine interp OUTDIR/mix4096.elf   # status 0
"""
import os
import random
import sys

OPS = ["add a{d},a{s},a{t}", "xor a{d},a{s},a{t}", "or a{d},a{s},a{t}", "and a{d},a{s},a{t}",
       "sub a{d},a{s},a{t}", "slli a{d},a{s},3", "srli a{d},a{s},5", "addi a{d},a{s},7",
       "xori a{d},a{s},9", "sltu a{d},a{s},a{t}"]


def body(n, mix):
    lines = []
    for _ in range(n):
        op = random.choice(OPS) if mix else "addi a{d},a{s},1"
        lines.append("    " + op.format(d=random.randint(1, 5) if mix else 1,
                                        s=random.randint(1, 5) if mix else 1, t=random.randint(1, 5)))
    return "\n".join(lines)


def program(path, n, iterations, mix):
    with open(path, "w") as f:
        f.write(f"""    .globl _start
_start:
    li t0, {iterations}
1:
{body(n, mix)}
    addi t0, t0, -1
    bnez t0, 1b
    li a0, 0
    li a7, 93
    ecall
""")


out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)
random.seed(1)
program(os.path.join(out, "same4096.S"), 4096, 20000, False)
program(os.path.join(out, "mix4096.S"), 4096, 20000, True)
random.seed(1)
program(os.path.join(out, "mix64.S"), 64, 20000 * 64, True)
