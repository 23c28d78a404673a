#!/usr/bin/env bash
# Guest-program benchmarks for rvjit, printed as Markdown tables.
#
#   Benchmarks/run.sh              the workload suite (guest-programs/bench) under interpreter, JIT and
#                                  qemu-riscv32, rv32i, rv32imac and rv32imafdc builds: rvjit bench --suite --qemu;
#                                  JSON, CSV, SVG chart and Markdown into $RESULTS
#   Benchmarks/run.sh programs     the same comparison on the older CPU-bound programs (guest-programs/bin)
#   Benchmarks/run.sh techniques   JIT/interp with every JIT technique on, and with each turned off
#   Benchmarks/run.sh threshold    total run time for each --jit-threshold, at benchmark and default sizes
#
# Environment: ROUNDS (default 3), WARMUP (default 1), SETS (suite builds, default "rv32i rv32imac rv32imafdc"),
# WORKLOADS (space-separated subset of the suite's workloads), RESULTS (default Benchmarks/results),
# SMALL_ROUNDS (threshold mode at default sizes, default 15), SCRATCH (build directory, default .build-bench),
# PROGRAMS (space-separated subset of: sieve qsort crc32 sha256 fib).
# Needs a Swift toolchain; qemu-riscv32 (qemu-user) for the qemu column, "n/a" without it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${SCRATCH:-$ROOT/.build-bench}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-1}
SETS=${SETS:-rv32i rv32imac rv32imafdc}
RESULTS=${RESULTS:-$ROOT/Benchmarks/results}
SMALL_ROUNDS=${SMALL_ROUNDS:-15}  # threshold mode, default sizes: runs of a few ms are cheap and noisy
MODE=${1:-main}
BIN=$ROOT/guest-programs/bin

# Benchmark sizes (guest-programs/README.md): 0.6-1 s each under the JIT on the reference machine.
declare -A SIZE=(
    [sieve]="4000000 6"
    [qsort]="262144 8"
    [crc32]="1048576 6"
    [sha256]="80000"
    [fib]="36"
)
# Default manifest sizes (guest-programs/programs.tsv): a few milliseconds each.
declare -A SMALL=(
    [sieve]="20000 4"
    [qsort]="3000 1"
    [crc32]="8192 1"
    [sha256]="64"
    [fib]="20"
)
read -r -a PROGS <<< "${PROGRAMS:-sieve qsort crc32 sha256 fib}"

case "$MODE" in
    main | programs | techniques | threshold) ;;
    *) echo "usage: $0 [programs|techniques|threshold]" >&2; exit 2 ;;
esac

echo "building rvjit (release, $SCRATCH) ..." >&2
# The revision measured: HEAD when the build starts, "+local" if the sources differ from it.
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
if [[ -n $(git -C "$ROOT" status --porcelain -- Sources Package.swift 2>/dev/null) ]]; then REV+="+local"; fi
swift build -c release --scratch-path "$SCRATCH" --product rvjit >&2
RVJIT=$SCRATCH/release/rvjit

