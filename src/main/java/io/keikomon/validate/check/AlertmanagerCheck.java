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
 * notifier has a URL source, and at least one receiver notifies somebody (otherwise alerts fire into the
 * void, which is the most common "no notification arrives" complaint).
 */
public final class AlertmanagerCheck implements TreeCheck {
  private final boolean slackUrlMissing;

  /**
   * @param slackUrlMissing true when the Slack webhook secret is known to be unset, so Slack notifiers
   *     that read it from a file cannot deliver anything
   */
  public AlertmanagerCheck(boolean slackUrlMissing) {
    this.slackUrlMissing = slackUrlMissing;
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
    boolean anyNotifier = false;
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
      anyNotifier |= notifies(r);
    }

    Optional<DocNode.Mapping> route = root.mapping("route");
    if (route.isEmpty()) {
      problems.add(Problem.error(file, root.line(), root.column(), "route", "there is no top-level route",
          "add route: {receiver: <name>}"));
    } else {
      checkRoute(file, route.get(), "route", null, receivers, problems);
    }
    if (!receivers.isEmpty() && !anyNotifier) {
      DocNode at = root.get("receivers").orElseThrow();
      problems.add(Problem.warning(file, at.line(), at.column(), "receivers",
          "no receiver has a notifier: alerts have nowhere to go",
          "set " + Secrets.ALERTMANAGER_SLACK_URL + " (environment or .env) and run keiko-mon render again"));
    }
    return problems;
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
