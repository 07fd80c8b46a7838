#!/bin/sh
# Stand-in, NOT Grafana (Grafana cannot run where keiko-mon's tests run). busybox `nc -ll -e` runs this script once
# per connection; it answers the few endpoints of Grafana's documented HTTP API (docs/sources/developers/http_api:
# other.md, admin.md, data_source.md) that keiko-mon uses, so tests can check what keiko-mon asks of Grafana, never
# what Grafana itself does:
#   GET  /api/health                                   no auth, like Grafana
#   POST /api/admin/provisioning/datasources/reload    basic auth as admin; re-reads the datasource files
#   POST /api/admin/provisioning/dashboards/reload     basic auth as admin
#   GET  /api/datasources                              basic auth; every datasource as of the last provisioning
#   GET  /api/datasources/uid/:uid                     basic auth; the datasource as of the last provisioning
#   GET  /api/datasources/uid/:uid/health              basic auth; OK when `url`/api/v1/query answers, else 400 ERROR
#   GET  /api/search?type=dash-db|dash-folder          basic auth; every dashboard on page 1 (no folders, no paging)
#   GET  /api/folders                                  basic auth; [] (the stand-in has no folders)
#   GET  /api/dashboards/uid/:uid                      basic auth; {"dashboard": ..., "meta": {"provisioned": ...}}
#   POST /api/dashboards/db                            basic auth; saves {"dashboard": {"uid": ..., "title": ...}};
#                                                      400 for a provisioned uid, as Grafana refuses API saves there
#   GET  /metrics                                      one gauge, so Prometheus has something to scrape
# Dashboards live where Grafana keeps them: with GF_DATABASE_TYPE=postgres in the PostgreSQL database that
# GF_DATABASE_HOST/NAME/USER and GF_DATABASE_PASSWORD__FILE name (through Debian's psql; /api/health answers 503
# "database": "failing" while it cannot be reached, as Grafana's does), otherwise in files on its volume. Provisioned
# dashboards (the "uid" and "title" of each file under /etc/grafana/dashboards) are written there at start.
# The admin password is the file GF_SECURITY_ADMIN_PASSWORD__FILE names, as Grafana reads it. No auth: 401
# "Unauthorized"; a wrong password: 401 "Invalid username or password". The datasource files are read with a small
# awk parser for the shape keiko-mon renders (a list of maps; jsonData one level deep plus lists of flat maps),
# not a YAML parser.
# `handle.sh provision` provisions once and exits (run at start, as Grafana provisions at start).

STATE=/var/lib/grafana/standin-datasources
DASHBOARDS=/var/lib/grafana/standin-dashboards
PROVISIONING=/etc/grafana/provisioning

db() { # psql on the configured database, unaligned, stopping at the first error
  PGPASSWORD=$(cat "$GF_DATABASE_PASSWORD__FILE" 2>/dev/null) PGCONNECT_TIMEOUT=3 /bin/psql -X -q -t -A \
    -v ON_ERROR_STOP=1 -h "${GF_DATABASE_HOST%%:*}" -U "$GF_DATABASE_USER" -d "$GF_DATABASE_NAME" "$@"
}

json_string() { # the value of the leftmost "key": "value" in a JSON text on stdin
  busybox awk -v key="$1" 'match($0, "\"" key "\" *: *\"[^\"]*\"") {
    v = substr($0, RSTART, RLENGTH); sub(/^"[^"]*" *: *"/, "", v); sub(/"$/, "", v); print v; exit }'
}

store_put() { # uid, title, provisioned (true|false), JSON
  if [ "$GF_DATABASE_TYPE" = postgres ]; then
    printf '%s' "CREATE TABLE IF NOT EXISTS standin_dashboard (uid text PRIMARY KEY, title text NOT NULL,
        provisioned boolean NOT NULL, version integer NOT NULL, data text NOT NULL);
      INSERT INTO standin_dashboard VALUES (:'uid', :'title', :provisioned, 1, :'data')
        ON CONFLICT (uid) DO UPDATE SET title = EXCLUDED.title, provisioned = EXCLUDED.provisioned,
          version = standin_dashboard.version + 1, data = EXCLUDED.data;" \
      | db -v uid="$1" -v title="$2" -v provisioned="$3" -v data="$4" >/dev/null 2>&1
  else
    mkdir -p "$DASHBOARDS" && printf '%s' "$3" > "$DASHBOARDS/$1.provisioned" && printf '%s' "$4" > "$DASHBOARDS/$1.json"
  fi
}

store_get() { # uid -> "provisioned<TAB>JSON", nothing when unknown
  if [ "$GF_DATABASE_TYPE" = postgres ]; then
    printf '%s' "SELECT provisioned::text || chr(9) || data FROM standin_dashboard WHERE uid = :'uid';" \
      | db -v uid="$1" 2>/dev/null
  elif [ -f "$DASHBOARDS/$1.json" ]; then
    printf '%s\t%s' "$(cat "$DASHBOARDS/$1.provisioned")" "$(cat "$DASHBOARDS/$1.json")"
  fi
}

