<#import "/lib/web.ftl" as w>
<@w.webConfig e=security.endpoints.nodeExporter/>
