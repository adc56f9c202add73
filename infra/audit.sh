#!/usr/bin/env bash
# `make audit`: bandit over our code, then pip-audit of every pinned third-party version
# (constraints.txt) against the vulnerability service. Exit 0 only when both really ran and
# found nothing; when the service cannot be reached it says so and exits 2: not audited is
# never reported as clean.
set -uo pipefail
BIN=${BIN:-.venv/bin}

echo "== bandit (medium severity and up; pyproject [tool.bandit] lists the skipped checks)"
"$BIN/bandit" -q -ll -c pyproject.toml -r libs services infra/src e2e/src bench/src chaos/src \
  || exit 1

echo "== pip-audit (constraints.txt, every pin)"
out=$("$BIN/pip-audit" --progress-spinner off --no-deps --disable-pip -r constraints.txt 2>&1)
status=$?
echo "$out"
unaudited=$(grep -c "could not be audited" <<<"$out")
if [[ $status -ne 0 ]] && grep -qiE "connection|resolve|timed out|unreachable|max retries|network" <<<"$out"; then
  echo "pip-audit: the vulnerability service could not be reached: dependencies NOT audited" >&2
  exit 2
fi
if [[ $unaudited -gt 0 ]]; then
  # pip-audit itself exits 0 here: the service answered nothing for these pins.
  echo "pip-audit: $unaudited pinned dependencies could NOT be audited (the vulnerability" \
    "service did not know them or could not be reached): NOT a clean result" >&2
  exit 2
fi
exit $status
