package io.keikomon.validate.check;

import io.keikomon.config.Problem;
import io.keikomon.core.Component;
import io.keikomon.core.ProtectedEndpoint;
import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import io.keikomon.validate.tree.TreeLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every client of an endpoint that asks for a password or speaks TLS (its {@code web.yml} in the tree says which)
 * has the credentials and the CA: Prometheus' scrape jobs and Alertmanager clients ({@code basic_auth},
 * {@code scheme: https}, {@code tls_config.ca_file}), Grafana's datasources ({@code basicAuth} with
 * {@code secureJsonData.basicAuthPassword}, {@code tlsAuthWithCACert} with {@code secureJsonData.tlsCACert}) and
 * the compose healthchecks (an Authorization header read from a file at check time, never written out).
 * A client left without them fails with 401 or an x509 error only once the stack runs.
 */
public final class AccessCheck implements TreeCheck {
  private static final String HINT = "run `keiko-mon render` to restore the generated file (render --force keeps a"
      + " backup of your edit), or set security: {auth: false, tls: false} in keiko.yml for a plain stack";

  /** What a server in the tree asks of its clients. */
  private record Server(ProtectedEndpoint endpoint, boolean auth, boolean tls, Set<String> addresses) {}

  @Override
  public String name() {
    return "authenticated clients";
  }

  @Override
  public List<Problem> check(ParsedTree tree) {
    List<Server> servers = servers(tree);
    List<Problem> problems = new ArrayList<>();
    if (servers.isEmpty()) {
      return problems;
    }
    if (tree.docs().get(TreeLayout.PROMETHEUS_CONFIG) instanceof DocNode.Mapping prometheus) {
      List<DocNode> jobs = prometheus.sequence("scrape_configs");
      for (int i = 0; i < jobs.size(); i++) {
        if (jobs.get(i) instanceof DocNode.Mapping job) {
          String where = "scrape_configs[" + i + "] (job " + job.text("job_name").orElse("?") + ")";
          promClient(tree, job, where, servers, problems);
        }
      }
      List<DocNode> ams = prometheus.mapping("alerting").map(a -> a.sequence("alertmanagers")).orElse(List.of());
      for (int i = 0; i < ams.size(); i++) {
        if (ams.get(i) instanceof DocNode.Mapping am) {
          promClient(tree, am, "alerting.alertmanagers[" + i + "]", servers, problems);
        }
      }
    }
    for (Map.Entry<String, DocNode> e : tree.under(TreeLayout.DATASOURCES, ".yml", ".yaml").entrySet()) {
      if (e.getValue() instanceof DocNode.Mapping root) {
        List<DocNode> list = root.sequence("datasources");
        for (int i = 0; i < list.size(); i++) {
          if (list.get(i) instanceof DocNode.Mapping ds) {
            datasource(tree, e.getKey(), ds, "datasources[" + i + "] (" + ds.text("name").orElse("?") + ")", servers,
                problems);
          }
        }
      }
    }
    healthchecks(tree, servers, problems);
    return problems;
  }

  private static List<Server> servers(ParsedTree tree) {
    List<Server> out = new ArrayList<>();
    for (ProtectedEndpoint p : ProtectedEndpoint.values()) {
      if (tree.docs().get(p.webConfig()) instanceof DocNode.Mapping web) {
        boolean auth = web.mapping("basic_auth_users").map(m -> !m.entries().isEmpty()).orElse(false);
        boolean tls = web.mapping("tls_server_config").isPresent();
        Component c = p.component();
        Set<String> addresses = new java.util.HashSet<>(List.of(c.address(), c.service() + ":" + c.port()));
        if (c == Component.PROMETHEUS) {
          addresses.addAll(List.of("localhost:" + c.port(), "127.0.0.1:" + c.port()));
        }
        if (auth || tls) {
          out.add(new Server(p, auth, tls, addresses));
        }
      }
    }
    return out;
  }

