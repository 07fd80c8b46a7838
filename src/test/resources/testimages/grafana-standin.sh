#!/bin/sh
# Stand-in, NOT Grafana (Grafana cannot run where keiko-mon's tests run). busybox `nc -ll -e` runs this script once
# per connection; it answers the few endpoints of Grafana's documented HTTP API (docs/sources/developers/http_api:
# other.md, admin.md, data_source.md) that keiko-mon uses, so tests can check what keiko-mon asks of Grafana, never
# what Grafana itself does:
#   GET  /api/health                                   no auth, like Grafana
#   POST /api/admin/provisioning/datasources/reload    basic auth as admin; re-reads the datasource files
#   POST /api/admin/provisioning/dashboards/reload     basic auth as admin; re-reads the dashboard files
#   GET  /api/datasources                              basic auth; every datasource as of the last provisioning
#   GET  /api/datasources/uid/:uid                     basic auth; the datasource as of the last provisioning
#   GET  /api/datasources/uid/:uid/health              basic auth; {"status": "OK"|"ERROR", "message": ...}, ERROR as
#                                                      400: queries 1+1 at the datasource url with its basicAuthUser
#                                                      and basicAuthPassword (plain or $__file{...}), through busybox
#                                                      nc and, for https, ssl_client (this busybox's wget crashes on
#                                                      HTTPS), which checks no certificate where Grafana does
#   GET  /api/search?type=dash-db&limit=&page=         basic auth; dashboards by title, `limit` (default 1000, at most
#                                                      5000) a page from `page` 1; no folders are modelled (dash-folder
#                                                      finds none) and `id` is the row in that order
#   GET  /api/folders                                  basic auth; [] (no folders are modelled)
#   GET  /api/dashboards/uid/:uid                      basic auth; {"dashboard": ..., "meta": {"provisioned": ...}}
#   POST /api/dashboards/db                            basic auth; saves {"dashboard": {"uid": ..., "title": ...}};
#                                                      400 for a provisioned uid, as Grafana refuses API saves there
#   GET  /metrics                                      one gauge, so Prometheus has something to scrape
# Dashboards live where Grafana keeps them: with GF_DATABASE_TYPE=postgres in the PostgreSQL database that
# GF_DATABASE_HOST/NAME/USER and GF_DATABASE_PASSWORD__FILE name (through Debian's psql; /api/health answers 503
# "database": "failing" while it cannot be reached, as Grafana's does), otherwise in files on its volume. Provisioned
# dashboards (the "uid" and "title" of each file under /etc/grafana/dashboards) are written there at start and on a
# dashboards reload (a file removed since is not deleted, unlike Grafana).
# The admin password is the file GF_SECURITY_ADMIN_PASSWORD__FILE names, as Grafana reads it. No auth: 401
# "Unauthorized"; a wrong password: 401 "Invalid username or password". The datasource files are read with a small
# awk parser for the shape keiko-mon renders (a list of maps; jsonData one level deep plus lists of flat maps),
# not a YAML parser.
# `grafana.sh provision` provisions once and exits (run at start, as Grafana provisions at start); `grafana.sh query`
# is the datasource health check's side of a connection.

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

store_list() { # "title<TAB>uid" of every dashboard, one a line
  if [ "$GF_DATABASE_TYPE" = postgres ]; then
    db -c "SELECT title || chr(9) || uid FROM standin_dashboard" 2>/dev/null
  else
    for f in "$DASHBOARDS"/*.json; do
      [ -f "$f" ] || continue
      uid=${f##*/}; printf '%s\t%s\n' "$(json_string title < "$f")" "${uid%.json}"
    done
  fi
}

param() { # the value of query parameter $1 in $target, empty when absent
  case "$target" in *\?*) ;; *) return ;; esac
  printf '%s' "${target#*\?}" | busybox tr '&' '\n' | busybox sed -n "s/^$1=//p" | busybox head -n 1
}

