#!/usr/bin/env bash
# Installs the Debian 12 packages that rosterd's build, tests and benchmarks need.
# Idempotent and non-interactive: packages already present are not touched, and
# apt-get runs only when something is missing.
set -euo pipefail

packages=(
  build-essential g++ cmake pkg-config git ca-certificates
  # Boost 1.81 (Debian 12's default 1.74 has no Boost.JSON). Never the unversioned
  # libboost-dev / libboost-all-dev: they conflict with these and remove them.
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libexpected-dev libyaml-cpp-dev libpcre2-dev libldap-dev libcurl4-openssl-dev libsqlite3-dev sqlite3
  libpq-dev libsystemd-dev libssl-dev
  # scripts/run.sh and the benchmarks read JSON and pick free ports with it.
  python3
  libgtest-dev libgmock-dev libbenchmark-dev
  # Tools the HTTP tests and benchmarks drive (a TLS certificate, an HTTPS client, load).
  openssl curl wrk
  # libFuzzer for the parser fuzz targets (clang 14 and its runtime).
  clang libclang-rt-14-dev
  # Real servers started by the integration tests, Samba as an Active Directory domain
  # controller among them. samba-ad-provision holds the AD schema `samba-tool domain
  # provision` reads: only a Recommends of samba-ad-dc, so --no-install-recommends skips it.
  slapd ldap-utils postgresql samba samba-ad-dc samba-ad-provision winbind
  # Headless browser that renders the status page in its test (status_page_chromium_test).
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: missing packages: ${missing[*]}" >&2
  echo "deps.sh: run as root (or install them) and try again" >&2
  exit 2
fi

echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Keep package installs from starting services (slapd, postgresql, samba): the tests start
# their own private instances and a system one would only take ports and memory.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT

apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

# A real machine may have started the system instances anyway: stop them.
for svc in slapd postgresql samba samba-ad-dc smbd nmbd winbind; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" || true
  elif command -v service >/dev/null 2>&1; then
    service "$svc" stop >/dev/null 2>&1 || true
  fi
done
