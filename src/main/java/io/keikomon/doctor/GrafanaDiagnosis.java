package io.keikomon.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.keikomon.api.ApiException;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.GrafanaModel.Dashboard;
import io.keikomon.api.GrafanaModel.Datasource;
import io.keikomon.api.GrafanaModel.DatasourceHealth;
import io.keikomon.api.GrafanaModel.Health;
import io.keikomon.api.GrafanaModel.SearchHit;
import io.keikomon.api.PrometheusClient;
import io.keikomon.api.PrometheusModel.QueryResult;
import io.keikomon.api.PrometheusModel.Sample;
import io.keikomon.content.promql.PromqlSyntaxException;
import io.keikomon.content.promql.Selectors;
import io.keikomon.content.promql.Selectors.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana end of "dashboard shows no data": Grafana answers, its database is fine, each Prometheus datasource
 * passes Grafana's own health check and points at the stack's Prometheus, each panel's datasource uid exists, and
 * each panel's PromQL returns data over its dashboard's default time range. A panel that would show "No data" says
 * why: data only outside the range, or the series verdict of the selector that selects nothing.
 */
final class GrafanaDiagnosis {
  private static final Pattern RELATIVE = Pattern.compile("now(?:-(\\d+)([smhdwMy]))?(?:/[smhdwMy])?");
  private static final Pattern VAR_MATCHER = Pattern.compile(
      "([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*(?:\\$\\{?\\w+(?::\\w+)?\\}?|\\[\\[\\w+\\]\\])[^\"]*)\"");
  private static final Duration WIDE = Duration.ofDays(7);
  private static final int POINTS = 60;

  /** A panel finding and the jobs whose down target explains it. */
  record PanelFinding(Finding finding, Set<String> jobs) {
  }

  private final GrafanaClient grafana;
  private final PrometheusClient prometheus;
  private final SeriesDiagnosis series;
  private final String expectedUrl;
  private final Instant now;
  final List<PanelFinding> panels = new ArrayList<>();

  /** @param expectedUrl the stack's Prometheus as Grafana reaches it, e.g. {@code http://prometheus:9090} */
  GrafanaDiagnosis(GrafanaClient grafana, PrometheusClient prometheus, SeriesDiagnosis series, String expectedUrl,
      Instant now) {
    this.grafana = grafana;
    this.prometheus = prometheus;
    this.series = series;
    this.expectedUrl = expectedUrl.replaceAll("/$", "");
    this.now = now;
  }

