package io.keikomon.testing;

import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.ImageInfo;
import io.keikomon.core.TarWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the images the Docker tests run, locally and through the engine API, because no registry is
 * reachable where the tests run. Each image is {@code FROM scratch} and holds Debian's build of the
 * upstream program (package {@code prometheus}, {@code prometheus-alertmanager}, ...) laid out like the
 * upstream image ({@code /bin/prometheus}, {@code /bin/promtool}, data in {@code /prometheus}, user nobody),
 * the libraries {@code ldd} lists, {@code /etc/passwd} with nobody, and Debian's static busybox as
 * {@code /bin/busybox} with {@code sh}/{@code wget}/... links, so the healthchecks keiko-mon generates
 * ({@code wget -qO- http://localhost:9090/-/ready}) work as they do in the busybox-based upstream images.
 *
 * <p><b>Grafana and Jaeger are stand-ins</b>, not the real programs: neither has a Debian package or any
 * other source here. {@link Image#GRAFANA_STANDIN} is a busybox shell script answering Grafana's documented
 * {@code GET /api/health}, the admin provisioning reload endpoints, {@code GET /api/datasources/uid/:uid} and
 * {@code GET /api/dashboards/uid/:uid} / {@code POST /api/dashboards/db} (with basic auth as admin, and a one-metric
 * {@code /metrics}) on port 3000, keeping dashboards in its volume or, like Grafana with {@code GF_DATABASE_TYPE=
 * postgres}, in that PostgreSQL database through Debian's {@code psql}; {@link Image#JAEGER_STANDIN}
 * answers Jaeger v2's health endpoint ({@code GET /status} on 13133), serves a page on the UI port 16686 and
 * a metrics page on 8888. Tests using
 * them can check that keiko-mon starts, wires and health-checks those services, never what Grafana or
 * Jaeger themselves do.
 *
 * <p>A build is skipped when an image with the same tag already carries the same content label (a hash of
 * the Dockerfile and of every copied file's path, size and modification time), so calling
 * {@link #ensureAll} before every test class costs a few inspect calls.
 *
 * <p>{@link #imagesOverride()} is the keiko.yml {@code images:} block pointing the stack at these tags: the
 * same mechanism a user with a private registry or a local mirror uses.
 */
public final class TestImages {
  /** Label holding the content hash that decides whether a rebuild is needed. */
  public static final String CONTENT_LABEL = "io.keikomon.test-image.content";

  private static final int NOBODY = 65534;
  private static final List<String> BUSYBOX_APPLETS =
      List.of("sh", "wget", "cat", "ls", "echo", "sleep", "env", "httpd", "nc", "ps", "kill", "mkdir", "rm", "true");

  /** One test image: its tag, the keiko.yml {@code images:} key it stands for, and how it is made. */
  public enum Image {
    PROMETHEUS("keiko-test/prometheus:debian", "prometheus", r -> r
        .binary("/usr/bin/prometheus", "/bin/prometheus")
        .binary("/usr/bin/promtool", "/bin/promtool")
        .file("/etc/prometheus/prometheus.yml", "/etc/prometheus/prometheus.yml")
        .writable("/prometheus")
        .dockerfile("USER 65534", "WORKDIR /prometheus", "EXPOSE 9090", "ENTRYPOINT [\"/bin/prometheus\"]",
            "CMD [\"--config.file=/etc/prometheus/prometheus.yml\", \"--storage.tsdb.path=/prometheus\"]")),
    ALERTMANAGER("keiko-test/alertmanager:debian", "alertmanager", r -> r
        .binary("/usr/bin/prometheus-alertmanager", "/bin/alertmanager")
        .binary("/usr/bin/amtool", "/bin/amtool")
        .file("/etc/prometheus/alertmanager.yml", "/etc/alertmanager/alertmanager.yml")
        // Debian's alertmanager reads its templates from here and exits without them.
        .tree("/usr/share/prometheus/alertmanager")
        .writable("/alertmanager")
        .dockerfile("USER 65534", "WORKDIR /alertmanager", "EXPOSE 9093", "ENTRYPOINT [\"/bin/alertmanager\"]",
            "CMD [\"--config.file=/etc/alertmanager/alertmanager.yml\", \"--storage.path=/alertmanager\"]")),
    NODE_EXPORTER("keiko-test/node-exporter:debian", "node-exporter", r -> r
        .binary("/usr/bin/prometheus-node-exporter", "/bin/node_exporter")
        .writable("/var/lib/prometheus/node-exporter")
        .dockerfile("USER 65534", "EXPOSE 9100", "ENTRYPOINT [\"/bin/node_exporter\"]")),
    POSTGRES_EXPORTER("keiko-test/postgres-exporter:debian", "postgres-exporter", r -> r
        .binary("/usr/bin/prometheus-postgres-exporter", "/bin/postgres_exporter")
        .dockerfile("USER 65534", "EXPOSE 9187", "ENTRYPOINT [\"/bin/postgres_exporter\"]")),
    REDIS_EXPORTER("keiko-test/redis-exporter:debian", "redis-exporter", r -> r
        // upstream oliver006/redis_exporter keeps its binary at the root
        .binary("/usr/bin/prometheus-redis-exporter", "/redis_exporter")
        .dockerfile("USER 65534", "EXPOSE 9121", "ENTRYPOINT [\"/redis_exporter\"]")),
    BLACKBOX_EXPORTER("keiko-test/blackbox-exporter:debian", "blackbox-exporter", r -> r
        .binary("/usr/bin/prometheus-blackbox-exporter", "/bin/blackbox_exporter")
        .file("/etc/prometheus/blackbox.yml", "/etc/blackbox_exporter/config.yml")
        .dockerfile("USER 65534", "EXPOSE 9115", "ENTRYPOINT [\"/bin/blackbox_exporter\"]",
            "CMD [\"--config.file=/etc/blackbox_exporter/config.yml\"]")),
    /**
     * Stand-in, NOT Grafana: a busybox shell script per connection ({@code nc -ll -e}) answering Grafana's documented
     * {@code /api/health}, the admin provisioning reload endpoints and {@code GET /api/datasources/uid/:uid} (as of the
     * last provisioning) with basic auth as admin; see {@code src/test/resources/testimages/grafana-standin.sh}.
     */
    // its own tag: worktrees sharing one engine and building the older httpd-only stand-in must not replace it
    GRAFANA_STANDIN("keiko-test/grafana-standin:search-health", "grafana", r -> r
        .text("/standin/grafana.sh", resource("/testimages/grafana-standin.sh"))
        // Debian's psql, so that with GF_DATABASE_TYPE=postgres the stand-in keeps dashboards in that database
        .binary(debianPsql(), "/bin/psql")
        .writable("/var/lib/grafana")
        .dockerfile("USER 65534", "EXPOSE 3000",
            // the script as PID 1's child: a shell that exits on SIGTERM, so a stop does not wait for the kill;
            // provisioning once before listening, as Grafana provisions at start
            "ENTRYPOINT [\"/bin/sh\", \"-c\", \"trap 'exit 0' TERM; sh /standin/grafana.sh provision;"
                + " nc -ll -p 3000 -e /bin/sh /standin/grafana.sh & wait\"]")),
    /** Stand-in, NOT Jaeger: health on :13133 /status, a page on the UI port :16686, metrics on :8888. */
    JAEGER_STANDIN("keiko-test/jaeger-standin:busybox", "jaeger", r -> r
        .text("/www/health/status", "{\"status\":\"Server available\",\"upSince\":\"stand-in\"}\n")
        .text("/www/ui/index.html", "<html><body>Jaeger stand-in for keiko-mon tests (busybox httpd)</body></html>\n")
        .text("/www/metrics/metrics",
            "# HELP keiko_jaeger_standin_up The Jaeger stand-in is serving.\n"
                + "# TYPE keiko_jaeger_standin_up gauge\nkeiko_jaeger_standin_up 1\n")
        .dockerfile("USER 65534", "EXPOSE 16686 13133 8888",
            "ENTRYPOINT [\"/bin/sh\", \"-c\", \"trap 'exit 0' TERM; httpd -p 13133 -h /www/health"
                + " && httpd -p 8888 -h /www/metrics && httpd -f -p 16686 -h /www/ui & wait\"]"));

    private final String tag;
    private final String configKey;
    private final java.util.function.UnaryOperator<Recipe> recipe;

    Image(String tag, String configKey, java.util.function.UnaryOperator<Recipe> recipe) {
      this.tag = tag;
      this.configKey = configKey;
      this.recipe = recipe;
    }

    /** Made on use, so a missing Debian package fails the build of that image with its path, not class loading. */
    private Recipe recipe() {
      return recipe.apply(new Recipe());
    }

    public String tag() {
      return tag;
    }

    /** The key under keiko.yml {@code images:} this image replaces. */
    public String configKey() {
      return configKey;
    }
  }

  private TestImages() {}

  private static String resource(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Debian's psql binary (not the /usr/bin/psql Perl wrapper), from the newest installed PostgreSQL major. */
  private static String debianPsql() {
    try (Stream<Path> majors = Files.list(Paths.get("/usr/lib/postgresql"))) {
      return majors.map(m -> m.resolve("bin/psql")).filter(Files::isExecutable)
          .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getParent().getFileName().toString())))
          .map(Path::toString).orElse("/usr/lib/postgresql/15/bin/psql");
    } catch (IOException | NumberFormatException e) {
      return "/usr/lib/postgresql/15/bin/psql";
    }
  }

  /** Builds every image that is missing or out of date. */
  public static void ensureAll(DockerGateway docker) {
    for (Image image : Image.values()) {
      ensure(docker, image);
    }
  }

  /**
   * Builds {@code image} unless an up-to-date one exists; returns its tag. The suite runs in two JVMs at once, so
   * the check and the build hold a lock file: the second JVM then finds the image the first one built.
   */
  public static synchronized String ensure(DockerGateway docker, Image image) {
    Path lockFile = Paths.get(System.getProperty("java.io.tmpdir"), "keiko-test-images.lock");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      Context context = image.recipe().context();
      Optional<ImageInfo> existing = docker.inspectImage(image.tag);
      if (existing.isPresent() && context.hash.equals(existing.get().labels().get(CONTENT_LABEL))) {
        return image.tag;
      }
      Path tar = Files.createTempFile("keiko-test-image", ".tar");
      try {
        context.write(tar);
        try (InputStream in = Files.newInputStream(tar)) {
          docker.buildImage(in, image.tag);
        }
      } finally {
        Files.deleteIfExists(tar);
      }
      return image.tag;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build test image " + image.tag + ": " + e
          + " (are the Debian packages installed? bin/test-setup installs them)", e);
    }
  }

  /** The keiko.yml {@code images:} block pointing every service at these test images. */
  public static String imagesOverride() {
    StringBuilder sb = new StringBuilder("images:\n");
    for (Image image : Image.values()) {
      sb.append("  ").append(image.configKey).append(": ").append(image.tag).append('\n');
    }
    return sb.toString();
  }

  /** Appends {@link #imagesOverride()} to keiko.yml, which must not have an {@code images:} key yet. */
  public static void writeImagesOverride(Path keikoYml) throws IOException {
    String current = Files.exists(keikoYml) ? Files.readString(keikoYml) : "";
    if (Pattern.compile("(?m)^images:").matcher(current).find()) {
      throw new IllegalStateException(keikoYml + " already has an images: block");
    }
    String separator = current.isEmpty() || current.endsWith("\n") ? "" : "\n";
    Files.writeString(keikoYml, current + separator + imagesOverride());
  }

  /** Files and Dockerfile lines of one image. */
  private static final class Recipe {
    private final Map<String, Path> files = new LinkedHashMap<>();
    private final Map<String, Integer> modes = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final List<String> writable = new ArrayList<>();
    private final List<String> binaries = new ArrayList<>();
    private final List<String> dockerfile = new ArrayList<>();

    Recipe binary(String host, String inImage) {
      binaries.add(host);
      files.put(inImage, Paths.get(host));
      modes.put(inImage, 0755);
      return this;
    }

    Recipe file(String host, String inImage) {
      files.put(inImage, Paths.get(host));
      modes.put(inImage, 0644);
      return this;
    }

    /** Every regular file below {@code hostDir}, at the same place in the image. */
    Recipe tree(String hostDir) {
      try (Stream<Path> walk = Files.walk(Paths.get(hostDir))) {
        walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted()
            .forEach(p -> file(p.toString(), p.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("missing Debian package data " + hostDir, e);
      }
      return this;
    }

    Recipe text(String inImage, String content) {
      texts.put(inImage, content);
      return this;
    }

    Recipe writable(String dir) {
      writable.add(dir);
      return this;
    }

    Recipe dockerfile(String... lines) {
      dockerfile.addAll(List.of(lines));
      return this;
    }

    /** Resolves libraries and hashes everything that goes into the image. */
    Context context() throws IOException {
      Map<String, Path> all = new LinkedHashMap<>(files);
      all.put("/bin/busybox", Paths.get("/bin/busybox"));
      Map<String, Integer> allModes = new LinkedHashMap<>(modes);
      allModes.put("/bin/busybox", 0755);
      for (String lib : libraries(binaries)) {
        all.put(lib, Paths.get(lib).toRealPath());
        allModes.put(lib, 0755);
      }
      Map<String, String> allTexts = new LinkedHashMap<>(texts);
      allTexts.put("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
      allTexts.put("/etc/group", "root:x:0:\nnogroup:x:65534:\n");
      // without nsswitch.conf glibc would not read /etc/hosts first, so extra_hosts
      // (host.docker.internal:host-gateway) would not resolve
      allTexts.put("/etc/nsswitch.conf", "hosts: files dns\n");
      StringBuilder df = new StringBuilder("FROM scratch\nCOPY rootfs/ /\n");
      for (String dir : writable) {
        df.append("COPY --chown=" + NOBODY + ":" + NOBODY + " writable").append(dir).append("/ ").append(dir)
            .append("/\n");
      }
      for (String line : dockerfile) {
        df.append(line).append('\n');
      }
      MessageDigest sha = sha256();
      sha.update(df.toString().getBytes(StandardCharsets.UTF_8));
      for (Map.Entry<String, Path> e : all.entrySet()) {
        Path p = e.getValue();
        sha.update((e.getKey() + "=" + p + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis() + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      allTexts.forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      String hash = HexFormat.of().formatHex(sha.digest());
      df.append("LABEL ").append(CONTENT_LABEL).append('=').append(hash).append('\n');
      return new Context(all, allModes, allTexts, writable, df.toString(), hash);
    }
  }

  private record Context(Map<String, Path> files, Map<String, Integer> modes, Map<String, String> texts,
      List<String> writable, String dockerfile, String hash) {

    void write(Path tarFile) throws IOException {
      try (TarWriter tar = new TarWriter(new BufferedOutputStream(Files.newOutputStream(tarFile), 1 << 16), 0)) {
        tar.file("Dockerfile", dockerfile, 0644);
        Set<String> dirs = new LinkedHashSet<>();
        for (String path : union()) {
          parents("rootfs" + path, dirs);
        }
        for (String dir : writable) {
          parents("writable" + dir + "/x", dirs);
        }
        dirs.add("rootfs/tmp");
        for (String dir : dirs) {
          tar.directory(dir, dir.equals("rootfs/tmp") ? 01777 : 0755, 0, 0);
        }
        for (Map.Entry<String, Path> e : files.entrySet()) {
          tar.file("rootfs" + e.getKey(), e.getValue(), modes.get(e.getKey()), 0, 0);
        }
        for (Map.Entry<String, String> e : texts.entrySet()) {
          tar.file("rootfs" + e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
        }
        for (String applet : BUSYBOX_APPLETS) {
          tar.symlink("rootfs/bin/" + applet, "busybox");
        }
      }
    }

    private List<String> union() {
      List<String> all = new ArrayList<>(files.keySet());
      all.addAll(texts.keySet());
      all.add("/bin/busybox");
      return all;
    }

    private static void parents(String path, Set<String> into) {
      List<String> chain = new ArrayList<>();
      for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
        chain.add(path.substring(0, i));
      }
      into.addAll(chain);
    }
  }

  private static final Pattern LDD_PATH = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x");

  /** The shared libraries (and the dynamic loader) {@code ldd} lists for the binaries. */
  private static Set<String> libraries(List<String> binaries) throws IOException {
    Set<String> libs = new LinkedHashSet<>();
    for (String binary : binaries) {
      Process p = new ProcessBuilder("ldd", binary).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running ldd", e);
      }
      if (output.contains("not a dynamic executable")) {
        continue;
      }
      Matcher m = LDD_PATH.matcher(output);
      while (m.find()) {
        libs.add(m.group(1));
      }
      if (libs.isEmpty()) {
        throw new IOException("ldd " + binary + " listed no libraries:\n" + output);
      }
    }
    return libs;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
