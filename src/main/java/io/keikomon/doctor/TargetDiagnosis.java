package io.keikomon.doctor;

import io.keikomon.api.PrometheusModel.Target;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one target of {@code /api/v1/targets} into a finding: the scrape's {@code lastError} (Prometheus' own
 * words, e.g. "dial tcp 10.0.0.5:8000: connect: connection refused") classified into a cause and a fix.
 */
final class TargetDiagnosis {
  private static final Pattern HTTP_STATUS = Pattern.compile("server returned HTTP status (\\d{3})");

  private final boolean prometheusInContainer;

  /** @param prometheusInContainer whether {@code localhost} in a target means Prometheus' own container */
  TargetDiagnosis(boolean prometheusInContainer) {
    this.prometheusInContainer = prometheusInContainer;
  }

  boolean inContainer() {
    return prometheusInContainer;
  }

  Finding diagnose(Target t) {
    String job = t.scrapePool();
    String instance = t.labels().getOrDefault("instance", t.scrapeUrl());
    String check = "target " + job + " " + instance;
    String error = t.lastError();
    if (t.up()) {
      return Finding.ok(Symptom.METRICS, job, check, "up, scraped " + t.scrapeUrl());
    }
    if (error.isEmpty()) {
      return Finding.warning(Symptom.METRICS, job, check, "health " + t.health() + ", no scrape error yet",
          "Prometheus has not scraped " + t.scrapeUrl() + " yet",
          "wait one scrape interval (" + t.scrapeInterval() + ") and run doctor again");
    }
    String url = t.scrapeUrl();
    String host = host(url);
    String targets = ScrapeKeys.targets(job);
    String lower = error.toLowerCase(Locale.ROOT);
    if (prometheusInContainer && loopback(host) && !job.equals("prometheus")) {
      return Finding.error(Symptom.METRICS, job, check, error,
          instance + " is a loopback address: inside Prometheus' container `" + host
              + "` is the container itself, not your machine",
          targets + ": use host.docker.internal:" + port(url)
              + " for a service on this machine (listening on 0.0.0.0), or the service's name on the stack's network");
    }
    if (lower.contains("connection refused")) {
      return Finding.error(Symptom.METRICS, job, check, error,
          instance + " refused the connection: nothing listens on that port, or only on 127.0.0.1",
          targets + ": " + instance + " refused the connection — is the service running and listening on 0.0.0.0"
              + " at port " + port(url) + "? (`localhost` inside a container is the container itself)");
    }
    if (lower.contains("no such host") || lower.contains("server misbehaving")) {
      return Finding.error(Symptom.METRICS, job, check, error,
          "the host name " + host + " does not resolve from Prometheus",
          targets + ": correct the host name " + host + " (a service name resolves only on the stack's network;"
              + " host.docker.internal is this machine)");
    }
    if (lower.contains("context deadline exceeded") || lower.contains("i/o timeout")) {
      return Finding.error(Symptom.METRICS, job, check, error,
          instance + " did not answer within the scrape timeout " + t.scrapeTimeout()
              + " (a firewall dropping packets, a wrong address, or a slow /metrics)",
          targets + ": check that " + instance + " is reachable from the stack's network;"
              + " if /metrics is just slow, raise prometheus.scrape_timeout");
    }
    Matcher status = HTTP_STATUS.matcher(error);
    if (status.find()) {
      int code = Integer.parseInt(status.group(1));
      String path = path(url);
      if (code == 404) {
        return Finding.error(Symptom.METRICS, job, check, error,
            instance + " answers but has no metrics at " + path + " (HTTP 404)",
            ScrapeKeys.metricsPath(job) + ": set the path your service exposes metrics on (now " + path + ")");
      }
      if (code == 401 || code == 403) {
        return Finding.error(Symptom.METRICS, job, check, error,
            instance + " refuses Prometheus' scrape of " + path + " (HTTP " + code + ")",
            "let Prometheus scrape " + path + " without credentials, or give the job credentials"
                + " (not settable in keiko.yml yet: a template override of prometheus.yml)");
      }
      return Finding.error(Symptom.METRICS, job, check, error,
          instance + " answered HTTP " + code + " at " + path,
          "fix the service behind " + targets + " so that " + path + " answers 200");
    }
    if (lower.contains("x509") || lower.contains("tls:") || lower.contains("http response to https client")) {
      return Finding.error(Symptom.METRICS, job, check, error,
          "TLS between Prometheus and " + instance + " failed (scheme or certificate)",
          ScrapeKeys.component(job) || job.equals("backend")
              ? "serve plain HTTP on " + instance + " or override the rendered prometheus.yml"
              : "extra_targets (job " + job + ").scheme: match what " + instance + " serves (http or https)");
    }
    if (lower.contains("body size limit")) {
      return Finding.error(Symptom.METRICS, job, check, error,
          instance + "'s /metrics answer is larger than the job's body_size_limit",
          "expose fewer series on " + instance + ", or raise the limit in a template override of prometheus.yml");
    }
    if (lower.contains("sample limit")) {
      return Finding.error(Symptom.METRICS, job, check, error,
          instance + " exposes more samples than the job's sample_limit",
          "drop high-cardinality labels on " + instance + ", or raise the limit in a template override");
    }
    return Finding.error(Symptom.METRICS, job, check, error, "the scrape of " + url + " failed",
        "read the error above; " + targets + " lists this target");
  }

  private static boolean loopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
  }

  private static String host(String url) {
    String h = uri(url).getHost();
    return h == null ? url : h;
  }

  private static String port(String url) {
    int p = uri(url).getPort();
    return p < 0 ? "(default)" : String.valueOf(p);
  }

  private static String path(String url) {
    String p = uri(url).getPath();
    return p == null || p.isEmpty() ? "/" : p;
  }

  private static URI uri(String url) {
    try {
      return URI.create(url);
    } catch (IllegalArgumentException e) {
      return URI.create("http://unknown/");
    }
  }
}
