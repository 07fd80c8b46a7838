package io.keikomon.doctor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The parts of Alertmanager's loaded configuration ({@code /api/v2/status} {@code config.original}) doctor reads:
 * each receiver's integrations (the {@code *_configs} lists) and the routing tree, flattened into paths from the
 * root with the equality matchers along each.
 */
record AlertmanagerConfig(Map<String, List<String>> receivers, List<Route> routes) {
  private static final Pattern MATCHER = Pattern.compile("^\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"?(.*?)\"?\\s*$");

  /**
   * A route as reached from the root: the receiver it ends at, the matchers along the way ({@code name op value}),
   * and its effective {@code group_wait}.
   */
  record Route(String receiver, List<String[]> matchers, Duration groupWait) {
    String describe() {
      return matchers.isEmpty() ? "the root route" : "the route " + String.join(", ",
          matchers.stream().map(m -> m[0] + m[1] + "\"" + m[2] + "\"").toList());
    }

    /** Labels an alert needs to take this route (equality matchers, first alternative of a simple regex). */
    Map<String, String> labels() {
      Map<String, String> l = new LinkedHashMap<>();
      for (String[] m : matchers) {
        if (m[1].equals("=")) {
          l.put(m[0], m[2]);
        } else if (m[1].equals("=~") && m[2].matches("[\\w.-]+(\\|[\\w.-]+)*")) {
          l.put(m[0], m[2].split("\\|")[0]);
        }
      }
      return l;
    }
  }

  boolean hasNotifier(String receiver) {
    return !receivers.getOrDefault(receiver, List.of()).isEmpty();
  }

  @SuppressWarnings("unchecked")
  static AlertmanagerConfig parse(String yaml) {
    Object root = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    Map<String, Object> top = root instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    Map<String, List<String>> receivers = new LinkedHashMap<>();
    for (Object r : list(top.get("receivers"))) {
      Map<String, Object> rec = (Map<String, Object>) r;
      List<String> integrations = new ArrayList<>();
      rec.forEach((k, v) -> {
        if (k.endsWith("_configs") && !list(v).isEmpty()) {
          integrations.add(k.substring(0, k.length() - "_configs".length()));
        }
      });
      receivers.put(String.valueOf(rec.get("name")), integrations);
    }
    List<Route> routes = new ArrayList<>();
    Object route = top.get("route");
    if (route instanceof Map<?, ?> r) {
      walk((Map<String, Object>) r, null, List.of(), Duration.ofSeconds(30), routes);
    }
    return new AlertmanagerConfig(receivers, routes);
  }

  @SuppressWarnings("unchecked")
  private static void walk(Map<String, Object> r, String parentReceiver, List<String[]> parentMatchers,
      Duration parentWait, List<Route> out) {
    String receiver = r.get("receiver") == null ? parentReceiver : String.valueOf(r.get("receiver"));
    List<String[]> matchers = new ArrayList<>(parentMatchers);
    for (Object m : list(r.get("matchers"))) {
      Matcher x = MATCHER.matcher(String.valueOf(m));
      if (x.matches()) {
        matchers.add(new String[] {x.group(1), x.group(2), x.group(3)});
      }
    }
    if (r.get("match") instanceof Map<?, ?> match) {
      match.forEach((k, v) -> matchers.add(new String[] {String.valueOf(k), "=", String.valueOf(v)}));
    }
    if (r.get("match_re") instanceof Map<?, ?> match) {
      match.forEach((k, v) -> matchers.add(new String[] {String.valueOf(k), "=~", String.valueOf(v)}));
    }
    Duration wait = r.get("group_wait") == null ? parentWait : duration(String.valueOf(r.get("group_wait")));
    out.add(new Route(receiver, List.copyOf(matchers), wait));
    for (Object child : list(r.get("routes"))) {
      walk((Map<String, Object>) child, receiver, matchers, wait, out);
    }
  }

  private static Duration duration(String s) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(s);
    Duration d = Duration.ZERO;
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
    }
    return d;
  }

  private static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }
}