  private static Optional<Server> target(DocNode.Mapping client, List<Server> servers) {
    for (DocNode sc : client.sequence("static_configs")) {
      if (sc instanceof DocNode.Mapping m) {
        for (DocNode t : m.sequence("targets")) {
          if (t instanceof DocNode.Scalar s) {
            for (Server server : servers) {
              if (server.addresses().contains(s.text())) {
                return Optional.of(server);
              }
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  private static void promClient(ParsedTree tree, DocNode.Mapping client, String where, List<Server> servers,
      List<Problem> problems) {
    Optional<Server> server = target(client, servers);
    if (server.isEmpty()) {
      return;
    }
    Server s = server.get();
    String file = tree.display(TreeLayout.PROMETHEUS_CONFIG);
    String name = s.endpoint().component().service();
    if (s.auth()) {
      Optional<DocNode.Mapping> ba = client.mapping("basic_auth");
      boolean ok = ba.map(m -> m.text("username").isPresent()
          && (m.text("password_file").isPresent() || m.text("password").isPresent())).orElse(false);
      if (!ok) {
        problems.add(Problem.error(file, client.line(), client.column(), where, "talks to " + name
            + ", which asks for a password, without basic_auth: every request gets 401",
            "add basic_auth: {username: " + s.endpoint().user() + ", password_file: /run/secrets/"
                + s.endpoint().passwordFile() + "}; " + HINT));
      }
    }
    if (s.tls()) {
      boolean https = client.text("scheme").orElse("http").equals("https");
      boolean ca = client.mapping("tls_config").flatMap(m -> m.text("ca_file").or(() -> m.text("ca"))).isPresent();
      if (!https || !ca) {
        problems.add(Problem.error(file, client.line(), client.column(), where, "talks to " + name
            + ", which serves TLS only, " + (!https ? "over plain http" : "without tls_config.ca_file")
            + ": " + (!https ? "every request fails" : "the certificate of keiko-mon's CA does not verify"),
            "set scheme: https and tls_config: {ca_file: /run/secrets/" + ProtectedEndpoint.CA_FILE + "}; " + HINT));
      }
    }
  }

  private static void datasource(ParsedTree tree, String path, DocNode.Mapping ds, String where, List<Server> servers,
      List<Problem> problems) {
    String url = ds.text("url").orElse("");
    Optional<Server> server = servers.stream().filter(s -> s.addresses().stream()
        .anyMatch(a -> url.endsWith("://" + a) || url.contains("://" + a + "/"))).findFirst();
    if (server.isEmpty()) {
      return;
    }
    Server s = server.get();
    String file = tree.display(path);
    Optional<DocNode.Mapping> secure = ds.mapping("secureJsonData");
    Optional<DocNode.Mapping> json = ds.mapping("jsonData");
    if (s.auth() && !(ds.text("basicAuth").orElse("false").equals("true") && ds.text("basicAuthUser").isPresent()
        && secure.flatMap(m -> m.text("basicAuthPassword")).isPresent())) {
      problems.add(Problem.error(file, ds.line(), ds.column(), where, "queries "
          + s.endpoint().component().service() + ", which asks for a password, without basicAuth, basicAuthUser and "
          + "secureJsonData.basicAuthPassword: its panels get 401",
          "basicAuth: true, basicAuthUser: " + s.endpoint().user() + ", secureJsonData: {basicAuthPassword: "
              + "$__file{/run/secrets/" + s.endpoint().passwordFile() + "}}; " + HINT));
    }
    if (s.tls() && !(url.startsWith("https://")
        && json.flatMap(m -> m.text("tlsAuthWithCACert")).orElse("false").equals("true")
        && secure.flatMap(m -> m.text("tlsCACert")).isPresent())) {
      problems.add(Problem.error(file, ds.line(), ds.column(), where, "queries "
          + s.endpoint().component().service() + ", which serves TLS only, without an https url, "
          + "jsonData.tlsAuthWithCACert and secureJsonData.tlsCACert",
          "url https://..., jsonData: {tlsAuthWithCACert: true}, secureJsonData: {tlsCACert: "
              + "$__file{/run/secrets/" + ProtectedEndpoint.CA_FILE + "}}; " + HINT));
    }
  }

  private static void healthchecks(ParsedTree tree, List<Server> servers, List<Problem> problems) {
    if (!(tree.docs().get(TreeLayout.COMPOSE) instanceof DocNode.Mapping compose)) {
      return;
    }
    Optional<DocNode.Mapping> services = compose.mapping("services");
    for (Server s : servers) {
      String service = s.endpoint().component().service();
      Optional<DocNode.Mapping> hc = services.flatMap(m -> m.mapping(service)).flatMap(m -> m.mapping("healthcheck"));
      if (hc.isEmpty()) {
        continue;
      }
      StringBuilder test = new StringBuilder();
      hc.get().get("test").ifPresent(t -> {
        if (t instanceof DocNode.Sequence seq) {
          seq.items().forEach(i -> test.append(i instanceof DocNode.Scalar sc ? sc.text() : "").append(' '));
        } else if (t instanceof DocNode.Scalar sc) {
          test.append(sc.text());
        }
      });
      String cmd = test.toString();
      String file = tree.display(TreeLayout.COMPOSE);
      String where = "services." + service + ".healthcheck.test";
      DocNode at = hc.get().get("test").orElse(hc.get());
      if (cmd.matches("(?s).*Basic [A-Za-z0-9+/]{8,}={0,2}.*")) {
        problems.add(Problem.error(file, at.line(), at.column(), where, "holds a password (an Authorization header "
            + "value): `docker inspect` shows it to anyone who may use Docker",
            "read the header from the mounted secret at check time: --header \"Authorization: $$(cat /run/secrets/"
                + s.endpoint().authHeaderFile() + ")\"; " + HINT));
      } else if (s.auth() && !cmd.contains("Authorization")) {
        problems.add(Problem.error(file, at.line(), at.column(), where, "checks " + service
            + ", which asks for a password, without an Authorization header: it gets 401, so the service never turns"
            + " healthy", "--header \"Authorization: $$(cat /run/secrets/" + s.endpoint().authHeaderFile() + ")\"; "
            + HINT));
      }
      if (s.tls() && !cmd.contains("https://")) {
        problems.add(Problem.error(file, at.line(), at.column(), where, "checks " + service
            + ", which serves TLS only, over plain http: the service never turns healthy",
            "use https:// (busybox wget: with --no-check-certificate, on loopback); " + HINT));
      }
    }
  }
}