datasource_health() { # uid of a provisioned datasource: Grafana's check, a query of 1+1 through its url
  url=$(json_string url < "$STATE/$1.json")
  hostport=${url#*://}; hostport=${hostport%%/*}
  case "$hostport" in
    *:*) host=${hostport%:*}; port=${hostport##*:} ;;
    *) host=$hostport; case "$url" in https:*) port=443 ;; *) port=80 ;; esac ;;
  esac
  credentials=""
  if busybox grep -q '"basicAuth":true' "$STATE/$1.json"; then
    password=$(cat "$STATE/$1.basicAuthPassword" 2>/dev/null)
    case "$password" in
      '$__file{'*'}') file=${password#'$__file{'}; password=$(cat "${file%\}}" 2>/dev/null) ;;
    esac
    credentials=$(printf '%s:%s' "$(json_string basicAuthUser < "$STATE/$1.json")" "$password" | busybox base64 -w 0)
  fi
  answer="/var/lib/grafana/standin-health.$$"
  error=$(busybox timeout 5 busybox nc -w 3 "$host" "$port" -e /bin/sh "$0" query "$answer" "${url%%:*}" "$host" \
    "$credentials" 2>&1 | busybox tr -d '"\n')
  status=$(busybox head -n 1 "$answer" 2>/dev/null | busybox tr -d '\r"'); rm -f "$answer"
  case "$status" in
    "HTTP/1."?" 200"*) respond 200 OK '{"message":"Successfully queried the Prometheus API.","status":"OK"}' ;;
    HTTP/*) respond 400 'Bad Request' "{\"message\":\"Prometheus answered ${status#* }\",\"status\":\"ERROR\"}" ;;
    *) respond 400 'Bad Request' "{\"message\":\"Post \\\"$url/api/v1/query\\\": ${error:-no answer}\",\"status\":\"ERROR\"}" ;;
  esac
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
          printf "{\"id\":%d,\"orgId\":1,\"uid\":\"%s\",\"name\":\"%s\",\"type\":\"%s\",\"access\":\"%s\",\"url\":\"%s\",\"basicAuth\":%s,\"basicAuthUser\":\"%s\",\"isDefault\":%s,\"readOnly\":true,\"jsonData\":{%s}}", base + n, uid, name, type, access, url, basicAuth, basicAuthUser, isDefault, jsonData > file
          close(file)
          # as the provisioning file has it, e.g. $__file{/run/secrets/prometheus_password}; only the health check reads it
          if (password != "") { file = out "/" uid ".basicAuthPassword"; printf "%s", password > file; close(file) }
        }
        uid = name = type = access = url = jsonData = basicAuthUser = password = ""; isDefault = basicAuth = "false"
        inJsonData = inSecure = 0
      }
      function value(line) { sub(/^ *(- )?[A-Za-z_]+: */, "", line); gsub(/"/, "", line); return line }
      function add(member) { jsonData = jsonData (jsonData == "" ? "" : ",") member }
      function endItem() { if (item != "") { list = list (list == "" ? "" : ",") "{" item "}"; item = "" } }
      function endList() { if (listKey != "") { endItem(); add("\"" listKey "\":[" list "]"); listKey = list = "" } }
      /^  - / { flush(); n++; sub(/^  - /, "    ") }
      /^    [A-Za-z_]+:/ {
        endList()
        key = $1; sub(/:$/, "", key); v = value($0); inJsonData = 0; inSecure = (key == "secureJsonData")
        if (key == "uid") uid = v; else if (key == "name") name = v; else if (key == "type") type = v
        else if (key == "access") access = v; else if (key == "url") url = v
        else if (key == "isDefault") isDefault = (v == "true" ? "true" : "false")
        else if (key == "basicAuth") basicAuth = (v == "true" ? "true" : "false")
        else if (key == "basicAuthUser") basicAuthUser = v
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
      /^      basicAuthPassword:/ && inSecure { password = value($0); next }
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

if [ "$1" = query ]; then # `query FILE SCHEME HOST CREDENTIALS` under nc -e: the connection is stdin/stdout
  request() {
    printf 'GET /api/v1/query?query=1%%2B1 HTTP/1.0\r\nHost: %s\r\n' "$1"
    [ -z "$2" ] || printf 'Authorization: Basic %s\r\n' "$2"
    printf '\r\n'
  }
  if [ "$3" = https ]; then
    # busybox's TLS client: it checks no certificate, where Grafana checks the datasource's tlsCACert
    exec 3<&0 </dev/null
    request "$4" "$5" | busybox ssl_client -s 3 -n "$4" > "$2"
  else
    request "$4" "$5"; busybox cat > "$2"
  fi
  exit 0
fi

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
    if provision_dashboards; then
      respond 200 OK '{"message":"Dashboards config reloaded"}'
    else
      respond 500 'Internal Server Error' '{"message":"Failed to reload dashboards config"}'
    fi ;;
  "GET /api/datasources")
    respond 200 OK "[$(for f in "$STATE"/*.json; do [ -f "$f" ] && cat "$f" && printf ,; done | busybox sed 's/,$//')]" ;;
  "GET /api/datasources/uid/"*/health)
    uid=${path#/api/datasources/uid/}; uid=${uid%/health}
    case "$uid" in
      ""|*/*|.*) respond 404 'Not Found' '{"message":"Data source not found"}' ;;
      *) if [ -f "$STATE/$uid.json" ]; then
           datasource_health "$uid"
         else
           respond 404 'Not Found' '{"message":"Data source not found"}'
         fi ;;
    esac ;;
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
  "GET /api/folders")
    respond 200 OK '[]' ;;
  "GET /api/search")
    limit=$(param limit); page=$(param page); type=$(param type)
    case "$limit" in ""|*[!0-9]*|0) limit=1000 ;; esac
    [ "$limit" -gt 5000 ] && limit=5000
    case "$page" in ""|*[!0-9]*|0) page=1 ;; esac
    if [ "$type" = dash-folder ]; then
      respond 200 OK '[]'
    else
      respond 200 OK "[$(store_list | busybox sort -f | busybox awk -F "$tab" -v first=$(( (page - 1) * limit )) \
        -v limit="$limit" 'NR > first && NR <= first + limit {
          slug = tolower($1); gsub(/[^a-z0-9]+/, "-", slug); gsub(/^-|-$/, "", slug)
          printf "%s{\"id\":%d,\"uid\":\"%s\",\"title\":\"%s\",\"uri\":\"db/%s\",\"url\":\"/d/%s/%s\",\"slug\":\"\",\"type\":\"dash-db\",\"tags\":[],\"isStarred\":false}",
            (NR > first + 1 ? "," : ""), NR, $2, $1, slug, $2, slug }')]"
    fi ;;
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
