package io.keikomon.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * New values for some variables of a {@code .env} text, everything else kept byte for byte (comments, order, other
 * lines, line endings). The assignment Compose uses (the last one) is rewritten, keeping its {@code export } prefix
 * and indentation (a comment at the end of that one line goes with the old value); a variable without one is appended.
 */
public final class EnvFileUpdate {
  private EnvFileUpdate() {}

  public static String apply(String text, Map<String, String> values) {
    Map<String, String> missing = new LinkedHashMap<>(values);
    StringBuilder out = new StringBuilder(text);
    for (Map.Entry<String, String> e : values.entrySet()) {
      Pattern assignment = Pattern.compile("(?m)^([ \\t]*(?:export[ \\t]+)?)" + Pattern.quote(e.getKey())
          + "[ \\t]*=[^\\r\\n]*");
      Matcher m = assignment.matcher(out);
      int start = -1;
      int end = -1;
      String prefix = "";
      while (m.find()) {
        start = m.start();
        end = m.end();
        prefix = m.group(1);
      }
      if (start >= 0) {
        out.replace(start, end, prefix + EnvFile.line(e.getKey(), e.getValue()));
        missing.remove(e.getKey());
      }
    }
    if (!missing.isEmpty()) {
      String newline = text.contains("\r\n") ? "\r\n" : "\n";
      if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
        out.append(newline);
      }
      missing.forEach((k, v) -> out.append(EnvFile.line(k, v)).append(newline));
    }
    return out.toString();
  }
}
