#!/usr/bin/env bash
# The Debian package that `mvn verify` built (deploy/target/cgwatch_all.deb), checked with the real tools (issue
# 10): lintian, dpkg -i after apt-get of its dependencies, systemd-analyze on the installed unit, the installed
# /usr/bin/cgwatch (diagnose on the live host and on a fixture, serve with the installed config scraped once and
# checked by promtool), then dpkg -r and purge, leaving nothing behind.
# Cost: about 30 s; plus, on a machine without lintian, its apt-get (about 70 s, 60 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
deb=$repo/deploy/target/cgwatch_all.deb
[[ -f $deb ]] || { echo "package.sh: $deb is missing; run mvn -B verify first" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

step() { printf '\n== package: %s\n' "$*"; }

# Dependencies first (dpkg -i does not fetch them): the first alternative of each Depends entry, when missing.
need=()
dpkg-query -W -f='${Status}' lintian 2>/dev/null | grep -q 'ok installed' || need+=(lintian)
command -v curl >/dev/null || need+=(curl)
while read -r dep; do
  name=${dep%% *}
  dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'ok installed' || need+=("$name")
done < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//; s/^ *//')
if ((${#need[@]})); then
  step "apt-get install ${need[*]}"
  apt-get update
  apt-get install -y --no-install-recommends "${need[@]}"
fi

step "lintian"
lintian --fail-on error,warning "$deb"

# Remove whatever the package put in place if a check below fails, so the machine is left as found.
installed=
cleanup() { [[ -n $installed ]] && dpkg -P cgwatch >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "dpkg -i"
dpkg -i "$deb"
installed=1
dpkg-query -W -f='${Package} ${Version} ${Status}\n' cgwatch
dpkg-query -W -f='${Conffiles}\n' cgwatch | grep -q '^ /etc/cgwatch/cgwatch.yml ' \
  || { echo "package.sh: /etc/cgwatch/cgwatch.yml is not a conffile" >&2; exit 1; }

step "systemd-analyze verify and security (installed unit)"
systemd-analyze verify /lib/systemd/system/cgwatch.service
systemd-analyze security --offline=true --no-pager /lib/systemd/system/cgwatch.service | tail -1

step "installed cgwatch"
[[ $(command -v cgwatch) == /usr/bin/cgwatch ]] || echo "note: cgwatch on PATH is $(command -v cgwatch)"
/usr/bin/cgwatch --version
MANPAGER=cat MANWIDTH=80 man cgwatch-diagnose | head -5
bash -c 'source /usr/share/bash-completion/completions/cgwatch && complete -p cgwatch'
# diagnose is a monitoring check: 0 OK, 1 WARNING, 2 CRITICAL are answers; 3 (UNKNOWN) or more is a failure here.
rc=0; /usr/bin/cgwatch diagnose || rc=$?
((rc <= 2)) || { echo "package.sh: installed cgwatch diagnose exited $rc" >&2; exit 1; }
out=$(cd / && /usr/bin/cgwatch diagnose --host-root "$repo/fixtures/hosts/unified-6.1-dying")
grep -q '^dying memory cgroups: 5 ' <<<"$out" || { echo "$out"; echo "package.sh: fixture diagnose is wrong" >&2; exit 1; }
echo "diagnose --host-root fixtures/hosts/unified-6.1-dying: $(grep '^dying memory cgroups' <<<"$out")"

step "installed cgwatch serve with the installed config"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
/usr/bin/cgwatch serve --config /etc/cgwatch/cgwatch.yml --listen "127.0.0.1:$port" \
  --host-root "$repo/fixtures/hosts/unified-6.1-dying" >"$log" 2>&1 &
serve_pid=$!
ok=
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ok=1; break; fi
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.25
done
if [[ -z $ok ]]; then cat "$log"; kill "$serve_pid" 2>/dev/null || true; echo "package.sh: serve never got ready" >&2; exit 1; fi
curl -fsS "http://127.0.0.1:$port/metrics" > "$log.prom"
grep '^cgwatch_dying_memory_cgroups' "$log.prom"
promtool check metrics < "$log.prom" || true  # lint notes only; the e2e tests hold the exposition to promtool
echo "serve RSS after the first scan: $(ps -o rss= -p "$serve_pid") KiB"
kill -TERM "$serve_pid"; wait "$serve_pid" || { echo "package.sh: serve did not exit 0 on SIGTERM" >&2; exit 1; }
rm -f "$log" "$log.prom"

step "dpkg -r keeps the conffile, purge removes everything"
dpkg -r cgwatch
[[ ! -e /usr/bin/cgwatch && ! -e /usr/share/cgwatch ]] || { echo "package.sh: files left after dpkg -r" >&2; exit 1; }
[[ -f /etc/cgwatch/cgwatch.yml ]] || { echo "package.sh: dpkg -r removed the conffile" >&2; exit 1; }
dpkg -P cgwatch
installed=
left=$(ls -d /etc/cgwatch /lib/systemd/system/cgwatch.service /etc/systemd/system/*/cgwatch.service \
  /var/lib/systemd/deb-systemd-helper-enabled/cgwatch.service* 2>/dev/null || true)
[[ -z $left ]] || { echo "package.sh: left after purge: $left" >&2; exit 1; }
! dpkg-query -W cgwatch >/dev/null 2>&1 || dpkg-query -W -f='${Status}\n' cgwatch | grep -q 'not-installed' \
  || { echo "package.sh: dpkg still knows cgwatch after purge" >&2; exit 1; }
echo "package: installed, checked, removed and purged cleanly"