store_list() { # one search hit per dashboard, comma-separated
  if [ "$GF_DATABASE_TYPE" = postgres ]; then
    printf '%s' "SELECT coalesce(string_agg('{\"uid\":\"' || uid || '\",\"title\":\"' || title
        || '\",\"type\":\"dash-db\"}', ',' ORDER BY uid), '') FROM standin_dashboard;" | db 2>/dev/null
  else
    sep=""
    for f in "$DASHBOARDS"/*.json; do
      [ -f "$f" ] || continue
      printf '%s{"uid":"%s","title":"%s","type":"dash-db"}' "$sep" "$(busybox basename "$f" .json)" \
        "$(json_string title < "$f")"
      sep=","
    done
  fi
}

provision_dashboards() {
  for f in /etc/grafana/dashboards/*.json; do
    [ -f "$f" ] || continue
    json=$(cat "$f")
    uid=$(printf '%s' "$json" | json_string uid)
    [ -n "$uid" ] || continue
    store_put "$uid" "$(printf '%s' "$json" | json_string title)" true "$json" || return 1
  done
}

provision() {
  tmp="$STATE.new.$$"
  rm -rf "$tmp" && mkdir -p "$tmp" || return 1
  for f in "$PROVISIONING"/datasources/*.yml "$PROVISIONING"/datasources/*.yaml; do
    [ -f "$f" ] || continue
    busybox awk -v out="$tmp" -v base="$(ls "$tmp" | busybox wc -l)" '
      function flush() {
        endList()
        if (uid != "") {
          file = out "/" uid ".json"
          printf "{\"id\":%d,\"orgId\":1,\"uid\":\"%s\",\"name\":\"%s\",\"type\":\"%s\",\"access\":\"%s\",\"url\":\"%s\",\"isDefault\":%s,\"readOnly\":true,\"jsonData\":{%s}}", base + n, uid, name, type, access, url, isDefault, jsonData > file
          close(file)
        }
        uid = name = type = access = url = jsonData = ""; isDefault = "false"; inJsonData = 0
      }
      function value(line) { sub(/^ *(- )?[A-Za-z_]+: */, "", line); gsub(/"/, "", line); return line }
      function add(member) { jsonData = jsonData (jsonData == "" ? "" : ",") member }
      function endItem() { if (item != "") { list = list (list == "" ? "" : ",") "{" item "}"; item = "" } }
      function endList() { if (listKey != "") { endItem(); add("\"" listKey "\":[" list "]"); listKey = list = "" } }
      /^  - / { flush(); n++; sub(/^  - /, "    ") }
      /^    [A-Za-z_]+:/ {
        endList()
        key = $1; sub(/:$/, "", key); v = value($0); inJsonData = 0
        if (key == "uid") uid = v; else if (key == "name") name = v; else if (key == "type") type = v
        else if (key == "access") access = v; else if (key == "url") url = v
        else if (key == "isDefault") isDefault = (v == "true" ? "true" : "false")
        else if (key == "jsonData") inJsonData = 1
        next
      }
      /^      [A-Za-z_]+:/ && inJsonData {
        endList()
        key = $1; sub(/:$/, "", key); v = value($0)
        # a key without a value opens a list of maps (exemplarTraceIdDestinations)
        if (v == "") listKey = key; else add("\"" key "\":\"" v "\"")
        next
      }
      /^        - [A-Za-z_]+:/ && listKey != "" {
        endItem(); k = $2; sub(/:$/, "", k); item = "\"" k "\":\"" value($0) "\""
        next
      }
      /^          [A-Za-z_]+:/ && listKey != "" {
        k = $1; sub(/:$/, "", k); item = item (item == "" ? "" : ",") "\"" k "\":\"" value($0) "\""
        next
      }
      /^[^ ]/ { flush() }
      END { flush() }
    ' "$f" || return 1
  done
  rm -rf "$STATE.old" && { [ ! -d "$STATE" ] || busybox mv "$STATE" "$STATE.old"; } && busybox mv "$tmp" "$STATE" && rm -rf "$STATE.old"
}

if [ "$1" = provision ]; then
  provision || exit 1
  # like Grafana, keep trying the database at start instead of giving up at once
  for _ in 1 2 3 4 5 6 7 8 9 10; do provision_dashboards && exit 0; sleep 2; done
  exit 0
fi

respond() { # status, reason, JSON body (its length in bytes: dashboards carry non-ASCII text)
  printf 'HTTP/1.1 %s %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "$(printf '%s' "$3" | busybox wc -c)" "$3"
}

