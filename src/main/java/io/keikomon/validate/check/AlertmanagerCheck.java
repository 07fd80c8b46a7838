package io.keikomon.validate.check;

import io.keikomon.config.Problem;
import io.keikomon.config.Secrets;
import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import io.keikomon.validate.tree.TreeLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alertmanager routing sanity: every route (at any depth) ends at a receiver that exists, every Slack
 * notifier has a URL source, a critical alert reaches a receiver that notifies somebody (otherwise it
 * fires into the void, the most common "no notification arrives" complaint), and the Watchdog reaches a
 * dead man's switch.
 */
public final class AlertmanagerCheck implements TreeCheck {
  /** How much it matters that alerts reach nobody. */
  public enum Delivery {
    /** An explicit keiko.yml: a critical alert that reaches nobody is an error. */
    REQUIRED,
    /** The embedded default (nobody chose anything yet): a loud warning, so a first `up` still works. */
    WARN,
    /** keiko.yml says {@code alerting.none: true}: alerts go nowhere on purpose. */
    NOT_WANTED
  }

  private static final String ROUTING_HINT = "set " + Secrets.ALERTMANAGER_SLACK_URL
      + " (environment or .env) and run keiko-mon render again, or set alerting.none: true in keiko.yml if"
      + " alerts are meant to go nowhere";

  private final boolean slackUrlMissing;
  private final Delivery delivery;

  /**
   * @param slackUrlMissing true when the Slack webhook secret is known to be unset, so Slack notifiers
   *     that read it from a file cannot deliver anything
   */
  public AlertmanagerCheck(boolean slackUrlMissing, Delivery delivery) {
    this.slackUrlMissing = slackUrlMissing;
    this.delivery = delivery;
  }

  @Override
  public String name() {
    return "alertmanager routes";
  }

