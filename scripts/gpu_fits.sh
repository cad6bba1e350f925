#!/usr/bin/env bash
# Several fits of the tagger at once on one GPU, from one feature cache (no spaCy needed there).
#
#   bash scripts/gpu_fits.sh CACHE OUT CONFIG [CONFIG...]
#
# Each CONFIG (a training TOML; its data settings must match the cache's, else E006) is fitted by
# `python3 -m onrecord.training.train CACHE OUT/NAME.pt --config CONFIG --device cuda`, all of them in
# parallel, NAME being the config's file name without .toml; each run's log is OUT/NAME.log. The
# script waits for all and exits non-zero if any failed. Bring the weights back and export them
# with `onrecord train polnear PATH --cache CACHE --config CONFIG --weights OUT/NAME.pt --out DIR`.
#
# On this project's lent GPU machine (the `device` tool: docs/how-it-works.md, "The transformer encoder"), with
# the cache in the git-ignored .gpu/ folder and named in `carry`:
#   bash scripts/gpu_fits.sh .gpu/feats $OUT onrecord/learn/tagger-minilm.toml .gpu/variant.toml
# Three fits of the shipped recipe shared an H200 at about 30 s an epoch each (2026-11-30);
# the 3-layer checkpoints are 14 MB each, and a call brings back at most 8 files of 16 MB.
set -uo pipefail

if (($# < 3)); then
    printf 'usage: bash scripts/gpu_fits.sh CACHE OUT CONFIG [CONFIG...]\n' >&2
    exit 2
fi
cache=$1
out=$2
shift 2
[[ -f $cache/cache.json ]] || { printf 'gpu_fits: %s is not a feature cache (no cache.json)\n' "$cache" >&2; exit 2; }
mkdir -p "$out"
export PYTHONUNBUFFERED=1
# cuBLAS needs this for deterministic products (torch.use_deterministic_algorithms)
export CUBLAS_WORKSPACE_CONFIG=${CUBLAS_WORKSPACE_CONFIG:-:4096:8}
PYTHON=${PYTHON:-python3}
threads=${THREADS:-4}
device=${DEVICE:-cuda}  # DEVICE=cpu runs the same fits without a GPU (the tests do)

# every config checked before any fit starts, so that a usage error leaves nothing running
declare -A seen=()
for config in "$@"; do
    [[ -f $config ]] || { printf 'gpu_fits: no config %s\n' "$config" >&2; exit 2; }
    name=$(basename "$config" .toml)
    [[ -z ${seen[$name]:-} ]] || { printf 'gpu_fits: two configs named %s\n' "$name" >&2; exit 2; }
    seen[$name]=1
done

declare -A pids=()
for config in "$@"; do
    name=$(basename "$config" .toml)
    "$PYTHON" -m onrecord.training.train "$cache" "$out/$name.pt" --config "$config" --device "$device" \
        --threads "$threads" >"$out/$name.log" 2>&1 &
    pids[$name]=$!
    printf 'gpu_fits: %s started (pid %s)\n' "$name" "${pids[$name]}"
done

started=$SECONDS
failed=0
for name in "${!pids[@]}"; do
    if wait "${pids[$name]}"; then
        printf 'gpu_fits: %s done: %s\n' "$name" "$(tail -n 1 "$out/$name.log")"
    else
        failed=1
        printf 'gpu_fits: %s FAILED; the end of its log:\n' "$name"
        tail -n 20 "$out/$name.log"
    fi
done
printf 'gpu_fits: all ended in %d s\n' "$((SECONDS - started))"
exit "$failed"
