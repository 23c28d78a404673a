#!/usr/bin/env python3
"""Run programs.tsv on a reference and compare with the manifest.

  run-manifest.py verify      refsim: status and expected/NAME.stdout (where present)
  run-manifest.py write       refsim: (re)write expected/NAME.stdout
  run-manifest.py qemu DIR    qemu-system-riscv32 spike on DIR/NAME.elf (built with
                              -DREF_QEMU): status, and stdout where QEMU can agree

refsim is slow (about 0.6 million instructions a second): csrloop (20 million
instructions) is left to rvjit itself.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REFSIM_SKIP = {'csrloop'}
# programs whose output rvjit must match byte for byte (under their flags)
EXPECTED = {'priv-csr', 'priv-traps', 'priv-user', 'priv-vectored', 'priv-misaligned',
            'minikernel', 'counters', 'csrloop-small', 'svkernel'}
# QEMU 7.2 reference: programs expected to fail there, and lines that cannot agree
QEMU_FAILS = {'priv-misaligned': 'QEMU carries misaligned loads/stores out',
              'counters': 'the spike machine has no time CSR (rdtime is illegal)'}
QEMU_STDOUT = {'minikernel': lambda line: 'timer ticks' not in line,
               'svkernel': lambda line: 'timer ticks' not in line,
               'svpager-small': lambda line: True}


def manifest():
    rows = []
    with open(os.path.join(ROOT, 'programs.tsv')) as f:
        header = f.readline().rstrip('\n').split('\t')
        assert header == ['name', 'flags', 'status'], header
        for line in f:
            if line.strip():
                name, flags, status = line.rstrip('\n').split('\t')
                rows.append((name, [] if flags == '-' else flags.split(), int(status)))
    return rows


def main(argv):
    mode = argv[0]
    failed = 0
    passed = 0
    for name, flags, status in manifest():
        exp_path = os.path.join(ROOT, 'expected', name + '.stdout')
        if mode in ('verify', 'write'):
            if name in REFSIM_SKIP:
                print(f'{name}: skipped (too long for refsim)')
                continue
            if 'msu' in flags:
                print(f'{name}: skipped (refsim has no S-mode)')
                continue
            elf = os.path.join(ROOT, 'bin', name + '.elf')
            r = subprocess.run([sys.executable, os.path.join(HERE, 'refsim.py')] + flags + [elf],
                               capture_output=True)
            ok = r.returncode == status
            if mode == 'write' and name in EXPECTED:
                with open(exp_path, 'wb') as f:
                    f.write(r.stdout)
            elif name in EXPECTED and os.path.exists(exp_path):
                ok = ok and open(exp_path, 'rb').read() == r.stdout
        else:
            elf = os.path.join(argv[1], name + '.elf')
            env = dict(os.environ, RVJIT_QEMU_SMODE='1') if 'msu' in flags else None
            if env is not None and 'rv32ic' in flags:
                env['RVJIT_QEMU_C'] = 'true'  # (with S-mode only, so far)
            r = subprocess.run([os.path.join(HERE, 'run-qemu.sh'), elf, '60'], capture_output=True, env=env)
            ok = r.returncode == status
            if name in QEMU_STDOUT and os.path.exists(exp_path):
                keep = QEMU_STDOUT[name]
                want = [l for l in open(exp_path).read().splitlines() if keep(l)]
                got = [l for l in r.stdout.decode(errors='replace').splitlines() if keep(l)]
                ok = ok and want == got
            if name in QEMU_FAILS:
                print(f'{name}: status {r.returncode} ({"unexpectedly passes" if ok else "fails as expected"}:'
                      f' {QEMU_FAILS[name]})')
                continue
        print(f'{name}: status {r.returncode} {"ok" if ok else "FAILED"}')
        if ok:
            passed += 1
        else:
            failed += 1
            sys.stdout.write(r.stdout.decode(errors='replace')[-2000:])
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
