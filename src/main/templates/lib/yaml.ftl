<#-- Helpers for the YAML templates. -->
<#-- A YAML single-quoted scalar: safe for PromQL, {{ }} templates, colons and #; ' is doubled. -->
<#function quoted s><#return "'" + s?replace("'", "''") + "'"></#function>
