package io.keikomon.config;

import io.keikomon.core.IoErrors;
import io.keikomon.core.OperationFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a text file keiko-mon parses (keiko.yml, .env, the rendered and hand-edited tree) in bounded memory:
 * at most {@link #MAX_BYTES} are read, the bytes must be UTF-8 (a byte-order mark is dropped), and a file that
 * is too big or not UTF-8 is a {@link Problem} at the first offending byte, never an exception.
 */
public final class TextFile {
  /** Far above any keiko.yml or rendered file (20k extra targets render to about 3 MB). */
  public static final int MAX_BYTES = 16 << 20;

  private TextFile() {}

  /** The file's text, or why it cannot be read as text. */
  public record Content(Optional<String> text, Optional<Problem> problem) {}

  /**
   * @param label how problems name the file ("keiko.yml", "monitoring/prometheus/prometheus.yml")
   * @throws OperationFailedException when the file cannot be read at all (the cause in words, e.g.
   *     "permission denied")
   */
  public static Content read(Path file, String label) {
    return read(file, label, MAX_BYTES);
  }

  /** The same with a lower bound for a file that is always small. */
  public static Content read(Path file, String label, int maxBytes) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + label + ": " + IoErrors.cause(e),
          IoErrors.hint(e, "check that " + label + " is a readable file"), e);
    }
    if (bytes.length > maxBytes) {
      Position at = position(bytes, maxBytes);
      return new Content(Optional.empty(), Optional.of(Problem.error(label, at.line, at.column, "",
          "is larger than the " + (maxBytes >> 20) + " MiB keiko-mon reads (stopped at byte offset " + maxBytes + ")",
          "is this the right file? keiko-mon's files are far smaller; move a large file out of the way")));
    }
    return decode(bytes, label);
  }

  /** Strict UTF-8: the first byte that is not part of a valid sequence is reported with its position. */
  public static Content decode(byte[] bytes, String label) {
    int start = bomLength(bytes);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length - start);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int offset = in.position();
      Position at = position(bytes, offset);
      return new Content(Optional.empty(), Optional.of(Problem.error(label, at.line, at.column, "",
          // Not the byte's value: the file may be a secret.
          "is not UTF-8 text: the byte at byte offset " + offset + " cannot start or continue a character",
          "save it as UTF-8 (e.g. iconv -f latin1 -t utf-8); a binary file is not a " + label + " at all")));
    }
    out.flip();
    return new Content(Optional.of(out.toString()), Optional.empty());
  }

  /** The text, or a {@link ConfigException} with the problem. */
  public static String require(Content c) {
    if (c.problem().isPresent()) {
      throw new ConfigException(java.util.List.of(c.problem().get()));
    }
    return c.text().orElseThrow();
  }

  private static int bomLength(byte[] b) {
    return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
  }

  private record Position(int line, int column) {}

  /** 1-based line and column (in characters) of byte {@code offset}; columns count UTF-8 lead bytes. */
  private static Position position(byte[] bytes, int offset) {
    int line = 1;
    int column = 1;
    for (int i = bomLength(bytes); i < offset && i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      if (b == '\n') {
        line++;
        column = 1;
      } else if ((b & 0xC0) != 0x80) {
        column++;
      }
    }
    return new Position(line, column);
  }
}
