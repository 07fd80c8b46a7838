<#-- Grafana dashboard JSON (schemaVersion 41). The panels, their queries, thresholds and places come from keiko-mon;
     this file decides how they look. Strings go through ?json_string; Grafana's $var references are data.
     Every panel, query and query variable uses the datasource variable: r'...' keeps FreeMarker off "${datasource}". -->
<#assign ds = r'{"type": "prometheus", "uid": "${datasource}"}'>
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
  "links": [
<#list d.links as l>
    <#if l.type == "dashboards">{"title": "${l.title?json_string}", "type": "dashboards", "tags": [<#list l.tags as t>"${t?json_string}"<#sep>, </#list>], "asDropdown": true, "includeVars": false, "keepTime": true, "targetBlank": false, "icon": "external link"}<#else>{"title": "${l.title?json_string}", "type": "link", "url": "${l.url?json_string}", "tags": [], "asDropdown": false, "includeVars": false, "keepTime": false, "targetBlank": true, "icon": "external link"}</#if><#sep>,</#sep>
</#list>
  ],
  "templating": {"list": [
<#list d.variables as v>
<#if v.isDatasource()>
    {
      "name": "${v.name?json_string}",
      "label": "${v.label?json_string}",
      "type": "datasource",
      "query": "${v.query?json_string}",
      "regex": "",
      "current": {"selected": true, "text": "${v.current?json_string}", "value": "${v.current?json_string}"},
      "options": [],
      "refresh": 1,
      "multi": false,
      "includeAll": false,
      "hide": 0
    }<#sep>,</#sep>
<#else>
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
</#if>
</#list>
  ]},
  "panels": [
<#list d.panels as p>
    <@panel p/><#sep>,</#sep>
</#list>
  ]
}
</#macro>

<#macro thresholds p><#if p.thresholds?has_content>, "thresholds": {"mode": "absolute", "steps": [<#list p.thresholds as s>{"color": "${s.color}", "value": <#if s.value??>${s.value?c}<#else>null</#if>}<#sep>, </#list>]}</#if></#macro>
<#macro mappings p><#if p.mappings?has_content>, "mappings": [{"type": "value", "options": {<#list p.mappings as m>"${m.value?json_string}": {"text": "${m.text?json_string}", "color": "${m.color}", "index": ${m?index}}<#sep>, </#list>}}]</#if></#macro>

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
<#if p.type == "timeseries">
      "fieldConfig": {"defaults": {"unit": "${p.unit}", "color": {"mode": "palette-classic"}<@thresholds p/>, "custom": {"lineWidth": 1, "fillOpacity": 10, "showPoints": "never", "thresholdsStyle": {"mode": "<#if p.thresholds?has_content>dashed<#else>off</#if>"}}}, "overrides": []},
<#elseif p.type == "state-timeline">
      "fieldConfig": {"defaults": {"unit": "${p.unit}", "color": {"mode": "thresholds"}<@thresholds p/><@mappings p/>, "custom": {"fillOpacity": 80, "lineWidth": 0}}, "overrides": []},
<#elseif p.type == "table">
      "fieldConfig": {"defaults": {"unit": "${p.unit}"}, "overrides": [
<#list p.targets as t>
        {"matcher": {"id": "byName", "options": "Value #${t.refId}"}, "properties": [{"id": "displayName", "value": "${t.legendFormat?json_string}"}<#if t.unit?has_content>, {"id": "unit", "value": "${t.unit}"}</#if>]}<#sep>,</#sep>
</#list>
      ]},
<#else>
      "fieldConfig": {"defaults": {"unit": "${p.unit}"<#if p.thresholds?has_content>, "color": {"mode": "thresholds"}</#if><@thresholds p/>}, "overrides": []},
</#if>
<#if p.type == "stat">
      "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": false}, "colorMode": "value", "graphMode": "area", "textMode": "auto"},
<#elseif p.type == "table">
      "options": {"showHeader": true, "cellHeight": "sm"},
      "transformations": [{"id": "merge", "options": {}}, {"id": "organize", "options": {"excludeByName": {"Time": true}}}],
<#elseif p.type == "state-timeline">
      "options": {"mergeValues": true, "showValue": "never", "alignValue": "left", "rowHeight": 0.9, "legend": {"displayMode": "list", "placement": "bottom", "showLegend": false}, "tooltip": {"mode": "single", "sort": "none"}},
<#else>
      "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": true}, "tooltip": {"mode": "multi", "sort": "desc"}},
</#if>
      "targets": [
<#list p.targets as t>
        {"refId": "${t.refId}", "datasource": ${ds}, "expr": "${t.expr?json_string}", "legendFormat": "${t.legendFormat?json_string}", <#if t.instant>"instant": true, "range": false, "format": "table"<#else>"instant": false, "range": true, "format": "time_series"</#if><#if t.exemplar>, "exemplar": true</#if>}<#sep>,</#sep>
</#list>
      ]
</#if>
    }</#macro>
