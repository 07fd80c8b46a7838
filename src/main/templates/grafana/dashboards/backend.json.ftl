<#import "/lib/dashboard.ftl" as g>
<@g.dashboard content.backendDashboard/>
