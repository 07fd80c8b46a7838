package io.keikomon.config;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.LoadSettingsBuilder;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The limits every YAML document keiko-mon reads is held to, checked on the parser's events before a node
 * tree is built: snakeyaml-engine limits the input size and the number of aliases, but not nesting (its
 * composer recurses, so a few thousand {@code [} overflow the stack) nor what aliases expand to (50 aliases
 * of aliases are billions of nodes once a tree walker follows them). Both are counted here in one pass over
 * the events, in time linear in the file, so a hostile file is refused in milliseconds.
 */
public final class YamlLimits {
  /** Deeper than any keiko.yml, compose file, rule file or dashboard (they stay below 15). */
  public static final int MAX_DEPTH = 100;
  /** Nodes after alias expansion: 20k extra targets render to about 120k (300k with a few labels each). */
  public static final int MAX_NODES = 500_000;
  /** Values that aliases stand for (each use counted): real files alias a few small blocks at most. */
  public static final int MAX_FROM_ALIASES = 100_000;
  /** One scalar; the longest real ones (alert descriptions, dashboard queries) are a few KB. */
  public static final int MAX_SCALAR = 1 << 20;

  private YamlLimits() {}

  /** A document over a limit (at the node where it was crossed), or holding a character YAML forbids. */
  public static final class Refused extends RuntimeException {
    private final int line;
    private final int column;
    private final String hint;

    Refused(Optional<Mark> at, String message, String hint) {
      this(at.map(m -> m.getLine() + 1).orElse(0), at.map(m -> m.getColumn() + 1).orElse(0), message, hint);
    }

    Refused(int line, int column, String message, String hint) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
      this.hint = hint;
    }

    public Problem problem(String file) {
      return Problem.error(file, line, column, "", getMessage(), hint);
    }
  }

  /** Settings with snakeyaml-engine's own limits set to match ours. */
  public static LoadSettingsBuilder settings(String label) {
    // A big read buffer: the reader copies its window for every chunk a long scalar spans, quadratic in
    // the scalar's length with the default 1 KB chunks.
    return LoadSettings.builder().setLabel(label).setCodePointLimit(TextFile.MAX_BYTES).setBufferSize(64 << 10)
        .setMaxAliasesForCollections(MAX_NODES).setAllowRecursiveKeys(false);
  }

  /**
   * The document's root node, after checking it against the limits.
   *
   * @throws Refused when it is over one
   * @throws org.snakeyaml.engine.v2.exceptions.YamlEngineException when it is not YAML
   */
  public static Optional<Node> compose(String text, LoadSettings settings) {
    try {
      check(text, settings);
      return new Compose(settings).composeString(text);
    } catch (ReaderException e) {
      int line = 1;
      int column = 1;
      for (int i = 0, cp = 0; i < text.length() && cp < e.getPosition(); i += Character.charCount(text.codePointAt(i)), cp++) {
        if (text.charAt(i) == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      throw new Refused(line, column, String.format("character U+%04X is not allowed in YAML", e.getCodePoint()),
          "a YAML file holds printable text only; remove it (is this a binary file?)");
    }
  }

  private static final class Open {
    final String anchor;
    final long start;
    int height;

    Open(String anchor, long start) {
      this.anchor = anchor;
      this.start = start;
    }
  }

  private record Anchored(long nodes, int height) {}

  static void check(String text, LoadSettings settings) {
    ArrayDeque<Open> open = new ArrayDeque<>();
    Map<String, Anchored> anchors = new HashMap<>();
    long nodes = 0;
    long fromAliases = 0;
    for (Event e : new Parse(settings).parseString(text)) {
      if (e instanceof AliasEvent a) {
        String name = a.getAlias().getValue();
        if (open.stream().anyMatch(o -> name.equals(o.anchor))) {
          throw new Refused(e.getStartMark(), "the alias *" + name + " refers to a node that contains it",
              "a recursive structure has no end; copy the values instead of aliasing them");
        }
        Anchored target = anchors.get(name);
        if (target == null) {
          continue; // the composer reports an unknown alias with its position
        }
        nodes += target.nodes();
        fromAliases += target.nodes();
        if (fromAliases > MAX_FROM_ALIASES) {
          throw new Refused(e.getStartMark(), "aliases here expand to more than " + MAX_FROM_ALIASES
              + " values (each use of an alias counts its whole content)",
              "aliases of aliases multiply (a billion-laughs file); write the values out, or alias less");
        }
        childOf(open, target.height(), e);
      } else if (e instanceof ScalarEvent s) {
        nodes++;
        if (s.getValue().length() > MAX_SCALAR) {
          throw new Refused(e.getStartMark(), "a value of " + s.getValue().length() + " characters is longer than the "
              + MAX_SCALAR + " keiko-mon accepts", "is this the right file? no setting needs a value this long");
        }
        anchor(s).ifPresent(n -> anchors.put(n, new Anchored(1, 0)));
        childOf(open, 0, e);
      } else if (e instanceof CollectionStartEvent c) {
        nodes++;
        if (open.size() >= MAX_DEPTH) {
          throw new Refused(e.getStartMark(), "nested deeper than " + MAX_DEPTH + " levels",
              "no keiko-mon file nests this deep; look for runaway [ or { here");
        }
        open.push(new Open(anchor(c).orElse(null), nodes));
      } else if (e.getEventId() == Event.ID.SequenceEnd || e.getEventId() == Event.ID.MappingEnd) {
        Open done = open.pop();
        if (done.anchor != null) {
          anchors.put(done.anchor, new Anchored(nodes - done.start + 1, done.height + 1));
        }
        childOf(open, done.height + 1, e);
      }
      if (nodes > MAX_NODES) {
        throw new Refused(e.getStartMark(), "expands to more than " + MAX_NODES + " values (aliases count once per use)",
            "a few aliases of aliases multiply quickly; write the values out, or alias less");
      }
    }
  }

  /** A child of {@code height} under the innermost open collection: depth after alias expansion counts too. */
  private static void childOf(ArrayDeque<Open> open, int height, Event e) {
    if (open.size() + height > MAX_DEPTH) {
      throw new Refused(e.getStartMark(), "nested deeper than " + MAX_DEPTH + " levels once aliases are expanded",
          "no keiko-mon file nests this deep; alias less");
    }
    Open parent = open.peek();
    if (parent != null && height > parent.height) {
      parent.height = height;
    }
  }

  private static Optional<String> anchor(NodeEvent e) {
    return e.getAnchor().map(a -> a.getValue());
  }
}
