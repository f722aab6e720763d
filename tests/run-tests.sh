#!/usr/bin/env bash
# Runs every test project of the solution and ends with the line "N passed, N failed, N skipped"
# (summed over all projects). Exits non-zero when any test failed or none ran.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
dotnet test --solution MailerQ.Www.sln -c Release --no-progress 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
num() { grep -E "^\s*$1: [0-9]+" "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
passed=$(num succeeded); failed=$(num failed); skipped=$(num skipped)
rm -f "$log"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$rc" -eq 0 ] && [ "$passed" -gt 0 ]