  List<Finding> diagnose() {
    List<Finding> out = new ArrayList<>();
    String where = "Grafana reachable at " + grafana.transport().base();
    Health h;
    try {
      h = grafana.health();
    } catch (ApiException e) {
      out.add(Finding.error(Symptom.NO_DATA, "grafana", where, e.getMessage(), Unreachable.cause("Grafana", e),
          Unreachable.fix("grafana", e)));
      return out;
    }
    if (!"ok".equals(h.database())) {
      out.add(Finding.error(Symptom.NO_DATA, "grafana", "Grafana database", "/api/health database: " + h.database(),
          "Grafana cannot use its database, so it serves no dashboard",
          "`keiko-mon logs grafana` shows why; the grafana volume may be full or not writable"));
      return out;
    }
    out.add(Finding.ok(Symptom.NO_DATA, "grafana", where, "version " + h.version() + ", database ok"));
    List<Datasource> sources;
    try {
      sources = grafana.datasources();
    } catch (ApiException e) {
      boolean auth = e.hasStatus(401) || e.hasStatus(403);
      out.add(Finding.error(Symptom.NO_DATA, "grafana", "Grafana admin login", e.getMessage(),
          auth ? "Grafana refuses the admin password keiko-mon rendered" : Unreachable.cause("Grafana", e),
          auth ? "GRAFANA_ADMIN_PASSWORD applies only to a new grafana volume, so Grafana still has the password it"
              + " was created with (or one changed in its UI): put that one into a file and run `keiko-mon secrets"
              + " rotate grafana --grafana-current-password-file FILE` (Grafana and .env then share a new one)"
              : Unreachable.fix("grafana", e)));
      return out;
    }
    Map<String, Datasource> byUid = new java.util.LinkedHashMap<>();
    sources.forEach(d -> byUid.put(d.uid(), d));
    Set<String> healthy = new LinkedHashSet<>();
    for (Datasource d : sources) {
      if (!"prometheus".equals(d.type())) {
        continue;
      }
      String check = "datasource " + d.uid() + " (" + d.name() + ")";
      String url = d.url() == null ? "" : d.url().replaceAll("/$", "");
      DatasourceHealth dh;
      try {
        dh = grafana.datasourceHealth(d.uid());
      } catch (ApiException e) {
        out.add(Finding.warning(Symptom.NO_DATA, "grafana", check, e.getMessage(),
            "Grafana could not check datasource " + d.uid(), "open it in Grafana and press Save & test"));
        continue;
      }
      if (!dh.ok()) {
        out.add(Finding.error(Symptom.NO_DATA, "grafana", check, "Grafana: " + dh.message() + " (url " + url + ")",
            "Grafana cannot query Prometheus through datasource " + d.uid() + " at " + url,
            url.equals(expectedUrl) ? "Prometheus must answer at " + expectedUrl + " on the stack's network: "
                + "`keiko-mon status`" : "the datasource url must be " + expectedUrl + " (now " + url + "):"
                + " `keiko-mon render` rewrites the provisioning file, then `keiko-mon up`"));
        continue;
      }
      healthy.add(d.uid());
      if (!url.equals(expectedUrl)) {
        out.add(Finding.warning(Symptom.NO_DATA, "grafana", check, "url " + url + ", Grafana: " + dh.message(),
            "datasource " + d.uid() + " queries " + url + ", not the stack's Prometheus " + expectedUrl,
            "point it at " + expectedUrl + " (`keiko-mon render` writes the provisioned one)"));
      } else {
        out.add(Finding.ok(Symptom.NO_DATA, "grafana", check, "Grafana: " + dh.message()));
      }
    }
    List<SearchHit> hits;
    try {
      hits = grafana.allDashboards();
    } catch (ApiException e) {
      out.add(Finding.warning(Symptom.NO_DATA, "grafana", "Grafana dashboards", e.getMessage(),
          "Grafana did not list its dashboards", "`keiko-mon logs grafana`"));
      return out;
    }
    String defaultUid = sources.stream().filter(Datasource::isDefault).map(Datasource::uid).findFirst()
        .orElse(sources.isEmpty() ? null : sources.get(0).uid());
    for (SearchHit hit : hits) {
      Dashboard d;
      try {
        d = grafana.dashboard(hit.uid());
      } catch (ApiException e) {
        continue;
      }
      dashboard(d, byUid, healthy, defaultUid, out);
    }
    return out;
  }

