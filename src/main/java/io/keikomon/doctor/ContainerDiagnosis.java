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

  /** @param outputDir the rendered folder as keiko.yml's {@code output} names it, for the files a log line names */
  ContainerDiagnosis(ServiceLogs logs, String outputDir) {
    this.logs = logs;
    this.outputDir = outputDir;
  }

  List<Finding> diagnose(List<ServiceStatus> services) {
    List<Finding> out = new ArrayList<>();
    for (ServiceStatus s : services) {
      String check = "container " + s.service();
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
          remedy(s.service(), reason)));
    }
    return out;
  }

  private static String cause(ServiceStatus s, Optional<String> reason) {
    String what = ServiceStatus.MISSING.equals(s.state()) ? s.service() + " has no container"
        : "restarting".equals(s.state()) ? s.service() + " keeps restarting"
        : "running".equals(s.state()) ? s.service() + " runs but its healthcheck fails"
        : s.service() + " is " + s.state();
    return reason.map(r -> what + ": " + r).orElse(what);
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
