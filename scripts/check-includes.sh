#!/usr/bin/env bash
# Keeps the dependency graph of STYLE.md true: fails when a file includes a header of a
# folder its own folder may not depend on. Run by ctest (test "layering").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# folder -> the project folders it may include (besides itself).
declare -A allowed=(
  [core]=""
  [config]="core"
  [store]="core"
  [store/sql]="store core"
  [store/sqlite]="store/sql store core"
  [store/postgres]="store/sql store core"
  [mapping]="config core"
  [scim]="store core"
  [connectors/webhook]="store core"
  [connectors/ldap]="core"
  [daemon/http]="scim core"
  [daemon/reconcile]="daemon mapping config store core"  # daemon: log.h and free_memory.h only
  [daemon/sources]="daemon connectors/ldap config store core"  # daemon: log.h and free_memory.h only
  [daemon/service]="core"  # systemd notification, heartbeat, status line
  [daemon/metrics]=""  # counters, gauges, histograms and their text format
  [daemon/admin]="daemon/http daemon/metrics scim store core"  # /healthz /readyz /metrics /status
  [daemon]="daemon/admin daemon/http daemon/metrics daemon/reconcile daemon/service daemon/sources scim connectors/ldap connectors/webhook mapping store/sqlite store/postgres store/sql config store core"
)
# Folders that may include Boost.Beast / Boost.Asio (one translation unit in practice:
# daemon/http/http_server.cpp).
beast_allowed="daemon daemon/http"

status=0
for folder in "${!allowed[@]}"; do
  [ -d "$folder" ] || continue
  # Files directly in this folder (sub-folders are checked as folders of their own).
  while IFS= read -r file; do
    while IFS= read -r inc; do
      target=$(dirname "$inc")
      [ "$target" = "$folder" ] && continue
      ok=0
      for a in ${allowed[$folder]}; do [ "$target" = "$a" ] && ok=1; done
      if [ $ok = 0 ]; then
        echo "$file: includes \"$inc\": $folder may not depend on $target" >&2
        status=1
      fi
    done < <(sed -n 's/^#include "\([a-z_/]*\/[a-z_]*\.h\)".*/\1/p' "$file")
    if [[ " $beast_allowed " != *" $folder "* ]] && grep -qE '^#include <boost/(beast|asio)' "$file"; then
      echo "$file: includes Boost.Beast/Asio, which only daemon/ may" >&2
      status=1
    fi
  done < <(find "$folder" -maxdepth 1 -name '*.h' -o -maxdepth 1 -name '*.cpp')
done
[ $status = 0 ] && echo "layering: every include follows the dependency graph"
exit $status