# bench PROGRAM ARGS... [-- RVJIT OPTIONS...]: runs rvjit bench (interp, JIT, qemu) and prints one line
#   instructions interpMIPS jitMIPS qemuMIPS|n/a translation_share cache_bytes
bench() {
    local name=$1; shift
    local args=() opts=()
    while (($#)) && [[ $1 != -- ]]; do args+=("$1"); shift; done
    if (($#)); then shift; opts=("$@"); fi
    local out csv json
    csv=$(mktemp) json=$(mktemp)
    if ! out=$("$RVJIT" bench --rounds "$ROUNDS" --warmup "$WARMUP" --qemu --csv "$csv" --json "$json" "${opts[@]}" "$BIN/$name.elf" "${args[@]}" 2>&1); then
        echo "rvjit bench failed for $name ${args[*]} ${opts[*]}:" >&2
        echo "$out" >&2
        rm -f "$csv" "$json"
        exit 1
    fi
    # CSV columns: workload,arguments,engine,status,reason,instructions,rounds,wall_median_s,...,mips(12)
    awk -F, -v json="$json" '
        NR > 1 { n = $6; if ($3 == "interp") i = $12; if ($3 == "jit") j = $12; if ($3 == "qemu") q = $12 }
        END {
            while ((getline line < json) > 0) {
                if (line ~ /"translationShare"/) { sub(/.*: */, "", line); sub(/,$/, "", line); t = sprintf("%.2f%%", line * 100) }
                if (line ~ /"codeCacheBytes"/) { sub(/.*: */, "", line); sub(/,$/, "", line); b = line }
            }
            printf "%s %s %s %s %s %s\n", n, i, j, (q == "" ? "n/a" : q), (t == "" ? "n/a" : t), (b == "" ? "n/a" : b)
        }' "$csv"
    rm -f "$csv" "$json"
}

# Guest instructions and seconds of one `rvjit run` (seconds from the MIPS figure: the time
# line has only millisecond resolution).
run_time() {
    local name=$1 threshold=$2; shift 2
    "$RVJIT" run --stats --jit-threshold "$threshold" "$BIN/$name.elf" "$@" 2>&1 >/dev/null | awk '
        $2 == "instructions" { n = $3 }
        $2 == "guest" && $3 == "MIPS" { m = $4 }
        END { if (n == "" || m == "" || m == 0) exit 1; printf "%.6f\n", n / (m * 1e6) }'
}

machine_note() {
    local cpu
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
    echo "_$(date -u +%Y-%m-%d), ${cpu:-unknown CPU}, $(nproc) cores; rvjit $REV; median of $ROUNDS rounds after $WARMUP warm-up_"
    echo
}

if [[ $MODE == main ]]; then
    mkdir -p "$RESULTS"
    only=()
    for w in ${WORKLOADS:-}; do only+=(--workload "$w"); done
    status=0
    for set in $SETS; do
        echo "suite, $set build ..." >&2
        base=$RESULTS/suite-$set
        # rvjit bench exits 1 when a run failed: its table says which; go on with the other build.
        "$RVJIT" bench --suite "$ROOT/guest-programs/bench" --set "$set" --qemu --rounds "$ROUNDS" --warmup "$WARMUP" "${only[@]}" \
            --json "$base.json" --csv "$base.csv" --svg "$base.svg" --markdown "$base.md" >&2 || status=$?
        echo "#### $set build"
        echo
        machine_note
        cat "$base.md"
        echo
    done
    exit "$status"
fi

if [[ $MODE == programs ]]; then
    if ! command -v qemu-riscv32 >/dev/null; then echo "qemu-riscv32 not found: qemu column n/a" >&2; fi
    machine_note
    echo "| program | guest instructions | interp MIPS | JIT MIPS | qemu MIPS | JIT/interp | JIT/qemu | translation share | cache bytes |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    rows=()
    for p in "${PROGS[@]}"; do
        echo "bench $p ${SIZE[$p]} ..." >&2
        read -r -a a <<< "${SIZE[$p]}"
        line=$(bench "$p" "${a[@]}")
        rows+=("$line")
        echo "$p ${SIZE[$p]}|$line" | awk -F'|' '{
            split($2, f, " ")
            ji = f[3] / f[2]
            jq = (f[4] == "n/a") ? "n/a" : sprintf("%.2fx", f[3] / f[4])
            printf "| %s | %d | %.1f | %.1f | %s | %.2fx | %s | %s | %s |\n", $1, f[1], f[2], f[3], f[4], ji, jq, f[5], f[6]
        }'
    done
    printf '%s\n' "${rows[@]}" | awk '
        { li += log($3 / $2); n++; if ($4 != "n/a") { lq += log($3 / $4); nq++ } }
        END {
            printf "| **geometric mean** | | | | | **%.2fx** | **%s** | | |\n", exp(li / n), (nq ? sprintf("%.2fx", exp(lq / nq)) : "n/a")
        }'
fi

if [[ $MODE == techniques ]]; then
    TECHS=(passes chaining superblocks superinstructions)
    machine_note
    echo "JIT MIPS and JIT/interp (same process, alternating) with everything on and with one technique off."
    echo
    header="| program | all on |"; rule="|---|---:|"
    for t in "${TECHS[@]}"; do header+=" no $t |"; rule+="---:|"; done
    echo "$header"; echo "$rule"
    declare -A LOGSUM=()
    for p in "${PROGS[@]}"; do
        read -r -a a <<< "${SIZE[$p]}"
        row="| $p ${SIZE[$p]} |"
        for t in all "${TECHS[@]}"; do
            echo "bench $p ${SIZE[$p]} ($t) ..." >&2
            if [[ $t == all ]]; then line=$(bench "$p" "${a[@]}"); else line=$(bench "$p" "${a[@]}" -- --jit-disable "$t"); fi
            read -r _ im jm _ _ _ <<< "$line"
            cell=$(awk -v i="$im" -v j="$jm" 'BEGIN { printf "%.0f (%.2fx)", j, j / i }')
            row+=" $cell |"
            LOGSUM[$t]=$(awk -v s="${LOGSUM[$t]:-0}" -v i="$im" -v j="$jm" 'BEGIN { printf "%.9f", s + log(j / i) }')
        done
        echo "$row"
    done
    n=${#PROGS[@]}
    row="| **geometric mean JIT/interp** |"
    for t in all "${TECHS[@]}"; do row+=$(awk -v s="${LOGSUM[$t]}" -v n="$n" 'BEGIN { printf " **%.2fx** |", exp(s / n) }'); done
    echo "$row"
    row="| **what it buys** (all on ÷ off) | |"
    for t in "${TECHS[@]}"; do row+=$(awk -v a="${LOGSUM[all]}" -v s="${LOGSUM[$t]}" -v n="$n" 'BEGIN { printf " %.2fx |", exp((a - s) / n) }'); done
    echo "$row"
fi

if [[ $MODE == threshold ]]; then
    THRESHOLDS=(0 1 2 5 10 50)
    machine_note
    for set in benchmark default; do
        if [[ $set == benchmark ]]; then echo "Benchmark sizes: total run time (ms), best of $ROUNDS, relative to threshold 0 in parentheses."
        else echo "Default (manifest) sizes: total run time (ms), best of $SMALL_ROUNDS, relative to threshold 0 in parentheses."; fi
        echo
        header="| program |"; rule="|---|"
        for t in "${THRESHOLDS[@]}"; do header+=" $t |"; rule+="---:|"; done
        echo "$header"; echo "$rule"
        declare -A LOGREL=()
        for p in "${PROGS[@]}"; do
            if [[ $set == benchmark ]]; then args=${SIZE[$p]}; else args=${SMALL[$p]}; fi
            read -r -a a <<< "$args"
            declare -A BEST=()
            echo "threshold $p $args ..." >&2
            rounds=$ROUNDS
            if [[ $set == default ]]; then rounds=$SMALL_ROUNDS; fi
            for ((r = 0; r < rounds; r++)); do
                # Interleaved, starting one later each round, so noise and position hit every threshold alike.
                for ((k = 0; k < ${#THRESHOLDS[@]}; k++)); do
                    t=${THRESHOLDS[(k + r) % ${#THRESHOLDS[@]}]}
                    s=$(run_time "$p" "$t" "${a[@]}")
                    BEST[$t]=$(awk -v b="${BEST[$t]:-none}" -v s="$s" 'BEGIN { print (b == "none" || s < b) ? s : b }')
                done
            done
            row="| $p $args |"
            for t in "${THRESHOLDS[@]}"; do
                row+=$(awk -v s="${BEST[$t]}" -v z="${BEST[0]}" 'BEGIN { printf " %.1f (%.2f) |", s * 1e3, s / z }')
                LOGREL[$t]=$(awk -v acc="${LOGREL[$t]:-0}" -v s="${BEST[$t]}" -v z="${BEST[0]}" 'BEGIN { printf "%.9f", acc + log(s / z) }')
            done
            echo "$row"
            unset BEST
        done
        row="| **geometric mean vs 0** |"
        for t in "${THRESHOLDS[@]}"; do row+=$(awk -v s="${LOGREL[$t]}" -v n="${#PROGS[@]}" 'BEGIN { printf " **%.3f** |", exp(s / n) }'); done
        echo "$row"
        echo
        unset LOGREL
    done
fi
