#!/bin/sh
# Stand-in, NOT Grafana (Grafana cannot run where keiko-mon's tests run). busybox `nc -ll -e` runs this script once
# per connection; it answers the few endpoints of Grafana's documented HTTP API (docs/sources/developers/http_api:
# other.md, admin.md, data_source.md) that keiko-mon uses, so tests can check what keiko-mon asks of Grafana, never
# what Grafana itself does:
#   GET  /api/health                                   no auth, like Grafana
#   POST /api/admin/provisioning/datasources/reload    basic auth as admin; re-reads the datasource files
#   POST /api/admin/provisioning/dashboards/reload     basic auth as admin
#   GET  /api/datasources/uid/:uid                     basic auth; the datasource as of the last provisioning
#   GET  /metrics                                      one gauge, so Prometheus has something to scrape
# The admin password is the file GF_SECURITY_ADMIN_PASSWORD__FILE names, as Grafana reads it. No auth: 401
# "Unauthorized"; a wrong password: 401 "Invalid username or password". The datasource files are read with a small
# awk parser for the shape keiko-mon renders (a list of maps, jsonData one level deep), not a YAML parser.
# `handle.sh provision` provisions once and exits (run at start, as Grafana provisions at start).

STATE=/var/lib/grafana/standin-datasources
PROVISIONING=/etc/grafana/provisioning

provision() {
  tmp="$STATE.new.$$"
  rm -rf "$tmp" && mkdir -p "$tmp" || return 1
  for f in "$PROVISIONING"/datasources/*.yml "$PROVISIONING"/datasources/*.yaml; do
    [ -f "$f" ] || continue
    busybox awk -v out="$tmp" -v base="$(ls "$tmp" | busybox wc -l)" '
      function flush() {
        if (uid != "") {
          file = out "/" uid ".json"
          printf "{\"id\":%d,\"orgId\":1,\"uid\":\"%s\",\"name\":\"%s\",\"type\":\"%s\",\"access\":\"%s\",\"url\":\"%s\",\"isDefault\":%s,\"readOnly\":true,\"jsonData\":{%s}}", base + n, uid, name, type, access, url, isDefault, jsonData > file
          close(file)
        }
        uid = name = type = access = url = jsonData = ""; isDefault = "false"; inJsonData = 0
      }
      function value(line) { sub(/^ *[A-Za-z_]+: */, "", line); gsub(/"/, "", line); return line }
      /^  - / { flush(); n++; sub(/^  - /, "    ") }
      /^    [A-Za-z_]+:/ {
        key = $1; sub(/:$/, "", key); v = value($0); inJsonData = 0
        if (key == "uid") uid = v; else if (key == "name") name = v; else if (key == "type") type = v
        else if (key == "access") access = v; else if (key == "url") url = v
        else if (key == "isDefault") isDefault = (v == "true" ? "true" : "false")
        else if (key == "jsonData") inJsonData = 1
        next
      }
      /^      [A-Za-z_]+:/ && inJsonData {
        key = $1; sub(/:$/, "", key)
        jsonData = jsonData (jsonData == "" ? "" : ",") "\"" key "\":\"" value($0) "\""
        next
      }
      /^[^ ]/ { flush() }
      END { flush() }
    ' "$f" || return 1
  done
  rm -rf "$STATE.old" && { [ ! -d "$STATE" ] || busybox mv "$STATE" "$STATE.old"; } && busybox mv "$tmp" "$STATE" && rm -rf "$STATE.old"
}

if [ "$1" = provision ]; then
  provision
  exit $?
fi

respond() { # status, reason, JSON body
  printf 'HTTP/1.1 %s %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "${#3}" "$3"
}

cr=$(printf '\r')
read -r method target version
auth=""
while read -r header; do
  header=${header%"$cr"}
  [ -z "$header" ] && break
  case "$header" in
    [Aa]uthorization:*) auth=${header#*: } ;;
  esac
done
path=${target%%\?*}

case "$method $path" in
  "GET /api/health")
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
  *)
    respond 404 'Not Found' '{"message":"Not found"}' ;;
esac