cr=$(printf '\r')
tab=$(printf '\t')
read -r method target version
auth=""
length=0
while read -r header; do
  header=${header%"$cr"}
  [ -z "$header" ] && break
  case "$header" in
    [Aa]uthorization:*) auth=${header#*: } ;;
    [Cc]ontent-[Ll]ength:*) length=${header#*: } ;;
  esac
done
path=${target%%\?*}

case "$method $path" in
  "GET /api/health")
    if [ "$GF_DATABASE_TYPE" = postgres ] && ! db -c 'SELECT 1' >/dev/null 2>&1; then
      respond 503 'Service Unavailable' '{"commit":"stand-in","database":"failing","version":"stand-in"}'; exit 0
    fi
    respond 200 OK '{"commit":"stand-in","database":"ok","version":"stand-in"}'; exit 0 ;;
  "GET /metrics")
    body='# HELP keiko_grafana_standin_up The Grafana stand-in is serving.
# TYPE keiko_grafana_standin_up gauge
keiko_grafana_standin_up 1
'
    printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
      "${#body}" "$body"
    exit 0 ;;
esac

password=$(cat "${GF_SECURITY_ADMIN_PASSWORD__FILE:-/run/secrets/grafana_admin_password}" 2>/dev/null)
if [ -z "$auth" ]; then
  respond 401 Unauthorized '{"message":"Unauthorized"}'; exit 0
fi
if [ -z "$password" ] || [ "$auth" != "Basic $(printf 'admin:%s' "$password" | busybox base64 -w 0)" ]; then
  respond 401 Unauthorized '{"message":"Invalid username or password"}'; exit 0
fi

case "$method $path" in
  "POST /api/admin/provisioning/datasources/reload")
    if provision; then
      respond 200 OK '{"message":"Datasources config reloaded"}'
    else
      respond 500 'Internal Server Error' '{"message":"Failed to reload datasources config"}'
    fi ;;
  "POST /api/admin/provisioning/dashboards/reload")
    respond 200 OK '{"message":"Dashboards config reloaded"}' ;;
  "GET /api/datasources")
    body=""
    for f in "$STATE"/*.json; do
      [ -f "$f" ] && body="$body${body:+,}$(cat "$f")"
    done
    respond 200 OK "[$body]" ;;
  "GET /api/datasources/uid/"*/health)
    uid=${path#/api/datasources/uid/}
    uid=${uid%/health}
    url=$(json_string url < "$STATE/$uid.json" 2>/dev/null)
    if [ -z "$url" ]; then
      respond 404 'Not Found' '{"message":"Data source not found"}'
    # no -T: this busybox's wget crashes with it; an unroutable address fails at once anyway
    elif busybox wget -q -O /dev/null "$url/api/v1/query?query=1%2B1" 2>/dev/null; then
      respond 200 OK '{"status":"OK","message":"Successfully queried the Prometheus API."}'
    else
      respond 400 'Bad Request' "{\"status\":\"ERROR\",\"message\":\"stand-in: no answer from $url\"}"
    fi ;;
  "GET /api/search")
    case "$target" in
      *type=dash-folder*|*page=[2-9]*|*page=[1-9][0-9]*) respond 200 OK '[]' ;;
      *) respond 200 OK "[$(store_list)]" ;;
    esac ;;
  "GET /api/folders")
    respond 200 OK '[]' ;;
  "GET /api/datasources/uid/"*)
    uid=${path#/api/datasources/uid/}
    case "$uid" in
      ""|*/*|.*) respond 404 'Not Found' '{"message":"Data source not found"}' ;;
      *) if [ -f "$STATE/$uid.json" ]; then
           respond 200 OK "$(cat "$STATE/$uid.json")"
         else
           respond 404 'Not Found' '{"message":"Data source not found"}'
         fi ;;
    esac ;;
  "GET /api/dashboards/uid/"*)
    uid=${path#/api/dashboards/uid/}
    found=$(store_get "$uid")
    if [ -z "$found" ]; then
      respond 404 'Not Found' '{"message":"Dashboard not found"}'
    else
      respond 200 OK "{\"dashboard\":${found#*"$tab"},\"meta\":{\"provisioned\":${found%%"$tab"*}}}"
    fi ;;
  "POST /api/dashboards/db")
    # the body as keiko-mon's tests send it: {"dashboard": {...}, "overwrite": true} on one line
    body=$(busybox head -c "$length")
    dashboard=$(printf '%s' "$body" | busybox sed -n 's/^{ *"dashboard" *: *\(.*\)} *$/\1/p' | busybox sed 's/, *"overwrite" *: *[a-z]*$//')
    uid=$(printf '%s' "$dashboard" | json_string uid)
    title=$(printf '%s' "$dashboard" | json_string title)
    found=$(store_get "$uid")
    if [ -z "$uid" ] || [ -z "$title" ]; then
      respond 400 'Bad Request' '{"message":"Dashboard title cannot be empty"}'
    elif [ "${found%%"$tab"*}" = true ]; then
      respond 400 'Bad Request' '{"message":"Cannot save provisioned dashboard"}'
    elif store_put "$uid" "$title" false "$dashboard"; then
      respond 200 OK "{\"status\":\"success\",\"uid\":\"$uid\",\"url\":\"/d/$uid\"}"
    else
      respond 500 'Internal Server Error' '{"message":"Failed to save dashboard"}'
    fi ;;
  *)
    respond 404 'Not Found' '{"message":"Not found"}' ;;
esac
