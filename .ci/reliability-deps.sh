#!/usr/bin/env bash
# Tools the reliability tests (src-test io.cgwatch.reliability, docs/reliability.md) run for real: wrk (200
# concurrent scrapes), curl (TLS and basic auth), strace (the read-only proof), python3 (cgroup names that are not
# UTF-8, a 10,000-deep chain), openssl (a throwaway certificate), util-linux (unshare, setpriv). Installed only when
# missing. Cost: nothing when present; about 20 s of apt on a fresh Debian machine.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v strace >/dev/null || need+=(strace)
command -v python3 >/dev/null || need+=(python3)
command -v openssl >/dev/null || need+=(openssl)
{ command -v unshare >/dev/null && command -v setpriv >/dev/null; } || need+=(util-linux)
if ((${#need[@]})); then
  apt-get update
  apt-get install -y --no-install-recommends "${need[@]}"
fi
wrk --version 2>&1 | head -1 || true
strace -V | head -1
