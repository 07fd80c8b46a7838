<#-- Helpers for the YAML templates. -->
<#-- A YAML single-quoted scalar: safe for PromQL, {{ }} templates, colons and #; ' is doubled. -->
<#function q s><#return "'" + s?replace("'", "''") + "'"></#function>
