#!/usr/bin/env bash
# Tools the packaging tests in the Maven build need (issue 10), installed only when missing: zsh (completion
# test), man-db (man -l renders the generated man pages), systemd (systemd-analyze verify/security of the unit).
# Cost: nothing when present (this machine); on a bare Debian, one apt-get of about 15 MB, well under a minute.
set -euo pipefail
need=()
command -v zsh >/dev/null || need+=(zsh)
command -v man >/dev/null || need+=(man-db)
command -v systemd-analyze >/dev/null || need+=(systemd)
if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${need[@]}"
fi
