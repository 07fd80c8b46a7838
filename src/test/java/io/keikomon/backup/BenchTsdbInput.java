package io.keikomon.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * For bin/bench-backup: OpenMetrics input for {@code promtool tsdb create-blocks-from openmetrics
 * --max-block-duration=18h}, one file per 18 h window, so one promtool per window runs in parallel and reads its
 * file once (promtool reads the whole input again for every block it makes, which is what made a big TSDB take
 * hours). 18 h is the largest block Prometheus compacts to at its default retention, so the blocks stay as they
 * are while the benchmark runs. Values are random 6-digit fractions, which the chunk encoding cannot shrink
 * (7.5 bytes a sample, measured), one sample every 15 s; the newest window ends at least 4 h before now.
 *
 * <p>Usage: {@code BenchTsdbInput DIR SIZE_MB NOW_SECONDS}; writes {@code DIR/window-<i>.om} and prints one line
 * {@code <series> <first second> <last second>}.
 */
public final class BenchTsdbInput {
  static final long WINDOW = 18 * 3600;
  static final long STEP = 15;
  static final long WINDOW_BYTES = 512L << 20;

  private BenchTsdbInput() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long bytes = Long.parseLong(args[1]) << 20;
    long now = Long.parseLong(args[2]);
    int windows = (int) Math.max(1, (bytes + WINDOW_BYTES - 1) / WINDOW_BYTES);
    long perWindow = WINDOW / STEP;
    int series = (int) Math.max(1, bytes * 2 / 15 / windows / perWindow);
    long end = (now - 4 * 3600) / WINDOW * WINDOW;
    long start = end - windows * WINDOW;
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(42);
    for (int w = 0; w < windows; w++) {
      long from = start + w * WINDOW;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("window-" + w + ".om")),
          1 << 20)) {
        write(out, series, from, from + WINDOW, random);
      }
    }
    System.out.println(series + " " + start + " " + (end - STEP));
  }

  private static void write(OutputStream out, int series, long from, long to, SplittableRandom random)
      throws IOException {
    out.write("# TYPE bench_value gauge\n".getBytes(StandardCharsets.US_ASCII));
    byte[] line = new byte[128];
    for (int s = 0; s < series; s++) {
      byte[] prefix = ("bench_value{series=\"" + s + "\"} 0.").getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(prefix, 0, line, 0, prefix.length);
      for (long t = from; t < to; t += STEP) {
        int n = prefix.length;
        int v = random.nextInt(1_000_000);
        for (int d = 100_000; d > 0; d /= 10) {
          line[n++] = (byte) ('0' + v / d % 10);
        }
        line[n++] = ' ';
        n = digits(line, n, t);
        line[n++] = '\n';
        out.write(line, 0, n);
      }
    }
    out.write("# EOF\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static int digits(byte[] b, int at, long value) {
    String s = Long.toString(value);
    for (int i = 0; i < s.length(); i++) {
      b[at + i] = (byte) s.charAt(i);
    }
    return at + s.length();
  }
}
