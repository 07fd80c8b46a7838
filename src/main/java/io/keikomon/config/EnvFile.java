package io.keikomon.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code .env} file as Docker Compose reads it: {@code KEY=VALUE} lines, optional {@code export }
 * prefix, '#' comments, single quotes (literal) and double quotes (with \n, \" and \\ escapes).
 * Lines it cannot read are problems with their line number, never silently skipped.
 */
public final class EnvFile {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** A value and the 1-based line it came from. */
  public record Entry(String value, int line) {}

  private final String label;
  private final Map<String, Entry> entries;
  private final List<Problem> problems;

  private EnvFile(String label, Map<String, Entry> entries, List<Problem> problems) {
    this.label = label;
    this.entries = entries;
    this.problems = List.copyOf(problems);
  }

  /** A few KB in practice; a bigger .env is not one. */
  static final int MAX_BYTES = 1 << 20;

  /** A file that could not be read as text: no variables, the reason as its one problem. */
  static EnvFile unreadable(String label, Problem why) {
    return new EnvFile(label, Map.of(), List.of(why));
  }

  public static EnvFile empty() {
    return new EnvFile(".env", Map.of(), List.of());
  }

  public static EnvFile parse(String text, String label) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    // Editors on Windows may start the file with a byte-order mark; it is not part of the first name.
    String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      int control = controlCharacter(lines[i]);
      if (control >= 0) {
        problems.add(Problem.error(label, lineNo, lines[i].codePointCount(0, control) + 1, "",
            String.format("control character U+%04X in the line", (int) lines[i].charAt(control)),
            "a .env holds text only; remove it (is this a binary file?)"));
        continue;
      }
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).stripLeading();
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        problems.add(Problem.error(label, lineNo, 1, "", "not a KEY=VALUE line",
            "write NAME=value, or start the line with # to comment it out"));
        continue;
      }
      String key = line.substring(0, eq).strip();
      if (!KEY.matcher(key).matches()) {
        problems.add(Problem.error(label, lineNo, 1, key, "\"" + key + "\" is not a variable name",
            "use letters, digits and '_', not starting with a digit"));
        continue;
      }
      String raw = line.substring(eq + 1).strip();
      int valueColumn = lines[i].indexOf('=') + 2;
      try {
        String value = value(raw);
        Entry previous = entries.put(key, new Entry(value, lineNo));
        if (previous != null) {
          problems.add(Problem.warning(label, lineNo, 1, key, "set again (first on line " + previous.line() + ")",
              "the last one wins; delete the other"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(Problem.error(label, lineNo, valueColumn, key, e.getMessage(),
            "close the quote, or remove it if the value has no spaces or '#'"));
      }
    }
    return new EnvFile(label, entries, problems);
  }

  /** Index of the first character other than tab that Compose would choke on (NUL, escape, ...), or -1. */
  private static int controlCharacter(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
        return i;
      }
    }
    return -1;
  }

  private static String value(String raw) {
    if (raw.startsWith("'")) {
      int end = raw.indexOf('\'', 1);
      if (end < 0) {
        throw new IllegalArgumentException("unclosed single quote");
      }
      requireOnlyComment(raw.substring(end + 1));
      return raw.substring(1, end);
    }
    if (raw.startsWith("\"")) {
      StringBuilder b = new StringBuilder();
      for (int i = 1; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '"') {
          requireOnlyComment(raw.substring(i + 1));
          return b.toString();
        }
        if (c == '\\' && i + 1 < raw.length()) {
          char n = raw.charAt(++i);
          b.append(switch (n) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> n;
          });
        } else {
          b.append(c);
        }
      }
      throw new IllegalArgumentException("unclosed double quote");
    }
    // Unquoted: a '#' after whitespace starts a comment; one inside the value (e.g. a URL fragment) does not.
    int hash = raw.indexOf(" #");
    int tabHash = raw.indexOf("\t#");
    int cut = hash < 0 ? tabHash : tabHash < 0 ? hash : Math.min(hash, tabHash);
    return (cut < 0 ? raw : raw.substring(0, cut)).strip();
  }

  private static void requireOnlyComment(String rest) {
    String r = rest.strip();
    if (!r.isEmpty() && !r.startsWith("#")) {
      throw new IllegalArgumentException("unexpected text after the closing quote: " + r);
    }
  }

  /** Every variable, in file order. */
  public Map<String, Entry> entries() {
    return java.util.Collections.unmodifiableMap(entries);
  }

  /** {@code KEY=value} that {@link #parse} reads back as {@code value}: double-quoted when plain would not be. */
  public static String line(String key, String value) {
    if (value.matches("[A-Za-z0-9_./:@%+=,~-]*")) {
      return key + "=" + value;
    }
    String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t");
    return key + "=\"" + escaped + "\"";
  }

  public Optional<Entry> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  public String label() {
    return label;
  }

  /** Malformed lines (errors) and repeated keys (warnings). */
  public List<Problem> problems() {
    return problems;
  }
}
