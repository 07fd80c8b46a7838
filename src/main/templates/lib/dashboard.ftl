<#-- Grafana dashboard JSON (schemaVersion 41). The panels, their queries and their places come from keiko-mon;
     this file decides how they look. Strings go through ?json_string; Grafana's $var references are data. -->
<#assign ds = '{"type": "prometheus", "uid": "prometheus"}'>
<#macro dashboard d>
{
  "uid": "${d.uid?json_string}",
  "title": "${d.title?json_string}",
  "tags": [<#list d.tags as t>"${t?json_string}"<#sep>, </#list>],
  "schemaVersion": ${d.schemaVersion()?c},
  "version": 1,
  "editable": true,
  "graphTooltip": 1,
  "refresh": "30s",
  "time": {"from": "now-6h", "to": "now"},
  "timepicker": {},
  "timezone": "browser",
  "annotations": {"list": [
    {"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": true, "hide": true,
     "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"}
  ]},
  "templating": {"list": [
<#list d.variables as v>
    {
      "name": "${v.name?json_string}",
      "label": "${v.label?json_string}",
      "type": "query",
      "datasource": ${ds},
      "definition": "${v.query?json_string}",
      "query": {"query": "${v.query?json_string}", "refId": "PrometheusVariableQueryEditor-VariableQuery"},
      "refresh": 2,
      "sort": 1,
      "multi": true,
      "includeAll": true,
      "allValue": ".+",
      "current": {"selected": true, "text": ["All"], "value": ["$__all"]},
      "options": [],
      "hide": 0
    }<#sep>,</#sep>
</#list>
  ]},
  "panels": [
<#list d.panels as p>
    <@panel p/><#sep>,</#sep>
</#list>
  ]
}
</#macro>

<#macro panel p>
{
      "id": ${p.id?c},
      "type": "${p.type}",
      "title": "${p.title?json_string}",
      "gridPos": {"h": ${p.gridPos.h?c}, "w": ${p.gridPos.w?c}, "x": ${p.gridPos.x?c}, "y": ${p.gridPos.y?c}},
<#if p.isRow()>
      "collapsed": false,
      "panels": []
<#else>
      "description": "${p.description?json_string}",
      "datasource": ${ds},
      "fieldConfig": {"defaults": {"unit": "${p.unit}"<#if p.type == "timeseries">, "custom": {"lineWidth": 1, "fillOpacity": 10, "showPoints": "never"}</#if>}, "overrides": []},
<#if p.type == "stat">
      "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": false}, "colorMode": "value", "graphMode": "area", "textMode": "auto"},
<#elseif p.type == "table">
      "options": {"showHeader": true, "cellHeight": "sm"},
      "transformations": [{"id": "merge", "options": {}}],
<#else>
      "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": true}, "tooltip": {"mode": "multi", "sort": "desc"}},
</#if>
      "targets": [
<#list p.targets as t>
        {"refId": "${t.refId}", "datasource": ${ds}, "expr": "${t.expr?json_string}", "legendFormat": "${t.legendFormat?json_string}", <#if t.instant>"instant": true, "range": false, "format": "table"<#else>"instant": false, "range": true, "format": "time_series"</#if>}<#sep>,</#sep>
</#list>
      ]
</#if>
    }</#macro>
