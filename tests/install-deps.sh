#!/usr/bin/env bash
# Installs the Debian packages the tests talk to, only when missing (CI runs as root on a fresh
# Debian 12), then restores NuGet packages. Package lists: tests/deps/*.txt, one name per line.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t packages < <(cat tests/deps/*.txt | sed 's/#.*//' | awk 'NF{print $1}' | sort -u)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "missing packages: ${missing[*]} (run as root to install)" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  # Packages such as opendkim, unbound or postgresql would start their system service on install; the tests
  # start private instances instead, so forbid service starts for the duration (policy-rc.d, exit 101).
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; own_policy=1; fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi
fi
dotnet restore MailerQ.Www.sln --nologo -v q
