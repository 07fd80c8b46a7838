package io.keikomon.config;

import java.util.regex.Pattern;

/** The shapes of values keiko.yml hands to Docker and Prometheus, checked before they get there. */
final class Syntax {
  private static final Pattern COMPOSE_PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  /** Loose on purpose: hex groups and colons (at least two), e.g. ::1 or fd00::1. */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern HOST = Pattern.compile(
      "[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*|\\[[0-9A-Fa-f:.]+\\]");
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private Syntax() {}

  static boolean isComposeProject(String s) {
    return COMPOSE_PROJECT.matcher(s).matches();
  }

  static boolean isIpAddress(String s) {
    return IPV4.matcher(s).matches() || IPV6.matcher(s).matches();
  }

  static boolean isHost(String s) {
    return HOST.matcher(s).matches();
  }

  /** host:port with a port of 1-65535 (what a Prometheus static target is). */
  static boolean isHostPort(String t) {
    int colon = t.lastIndexOf(':');
    if (colon <= 0) {
      return false;
    }
    String port = t.substring(colon + 1);
    if (!isHost(t.substring(0, colon)) || port.isEmpty() || port.length() > 5
        || !port.chars().allMatch(Character::isDigit)) {
      return false;
    }
    int p = Integer.parseInt(port);
    return p >= 1 && p <= 65535;
  }

  static boolean isMetricName(String s) {
    return METRIC_NAME.matcher(s).matches();
  }

  /** A label name users may set: names starting with "__" are Prometheus-internal. */
  static boolean isLabelName(String s) {
    return LABEL_NAME.matcher(s).matches() && !s.startsWith("__");
  }

  static boolean isJobName(String s) {
    return JOB_NAME.matcher(s).matches();
  }
}
