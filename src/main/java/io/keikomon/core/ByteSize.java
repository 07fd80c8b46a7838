package io.keikomon.core;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as Docker and Compose write them ({@code 512m}, {@code 1g}, {@code 1gb}, plain bytes), in powers of 1024. */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*([kmgt]?)b?");

  private ByteSize() {}

  public static OptionalLong parse(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    int shift = switch (m.group(2)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    return OptionalLong.of(Long.parseLong(m.group(1)) << shift);
  }

  /** The shortest exact form {@link #parse} reads back: {@code 2g}, {@code 1536m}, {@code 1000}. */
  public static String format(long bytes) {
    String[] units = {"t", "g", "m", "k"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (4 - i));
      if (bytes >= unit && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return Long.toString(bytes);
  }
}
