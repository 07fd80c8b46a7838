package io.keikomon.doctor;

import io.keikomon.stack.ServiceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The first link of every chain: each service's container as the engine reports it (not running, restarting,
 * exited with a code, unhealthy) with the log line that says why, e.g. Prometheus'
 * {@code Error loading config ... line 12: field scrape_intervall not found}, or postgres-exporter's
 * {@code password authentication failed for user "keiko"} (DSN passwords redacted).
 */
final class ContainerDiagnosis {
  static final int LOG_LINES = 40;

  private final ServiceLogs logs;
  private final String outputDir;
  private final boolean tasks;

  /**
   * @param outputDir the rendered folder as keiko.yml's {@code output} names it, for the files a log line names
   * @param tasks the rows are Swarm tasks ({@code prometheus.1 on node-1}) and replica shortfalls, not containers
   */
  ContainerDiagnosis(ServiceLogs logs, String outputDir, boolean tasks) {
    this.logs = logs;
    this.outputDir = outputDir;
    this.tasks = tasks;
  }

  /** One check per task in swarm mode: a service has several, and a finding's id comes from its check. */
  private String check(ServiceStatus s) {
    if (!tasks) {
      return "container " + s.service();
    }
    return s.container() == null ? "replicas " + s.service() : "task " + s.container();
  }

  List<Finding> diagnose(List<ServiceStatus> services) {
    List<Finding> out = new ArrayList<>();
    for (ServiceStatus s : services) {
      String check = check(s);
      if (s.ok()) {
        out.add(Finding.ok(Symptom.METRICS, s.service(), check, s.state() + ", " + s.healthText()));
        continue;
      }
      Optional<String> reason = ServiceStatus.MISSING.equals(s.state()) ? Optional.empty()
          : s.service().equals("prometheus") || s.service().equals("alertmanager")
              ? LogReasons.configReason(logs.tail(s.service(), LOG_LINES))
              : LogReasons.reason(logs.tail(s.service(), LOG_LINES));
      String evidence = s.problem() + reason.map(r -> "; log: " + r).orElse("");
      out.add(Finding.error(Symptom.METRICS, s.service(), check, evidence, cause(s, reason),
          tasks && reason.isEmpty() ? taskRemedy(s.service()) : remedy(s.service(), reason)));
    }
    return out;
  }

  private String cause(ServiceStatus s, Optional<String> reason) {
    String what = tasks && ServiceStatus.MISSING.equals(s.state()) ? s.service() + " runs fewer replicas than desired"
        : tasks ? "task " + s.container() + " of " + s.service() + " is " + s.state()
        : ServiceStatus.MISSING.equals(s.state()) ? s.service() + " has no container"
        : "restarting".equals(s.state()) ? s.service() + " keeps restarting"
        : "running".equals(s.state()) ? s.service() + " runs but its healthcheck fails"
        : s.service() + " is " + s.state();
    return reason.map(r -> what + ": " + r).orElse(what);
  }

  /** Swarm restarts and reschedules tasks itself: what is left to the user is finding out why they stop. */
  private static String taskRemedy(String service) {
    return "`keiko-mon status` shows each task, its node and Swarm's error; `keiko-mon logs " + service + "` the"
        + " log of every task; Swarm restarts failed tasks itself, `keiko-mon up` redeploys a missing service";
  }

  private String remedy(String service, Optional<String> reason) {
    String r = reason.orElse("");
    String lower = r.toLowerCase(java.util.Locale.ROOT);
    Optional<Integer> line = LogReasons.lineNumber(r);
    if ((service.equals("prometheus") || service.equals("alertmanager"))
        && (lower.contains("loading config") || lower.contains("yaml") || lower.contains("parsing")
            || lower.contains("rule"))) {
      String file = configFile(r, service);
      return "fix " + file + line.map(n -> " line " + n).orElse("")
          + " (a hand edit? `keiko-mon validate` shows the error; `keiko-mon render --force` restores the generated"
          + " file and keeps a .bak), then `keiko-mon up`";
    }
    if (lower.contains("permission denied")) {
      return "the data volume of " + service + " is not writable by its user: `keiko-mon down` then `keiko-mon up`"
          + " recreates it with the right owner only if you remove the volume (`keiko-mon down --volumes` loses its"
          + " data); or chown it to the image's user";
    }
    if (lower.contains("password authentication failed") || lower.contains("noauth") || lower.contains("wrongpass")
        || lower.contains("invalid password")) {
      return service.startsWith("postgres")
          ? "set POSTGRES_PASSWORD in .env to the password of postgres.user, then `keiko-mon up`"
          : "set REDIS_PASSWORD in .env to Redis' requirepass, then `keiko-mon up`";
    }
    if (lower.contains("mount") || lower.contains("no such file")) {
      return "a file or folder mounted into " + service + " is missing or refused: `keiko-mon render`, then"
          + " `keiko-mon up`";
    }
    return "`keiko-mon logs " + service + "` shows the whole log; `keiko-mon up` starts it again";
  }

  /** The host file behind the container path a log line names ({@code /etc/prometheus/x.yml}). */
  private String configFile(String reason, String service) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("/etc/" + service + "/([\\w./-]+\\.ya?ml)")
        .matcher(reason);
    String name = m.find() ? m.group(1) : service + ".yml";
    return outputDir + "/" + service + "/" + name;
  }
}
