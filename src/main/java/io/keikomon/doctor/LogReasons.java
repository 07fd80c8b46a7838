package io.keikomon.doctor;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log line that explains a failure, with credentials taken out. Prometheus and the exporters log logfmt
 * ({@code level=error ... err="..."}); PostgreSQL's and Redis' own words ("password authentication failed",
 * "NOAUTH Authentication required") are recognised anywhere in a line. An exporter's line may contain its DSN
 * ({@code postgresql://keiko:secret@postgres:5432/...}): the password never reaches the output.
 */
final class LogReasons {
  private static final Pattern ERR = Pattern.compile("\\berr(?:or)?=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern MSG = Pattern.compile("\\bmsg=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern BAD = Pattern.compile("(?i)level=(error|fatal|crit)|\\berr=|\\bfatal\\b|\\bpanic\\b"
      + "|permission denied|password authentication failed|noauth|wrongpass|invalid password|no such file"
      + "|connection refused|no such host|error");
  private static final Pattern URL_PASSWORD = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s\"]*:)[^@\\s\"]*@");
  private static final Pattern KV_PASSWORD = Pattern.compile(
      "(?i)(?<![a-z])(password|passwd|pass|pwd|secret|token)(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s\"',}]+)");
  private static final Pattern LINE_NO = Pattern.compile("\\bline (\\d+)\\b");
  private static final int MAX = 300;

  private LogReasons() {
  }

  /** The newest line that reads like an error, reduced to its error text (logfmt {@code err}) and redacted. */
  static Optional<String> reason(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i);
      if (BAD.matcher(line).find()) {
        return Optional.of(shorten(redact(text(line))));
      }
    }
    return Optional.empty();
  }

  private static final Pattern CONFIG = Pattern.compile(
      "(?i)loading groups failed|parsing yaml|yaml:|parse error|unmarshal errors|field \\S+ not found");

  /**
   * For a refused configuration: the newest line naming the file and the parse error (Prometheus logs it before its
   * summary "Error reloading config"), else {@link #reason}.
   */
  static Optional<String> configReason(List<String> lines) {
    return reason(lines.stream().filter(l -> CONFIG.matcher(l).find()).toList()).or(() -> reason(lines));
  }

  /** {@code msg: err} of a logfmt line, or the line itself. */
  static String text(String line) {
    Matcher err = ERR.matcher(line);
    if (err.find()) {
      String e = unquote(err.group(1));
      Matcher msg = MSG.matcher(line);
      return msg.find() ? unquote(msg.group(1)) + ": " + e : e;
    }
    return line.strip();
  }

  /** Passwords in URLs ({@code user:***@}) and in {@code password=...} pairs replaced by {@code ***}. */
  static String redact(String text) {
    String s = URL_PASSWORD.matcher(text).replaceAll("$1***@");
    return KV_PASSWORD.matcher(s).replaceAll("$1$2***");
  }

  /** The first "line N" of a config error, if any. */
  static Optional<Integer> lineNumber(String reason) {
    Matcher m = LINE_NO.matcher(reason);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  private static String unquote(String s) {
    return s.replace("\\n", " ").replace("\\\"", "\"").replace("\\\\", "\\").replaceAll("\\s+", " ").strip();
  }

  private static String shorten(String s) {
    return s.length() > MAX ? s.substring(0, MAX) + "..." : s;
  }
}