  @Override
  public List<Problem> check(ParsedTree tree) {
    List<Problem> problems = new ArrayList<>();
    DocNode doc = tree.docs().get(TreeLayout.ALERTMANAGER_CONFIG);
    if (!(doc instanceof DocNode.Mapping root)) {
      return problems; // not rendered (component disabled) or unparsable (reported by the syntax check)
    }
    String file = tree.display(TreeLayout.ALERTMANAGER_CONFIG);
    boolean globalSlackUrl = root.mapping("global")
        .map(g -> g.get("slack_api_url").isPresent() || g.get("slack_api_url_file").isPresent()).orElse(false);

    Map<String, DocNode.Mapping> receivers = new LinkedHashMap<>();
    List<DocNode> list = root.sequence("receivers");
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof DocNode.Mapping r)) {
        continue;
      }
      String path = "receivers[" + i + "]";
      Optional<String> name = r.text("name");
      if (name.isEmpty()) {
        problems.add(Problem.error(file, r.line(), r.column(), path, "receiver has no name", "add name: <receiver>"));
        continue;
      }
      if (receivers.put(name.get(), r) != null) {
        problems.add(Problem.error(file, r.line(), r.column(), path + ".name",
            "receiver \"" + name.get() + "\" is defined twice", "give each receiver its own name"));
      }
      List<DocNode> slack = r.sequence("slack_configs");
      for (int j = 0; j < slack.size(); j++) {
        if (slack.get(j) instanceof DocNode.Mapping s
            && s.get("api_url").isEmpty() && s.get("api_url_file").isEmpty() && !globalSlackUrl) {
          problems.add(Problem.error(file, s.line(), s.column(), path + ".slack_configs[" + j + "]",
              "Slack notifier has no webhook URL (no api_url, api_url_file or global slack_api_url)",
              "set " + Secrets.ALERTMANAGER_SLACK_URL + " and run keiko-mon render again"));
        }
      }
    }

    Optional<DocNode.Mapping> route = root.mapping("route");
    if (route.isEmpty()) {
      problems.add(Problem.error(file, root.line(), root.column(), "route", "there is no top-level route",
          "add route: {receiver: <name>}"));
      return problems;
    }
    checkRoute(file, route.get(), "route", null, receivers, problems);
    if (delivery != Delivery.NOT_WANTED) {
      for (Reached r : reached(route.get(), "route", null, Map.of("alertname", "AnyCriticalAlert", "severity", "critical"))) {
        DocNode.Mapping receiver = receivers.get(r.receiver());
        if (receiver != null && !notifies(receiver)) {
          String message = "critical alerts end at receiver \"" + r.receiver() + "\", which has no notifier: they reach"
              + " nobody";
          problems.add(delivery == Delivery.REQUIRED
              ? Problem.error(file, r.route().line(), r.route().column(), r.path(), message, ROUTING_HINT)
              : Problem.warning(file, r.route().line(), r.route().column(), r.path(), message
                  + " (this is the embedded default; a keiko.yml makes it an error)", ROUTING_HINT));
        }
      }
      for (Reached r : reached(route.get(), "route", null, Map.of("alertname", "Watchdog", "severity", "none"))) {
        DocNode.Mapping receiver = receivers.get(r.receiver());
        if (receiver != null && !notifies(receiver)) {
          problems.add(Problem.warning(file, r.route().line(), r.route().column(), r.path(),
              "the Watchdog ends at receiver \"" + r.receiver() + "\", which has no notifier: nobody notices when"
                  + " Prometheus or Alertmanager stops working",
              "set alerting.dead_mans_switch_url in keiko.yml to your dead-man's-switch service's webhook"));
        }
      }
    }
    return problems;
  }

  /** A receiver an alert ends at, and the route that sent it there. */
  private record Reached(String receiver, DocNode.Mapping route, String path) {}

  /** Alertmanager's routing of an alert with {@code labels}: first matching child, more when it has continue. */
  private static List<Reached> reached(DocNode.Mapping route, String path, String inherited,
      Map<String, String> labels) {
    String effective = route.text("receiver").orElse(inherited);
    List<Reached> out = new ArrayList<>();
    List<DocNode> children = route.sequence("routes");
    for (int i = 0; i < children.size(); i++) {
      if (children.get(i) instanceof DocNode.Mapping child && RouteMatchers.matches(child, labels)) {
        out.addAll(reached(child, path + ".routes[" + i + "]", effective, labels));
        if (!child.text("continue").map(Boolean::parseBoolean).orElse(false)) {
          break;
        }
      }
    }
    if (out.isEmpty() && effective != null) {
      out.add(new Reached(effective, route, path));
    }
    return out;
  }

  private boolean notifies(DocNode.Mapping receiver) {
    for (Map.Entry<String, DocNode> e : receiver.entries().entrySet()) {
      if (!e.getKey().endsWith("_configs") || !(e.getValue() instanceof DocNode.Sequence s) || s.items().isEmpty()) {
        continue;
      }
      if (!e.getKey().equals("slack_configs") || !slackUrlMissing) {
        return true;
      }
      // Slack without the secret only delivers when a URL is written literally
      for (DocNode n : s.items()) {
        if (n instanceof DocNode.Mapping m && m.get("api_url").isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  private static void checkRoute(String file, DocNode.Mapping route, String path, String inherited,
      Map<String, DocNode.Mapping> receivers, List<Problem> problems) {
    Optional<String> own = route.text("receiver");
    String effective = own.orElse(inherited);
    if (effective == null && inherited == null && path.equals("route")) {
      problems.add(Problem.error(file, route.line(), route.column(), path,
          "the top-level route has no receiver", "add receiver: <name> to route"));
    } else if (own.isPresent() && !receivers.containsKey(own.get())) {
      DocNode at = route.get("receiver").orElseThrow();
      problems.add(Problem.error(file, at.line(), at.column(), path + ".receiver",
          "route ends at receiver \"" + own.get() + "\", which is not defined",
          receivers.isEmpty() ? "define it under receivers" : "defined receivers: " + String.join(", ", receivers.keySet())));
    }
    List<DocNode> children = route.sequence("routes");
    for (int i = 0; i < children.size(); i++) {
      if (children.get(i) instanceof DocNode.Mapping child) {
        checkRoute(file, child, path + ".routes[" + i + "]", effective, receivers, problems);
      }
    }
  }
}