  private void dashboard(Dashboard d, Map<String, Datasource> byUid, Set<String> healthy, String defaultUid,
      List<Finding> out) {
    JsonNode json = d.dashboard();
    Instant from = time(json.path("time").path("from").asText("now-6h"), now.minus(Duration.ofHours(6)));
    Instant to = time(json.path("time").path("to").asText("now"), now);
    Map<String, String> dsVars = datasourceVariables(json, defaultUid);
    int empty = 0;
    int panelsChecked = 0;
    for (JsonNode panel : allPanels(json)) {
      String title = panel.path("title").asText("(untitled)");
      String where = "panel \"" + title + "\" of dashboard \"" + d.title() + "\"";
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText("");
        if (expr.isBlank() || target.path("hide").asBoolean(false)) {
          continue;
        }
        String uid = resolve(target.path("datasource").path("uid").asText(
            panel.path("datasource").path("uid").asText(defaultUid == null ? "" : defaultUid)), dsVars);
        if (!byUid.containsKey(uid)) {
          out.add(Finding.error(Symptom.NO_DATA, "grafana", where + " datasource",
              "datasource uid \"" + uid + "\"; provisioned: " + byUid.keySet(),
              where + " uses datasource uid " + uid + ", which Grafana does not have: it shows \"No data\"",
              "use one of the provisioned uids " + byUid.keySet() + " in the dashboard (keiko-mon's own dashboards use"
                  + " the rendered datasource; for a dashboard of yours, edit its JSON)"));
          empty++;
          break;
        }
        if (!"prometheus".equals(byUid.get(uid).type()) || !healthy.contains(uid)) {
          continue;
        }
        panelsChecked++;
        Optional<PanelFinding> f = query(where, expr, from, to);
        if (f.isPresent()) {
          panels.add(f.get());
          out.add(f.get().finding());
          empty++;
          break;
        }
      }
    }
    if (empty == 0) {
      out.add(Finding.ok(Symptom.NO_DATA, "grafana", "dashboard \"" + d.title() + "\"",
          panelsChecked + " panel queries return data over " + from + " .. " + to));
    }
  }

  /** Empty when the query returns data over the range; else the finding saying why not. */
  private Optional<PanelFinding> query(String where, String expr, Instant from, Instant to) {
    Duration range = Duration.between(from, to);
    Duration step = Duration.ofSeconds(Math.max(15, range.getSeconds() / POINTS));
    String q = substitute(expr, range, step);
    QueryResult r;
    try {
      r = prometheus.queryRange(q, from, to, step);
    } catch (ApiException e) {
      return Optional.of(new PanelFinding(Finding.error(Symptom.NO_DATA, "grafana", where, e.getMessage(),
          where + ": Prometheus refuses its query", "fix the query `" + expr + "`"), Set.of()));
    }
    if (!r.samples().isEmpty()) {
      return Optional.empty();
    }
    Instant wideFrom = from.minus(WIDE);
    Duration wideStep = Duration.ofSeconds(Math.max(60, Duration.between(wideFrom, now).getSeconds() / 200));
    QueryResult wide = prometheus.queryRange(substitute(expr, range, wideStep), wideFrom, now, wideStep);
    List<Instant> outside = wide.samples().stream().map(Sample::time)
        .filter(t -> t.isBefore(from) || t.isAfter(to)).sorted().toList();
    if (!outside.isEmpty()) {
      return Optional.of(new PanelFinding(Finding.warning(Symptom.NO_DATA, "grafana", where,
          "no sample in " + from + " .. " + to + "; samples from " + outside.get(0) + " to "
              + outside.get(outside.size() - 1),
          where + " has data only outside its time range " + from + " .. " + to,
          "widen the dashboard's time range (its `time` setting) to include " + outside.get(outside.size() - 1)
              + ", or find out why the data stopped"), Set.of()));
    }
    try {
      for (Selector s : Selectors.extract(expr)) {
        if (s.expectedEmpty()) {
          continue;
        }
        SeriesDiagnosis.Verdict v = series.check(s);
        if (!v.present()) {
          Finding f = v.kind() == SeriesDiagnosis.Kind.LABEL_MISSING
              ? Finding.error(Symptom.NO_DATA, "grafana", where, v.evidence(), where + " shows \"No data\": "
                  + v.cause(), v.remedy())
              : Finding.warning(Symptom.NO_DATA, "grafana", where, v.evidence(), where + " shows \"No data\": "
                  + v.cause(), v.remedy());
          return Optional.of(new PanelFinding(f, v.jobs()));
        }
      }
    } catch (PromqlSyntaxException e) {
      // Prometheus ran it, so the lexer is the one that is wrong; the finding below still stands
    }
    return Optional.of(new PanelFinding(Finding.warning(Symptom.NO_DATA, "grafana", where,
        "`" + q + "` returns nothing over " + from + " .. " + to,
        where + " shows \"No data\" although each of its series exists (the expression combines them to nothing)",
        "check the expression's matching (on/ignoring, by) `" + expr + "`"), Set.of()));
  }

  /** Grafana's built-in variables as Grafana would set them; a matcher on a dashboard variable means "any". */
  static String substitute(String expr, Duration range, Duration step) {
    long rate = Math.max(60, step.getSeconds() * 4);
    String s = VAR_MATCHER.matcher(expr).replaceAll("$1=~\".*\"");
    return s.replace("${__rate_interval}", rate + "s").replace("$__rate_interval", rate + "s")
        .replace("${__interval}", step.getSeconds() + "s").replace("$__interval", step.getSeconds() + "s")
        .replace("${__range}", range.getSeconds() + "s").replace("$__range", range.getSeconds() + "s");
  }

  private static String resolve(String uid, Map<String, String> vars) {
    Matcher m = Pattern.compile("^\\$\\{?(\\w+)\\}?$").matcher(uid);
    return m.matches() ? vars.getOrDefault(m.group(1), uid) : uid;
  }

  /** Datasource variables: name → their current (or default) uid. */
  private static Map<String, String> datasourceVariables(JsonNode dashboard, String defaultUid) {
    Map<String, String> vars = new java.util.HashMap<>();
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if ("datasource".equals(v.path("type").asText())) {
        String current = v.path("current").path("value").asText("");
        vars.put(v.path("name").asText(), current.isEmpty() || current.equals("default") ? defaultUid : current);
      }
    }
    return vars;
  }

  private static List<JsonNode> allPanels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add); // collapsed rows
    }
    return out;
  }

  /** Grafana's relative times ({@code now-6h}, {@code now}); an absolute ISO time as is. */
  Instant time(String text, Instant fallback) {
    Matcher m = RELATIVE.matcher(text);
    if (m.matches()) {
      if (m.group(1) == null) {
        return now;
      }
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        case "w" -> Duration.ofDays(7 * n);
        case "M" -> Duration.ofDays(30 * n);
        default -> Duration.ofDays(365 * n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }
}
