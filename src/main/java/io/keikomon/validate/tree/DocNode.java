package io.keikomon.validate.tree;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed YAML or JSON document that remembers where each value sits (1-based line and column), so
 * checks can point at the offending line. Built by {@link Documents} from either format.
 */
public sealed interface DocNode {
  int line();

  int column();

  /** A mapping; keys keep their file order. */
  record Mapping(Map<String, DocNode> entries, int line, int column) implements DocNode {
    public Mapping {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public Optional<DocNode> get(String key) {
      return Optional.ofNullable(entries.get(key));
    }

    public Optional<Mapping> mapping(String key) {
      return get(key).filter(Mapping.class::isInstance).map(Mapping.class::cast);
    }

    public List<DocNode> sequence(String key) {
      return get(key).filter(Sequence.class::isInstance).map(n -> ((Sequence) n).items()).orElse(List.of());
    }

    /** The text of a scalar entry (any scalar kind except null). */
    public Optional<String> text(String key) {
      return get(key).filter(Scalar.class::isInstance).map(Scalar.class::cast)
          .filter(s -> s.kind() != Scalar.Kind.NULL).map(Scalar::text);
    }
  }

  record Sequence(List<DocNode> items, int line, int column) implements DocNode {
    public Sequence {
      items = List.copyOf(items);
    }
  }

  /** A 1-based place in a file. */
  record Position(int line, int column) {}

  /**
   * A leaf value; {@code text} is the value (without quotes or escapes), {@code source} the same value as
   * written in the file.
   */
  record Scalar(String text, Kind kind, int line, int column, String source) implements DocNode {
    public enum Kind { STRING, NUMBER, BOOLEAN, NULL }

    /**
     * Where the {@code occurrence}-th (0-based) whole-word appearance of {@code word} in the value is in the
     * file. Words that need no escaping (metric names) appear in the source as in the value; when the word
     * cannot be found there, the position of the scalar itself is returned.
     */
    public Position positionOf(String word, int occurrence) {
      int at = wordIndex(source, word, occurrence);
      if (at < 0) {
        return new Position(line, column);
      }
      int lineStart = source.lastIndexOf('\n', at - 1);
      int newlines = (int) source.substring(0, at).chars().filter(c -> c == '\n').count();
      return newlines == 0 ? new Position(line, column + at) : new Position(line + newlines, at - lineStart);
    }

    /** Index of the {@code occurrence}-th whole-word {@code word} in {@code s}, or -1. */
    public static int wordIndex(String s, String word, int occurrence) {
      int seen = 0;
      for (int i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) {
        boolean startsWord = i == 0 || !isWordChar(s.charAt(i - 1));
        boolean endsWord = i + word.length() == s.length() || !isWordChar(s.charAt(i + word.length()));
        if (startsWord && endsWord && seen++ == occurrence) {
          return i;
        }
      }
      return -1;
    }

    /** How many whole-word {@code word}s {@code s} holds before {@code end}. */
    public static int wordsBefore(String s, String word, int end) {
      int n = 0;
      while (true) {
        int i = wordIndex(s, word, n);
        if (i < 0 || i >= end) {
          return n;
        }
        n++;
      }
    }

    private static boolean isWordChar(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }
  }
}
