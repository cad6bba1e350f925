#!/usr/bin/env bash
# Set up .venv for onrecord: the hashed lock (requirements/lock.txt), then onrecord itself, editable.
#
#   bash scripts/setup.sh           # run and test
#   bash scripts/setup.sh --train   # also PyTorch (CPU) and onnx, for `onrecord train` and its tests
#
# Idempotent. Creates .venv with python3 (>= 3.11; set PYTHON to use another interpreter) when it
# is missing, and upgrades nothing that the lock does not pin (not even pip). The install is skipped
# when .venv/.onrecord-lock.sha256 records the current lock.txt and pyproject.toml, so a second run
# takes about a second. onrecord is built with the lock's setuptools (--no-build-isolation), so pip
# fetches no unpinned build tools.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
LOCK=requirements/lock.txt
TRAIN_LOCK=requirements/train.txt
TRAIN=no
for arg in "$@"; do
    case $arg in
        --train) TRAIN=yes ;;
        *) printf 'setup: error: unknown option %s (use --train or nothing)\n' "$arg" >&2; exit 2 ;;
    esac
done
STAMP=$VENV/.onrecord-lock.sha256
PIP=(env PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 "$VENV/bin/python" -m pip)

# pip install -q, less the warning this machine's pip config (a file:// extra index without
# that package) prints for every package; the output comes at the end, all of it on failure.
pip_install() {
    local log rc=0
    log=$(mktemp)
    "${PIP[@]}" install -q "$@" >"$log" 2>&1 || rc=$?
    if ((rc)); then
        cat "$log"
    else
        grep -v -e "is ignored: it is neither a file nor a directory" "$log" || true
    fi
    rm -f "$log"
    return "$rc"
}

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# Succeeds when the interpreter given is Python 3.11 or later.
is_311() { "$1" -c 'import sys; raise SystemExit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; }

[[ -f $LOCK ]] || die "$LOCK is missing (run from an onrecord checkout)"

if [[ ! -x $VENV/bin/python ]]; then
    command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found on PATH: onrecord needs Python >= 3.11"
    is_311 "$PYTHON" || die "$PYTHON is $("$PYTHON" --version 2>&1); onrecord needs Python >= 3.11 (set PYTHON=python3.11 or later)"
    say "creating $VENV with $("$PYTHON" --version 2>&1)"
    existed=no
    [[ ! -e $VENV ]] || existed=yes
    if ! "$PYTHON" -m venv "$VENV"; then
        [[ $existed == yes ]] || rm -rf "$VENV"
        die "'$PYTHON -m venv' failed (on Debian/Ubuntu, install the python3-venv package)"
    fi
elif ! is_311 "$VENV/bin/python"; then
    die "$VENV has $("$VENV/bin/python" --version 2>&1 || echo 'a broken python'); onrecord needs Python >= 3.11: remove $VENV and run again"
fi

# The stamp records the lock and pyproject.toml (entry points, package data) as installed.
want=$(sha256sum "$LOCK" pyproject.toml)
[[ $TRAIN == no ]] || want+=$'\n'$(sha256sum "$TRAIN_LOCK")
# onrecord must import from this checkout, not from a tree the venv was copied from (-I: not
# from the current directory either).
here=$("$VENV/bin/python" -I -c 'import os, sys; print(os.path.realpath(sys.argv[1]))' onrecord)
installed=$("$VENV/bin/python" -I -c 'import os, onrecord; print(os.path.dirname(os.path.realpath(onrecord.__file__)))' 2>/dev/null || true)
if [[ -f $STAMP && $(<"$STAMP") == "$want" && $installed == "$here" ]]; then
    say "$VENV is up to date with $LOCK ($("$VENV/bin/python" --version 2>&1)): nothing to install"
    exit 0
fi

rm -f "$STAMP"
start=$SECONDS
# --no-deps: each lock is complete (tests/test_lock.py proves it), so pip has nothing to resolve.
# Without it pip resolves again while it installs, and a requirement that carries an extra
# (justext's lxml[html_clean]) reaches for the newest release the registry serves, which no
# lock pins: set-up then fails in hash mode on the day the registry moves on.
say "installing $LOCK into $VENV (--no-deps --require-hashes)"
pip_install --no-deps --require-hashes -r "$LOCK"
if [[ $TRAIN == yes ]]; then
    say "installing $TRAIN_LOCK (PyTorch, CPU build; --no-deps --require-hashes)"
    pip_install --no-deps --require-hashes -r "$TRAIN_LOCK"
fi
say "installing onrecord from . (editable, --no-deps)"
pip_install --no-deps --no-build-isolation -e .
# --no-deps trusts the lock; pip check proves it held: every installed package's requirements met.
say "checking what is installed (pip check)"
if ! check=$("${PIP[@]}" check 2>&1); then
    printf '%s\n' "$check" >&2
    die "the installed packages do not meet each other's requirements (above: each names the package that is missing or at the wrong version). A lock lacks a package or pins a conflicting one: regenerate it as requirements/README.md says, or add the package named above"
fi
printf '%s\n' "$want" >"$STAMP"
say "done in $((SECONDS - start))s: $("$VENV/bin/python" -m pip list --format=freeze 2>/dev/null | wc -l) packages in $VENV; run tools as $VENV/bin/onrecord, $VENV/bin/python -m pytest"
