package io.keikomon.validate.tree;

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
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
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

  /** A leaf value; {@code text} is the value as written (without quotes). */
  record Scalar(String text, Kind kind, int line, int column) implements DocNode {
    public enum Kind { STRING, NUMBER, BOOLEAN, NULL }
  }
}
