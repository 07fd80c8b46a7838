<#import "/lib/yaml.ftl" as y>
# Unit tests of the alerting rules for `promtool test rules`, generated with the thresholds in force:
# for each alert, cases where it fires (exact labels and annotations) and where it must stay quiet
# (just under the threshold, or for less than its `for` duration); then the recording rules' edge cases.
# Input series have one sample a minute.
rule_files:
  - ../rules/recording.yml
  - ../rules/alerts.yml
# Series have a sample a minute, so a minute between evaluations loses nothing and keeps `promtool test
# rules` (which `validate` and `up` run) fast.
evaluation_interval: 1m
tests:
<#list content.alertTests as t>
  # ${t.alertname}: ${t.title}
  - interval: 1m
    input_series:<#if !t.inputSeries?has_content> []</#if>
<#list t.inputSeries as s>
      - series: ${y.quoted(s.series)}
        values: ${y.quoted(s.values)}
</#list>
    alert_rule_test:
      - eval_time: ${t.evalTime}
        alertname: ${t.alertname}
        exp_alerts:<#if !t.fires()> []</#if>
<#list t.expected as a>
          - exp_labels:
<#list a.labels as k, v>
              ${k}: ${y.quoted(v)}
</#list>
            exp_annotations:
<#list a.annotations as k, v>
              ${k}: ${y.quoted(v)}
</#list>
</#list>
</#list>
<#list content.recordingTests as t>
  # recording rule ${t.title}
  - interval: 1m
    input_series:
<#list t.inputSeries as s>
      - series: ${y.quoted(s.series)}
        values: ${y.quoted(s.values)}
</#list>
    promql_expr_test:
      - expr: ${y.quoted(t.expr)}
        eval_time: ${t.evalTime}
        exp_samples:<#if !t.expected?has_content> []</#if>
<#list t.expected as e>
          - labels: ${y.quoted(e.labels)}
            value: ${e.value}
</#list>
</#list>
