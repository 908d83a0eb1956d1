#!/usr/bin/env bash
# Runs every Faultline test. Installs what the tests need when it is missing (PostgreSQL, and
# later Chromium, npm packages and promtool), builds with warnings as errors, runs all test
# projects, and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

have_postgres() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

log "Checking test prerequisites"
have_postgres || { echo "Installing PostgreSQL"; apt_install postgresql; }
command -v node >/dev/null 2>&1 || { echo "Installing Node.js"; apt_install nodejs npm; }
# --- dashboard browser tests: Debian's Chromium, driven by Playwright for .NET (its own browser download cannot work here)
command -v chromium >/dev/null 2>&1 || { echo "Installing Chromium"; apt_install chromium; }
# --- end dashboard browser tests
# An unchanged @sentry/node reports to a real server in the ingest tests.
if [ ! -d tests/sentry-node/node_modules/@sentry/node ]; then
  echo "Installing tests/sentry-node (npm ci)"
  (cd tests/sentry-node && npm ci --no-audit --no-fund --loglevel=error) || { echo "0 passed, 1 failed"; exit 1; }
fi

log "Building"
dotnet build Faultline.slnx -c Debug -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

log "Running tests"
# One test project at a time: the machines have two cores, and the reliability suite measures
# recovery times that a parallel browser or server suite would distort.
results=$(mktemp)
rm -f artifacts/reliability.txt
dotnet test --solution Faultline.slnx --no-build -c Debug --max-parallel-test-modules 1 2>&1 | tee "$results"
status=${PIPESTATUS[0]}

# The summary dotnet test prints for the whole run: "succeeded: N", "failed: N", "error: N".
passed=$(grep -E '^\s+succeeded: [0-9]+' "$results" | tail -1 | grep -oE '[0-9]+' || echo 0)
failed=$(grep -E '^\s+failed: [0-9]+' "$results" | tail -1 | grep -oE '[0-9]+' || echo 0)
errors=$(grep -E '^\s+error: [0-9]+' "$results" | tail -1 | grep -oE '[0-9]+' || echo 0)
rm -f "$results"

# A test assembly that crashed or ran nothing is a failure even when no single test failed.
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=$(( ${errors:-0} > 0 ? errors : 1 )); fi

# --- Prometheus rules (monitoring): promtool from Debian's prometheus package. Each promtool
# run (the syntax check, then each unit-test file) counts as one test in the tally.
log "Checking Prometheus alert rules"
command -v promtool >/dev/null 2>&1 || { echo "Installing promtool"; apt_install --no-install-recommends prometheus; }
promtool_run() {
  if "$@"; then passed=$(( ${passed:-0} + 1 )); else failed=$(( ${failed:-0} + 1 )); status=1; fi
}
promtool_run promtool check rules deploy/prometheus/alerts.yml
for rule_test in tests/prometheus/*.yml; do promtool_run promtool test rules "$rule_test"; done
# --- end Prometheus rules

# --- VS Code extension (editors/vscode): when npm exists, build the .vsix (gitignored) from the
# committed lock file; the build counts as one test in the tally.
if command -v npm >/dev/null 2>&1; then
  log "Packaging the VS Code extension"
  if (cd editors/vscode && npm ci --no-audit --no-fund --loglevel=error && npm run package); then
    passed=$(( ${passed:-0} + 1 ))
  else
    failed=$(( ${failed:-0} + 1 )); status=1
  fi
fi
# --- end VS Code extension

# The reliability suite's figures (dotnet test shows a passing test's output only on failure).
if [ -f artifacts/reliability.txt ]; then log "Reliability figures"; cat artifacts/reliability.txt; fi

echo
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ]
