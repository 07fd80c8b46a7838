package io.keikomon.engine;

import io.keikomon.core.OperationFailedException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One up/down at a time per project. Two locks, both needed: a {@link FileChannel#tryLock file lock} next to
 * keiko.yml (two commands in one folder), and a marker on the engine, the volume {@code <project>_keiko-mon-lock}
 * (two folders, or two hosts, sharing one engine). The engine creates a volume of a given name once and answers
 * every later create of that name with the first one, labels included; so "create, then read the holder label
 * back" is an atomic test-and-set, and whoever reads their own token holds the lock.
 *
 * <p>A second caller waits (up to {@code wait}), saying who holds the lock, then gives up naming the holder: the
 * process, host, folder and since when. A marker left by a process that is gone (same host, no such pid) or that is
 * older than {@link #STALE_AFTER} (another host) is taken over. The marker is removed on close and, when the JVM is
 * stopped by a signal, by a shutdown hook.
 */
public final class ProjectLock implements AutoCloseable {
  public static final String FILE_NAME = ".keiko-mon.lock";
  /** No keiko-mon command holds a project this long; a marker this old from another host was left by a crash. */
  public static final Duration STALE_AFTER = Duration.ofHours(1);
  static final String LABEL = "keiko-mon.lock";
  private static final Duration POLL = Duration.ofMillis(250);

  /** Who holds a project's lock. */
  public record Holder(String token, long pid, String host, String folder, String command, Instant since) {
    public Map<String, String> labels(String project) {
      Map<String, String> l = new LinkedHashMap<>();
      l.put(LABEL, project);
      l.put(LABEL + ".token", token);
      l.put(LABEL + ".pid", Long.toString(pid));
      l.put(LABEL + ".host", host);
      l.put(LABEL + ".folder", folder);
      l.put(LABEL + ".command", command);
      l.put(LABEL + ".since", since.toString());
      return l;
    }

    static Optional<Holder> of(Map<String, String> labels) {
      try {
        return Optional.of(new Holder(labels.get(LABEL + ".token"), Long.parseLong(labels.get(LABEL + ".pid")),
            labels.get(LABEL + ".host"), labels.get(LABEL + ".folder"), labels.get(LABEL + ".command"),
            Instant.parse(labels.get(LABEL + ".since"))));
      } catch (RuntimeException unreadable) {
        return Optional.empty();
      }
    }

    /** e.g. "keiko-mon up (pid 4711 on build-box, folder /srv/keiko, since 2026-12-01T20:31:02Z)" */
    public String describe() {
      return "keiko-mon " + command + " (pid " + pid + " on " + host + ", folder " + folder + ", since " + since + ")";
    }

    boolean stale(String thisHost, Instant now) {
      if (host.equals(thisHost)) {
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
      }
      return since.plus(STALE_AFTER).isBefore(now);
    }
  }

  private final FileChannel file;
  private final FileLock fileLock;
  private final String project;
  private final Holder me;
  private final Instant until;
  private final Consumer<String> waiting;
  private final boolean toldWaiting;
  private final Thread onSignal;
  /** The engine holding this lock's marker; null until {@link #holdOnEngine}. */
  private DockerGateway docker;

  private ProjectLock(FileChannel file, FileLock fileLock, String project, Holder me, Instant until,
      Consumer<String> waiting, boolean toldWaiting) {
    this.file = file;
    this.fileLock = fileLock;
    this.project = project;
    this.me = me;
    this.until = until;
    this.waiting = waiting;
    this.toldWaiting = toldWaiting;
    this.onSignal = new Thread(this::releaseMarker, "keiko-mon-unlock");
    Runtime.getRuntime().addShutdownHook(onSignal);
  }

  /** The marker volume of {@code project}. */
  public static String volumeName(String project) {
    return project + "_keiko-mon-lock";
  }

  /**
   * Takes the project's lock, waiting up to {@code wait} for another holder to finish: the folder's, then the
   * engine's.
   *
   * @param folder the project folder; its {@link #FILE_NAME} is the file lock
   * @param waiting told once who holds the lock, when this call has to wait
   * @throws OperationFailedException naming the holder when it still holds the lock after {@code wait}
   */
  public static ProjectLock acquire(Path folder, DockerGateway docker, String project, String command,
      Duration wait, Consumer<String> waiting) {
    ProjectLock lock = acquireFolder(folder, project, command, wait, waiting);
    try {
      lock.holdOnEngine(docker);
      return lock;
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Takes only the folder's lock, for work that changes nothing on the engine yet (rendering); the caller takes the
   * engine's with {@link #holdOnEngine} before it changes anything there. Waits like {@link #acquire}; the wait
   * budget is shared by both.
   */
  public static ProjectLock acquireFolder(Path folder, String project, String command, Duration wait,
      Consumer<String> waiting) {
    Instant until = Instant.now().plus(wait);
    Holder me = new Holder(UUID.randomUUID().toString(), ProcessHandle.current().pid(), hostName(),
        folder.toAbsolutePath().normalize().toString(), command, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    Path path = folder.resolve(FILE_NAME);
    FileChannel channel = null;
    FileLock lock;
    boolean told = false;
    try {
      channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      while ((lock = tryLock(channel)) == null) {
        String holder = readHolder(path).orElse("another keiko-mon command in " + me.folder());
        if (Instant.now().isAfter(until)) {
          throw busy(project, holder, volumeName(project));
        }
        if (!told) {
          waiting.accept("waiting for " + holder + " to finish with project " + project);
          told = true;
        }
        sleep();
      }
      channel.truncate(0).write(ByteBuffer.wrap((me.describe() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      ProjectLock acquired = new ProjectLock(channel, lock, project, me, until, waiting, told);
      channel = null;
      return acquired;
    } catch (IOException e) {
      throw new OperationFailedException("cannot lock " + path + ": " + e.getMessage(),
          "keiko-mon keeps its lock file next to keiko.yml: the folder must be writable", e);
    } finally {
      if (channel != null) {
        closeQuietly(channel);
      }
    }
  }

  /**
   * Takes the engine's marker of the project (two folders or hosts sharing one engine), waiting for another holder
   * until the deadline {@link #acquireFolder} set. Once per lock.
   */
  public synchronized void holdOnEngine(DockerGateway engine) {
    if (docker != null) {
      throw new IllegalStateException("the engine's lock of " + project + " is held already");
    }
    String name = volumeName(project);
    boolean told = toldWaiting;
    while (true) {
      engine.createVolume(new VolumeSpec(name, null, me.labels(project)));
      Optional<Holder> holder = engine.inspectVolume(name).flatMap(v -> Holder.of(v.labels()));
      if (holder.isPresent() && holder.get().token().equals(me.token())) {
        docker = engine;
        return;
      }
      if (holder.isEmpty() || holder.get().stale(me.host(), Instant.now())) {
        // left by a crash (or unreadable): take it over
        engine.removeVolume(name);
        continue;
      }
      if (Instant.now().isAfter(until)) {
        throw busy(project, holder.get().describe(), name);
      }
      if (!told) {
        waiting.accept("waiting for " + holder.get().describe() + " to finish with project " + project);
        told = true;
      }
      sleep();
    }
  }

  public Holder holder() {
    return me;
  }

  /** Removes the engine's marker (when it is still this lock's) and releases the file lock; never throws. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onSignal);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or will run: it releases the marker
    }
    releaseMarker();
    try {
      fileLock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(file);
  }

  private synchronized void releaseMarker() {
    if (docker == null) {
      return;
    }
    String volume = volumeName(project);
    try {
      Optional<Holder> holder = docker.inspectVolume(volume).flatMap(v -> Holder.of(v.labels()));
      if (holder.isPresent() && holder.get().token().equals(me.token())) {
        docker.removeVolume(volume);
      }
    } catch (RuntimeException e) {
      // an engine that does not answer keeps the marker; the next caller finds this pid gone and takes it over
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldInThisProcess) {
      return null;
    }
  }

  private static Optional<String> readHolder(Path path) {
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static OperationFailedException busy(String project, String holder, String volume) {
    return new OperationFailedException("project " + project + " is busy: " + holder + " is working on it",
        "wait for it to finish and run the command again; if that process is gone for good (a host that crashed),"
            + " `docker volume rm " + volume + "` frees the project");
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String jvm = ManagementFactory.getRuntimeMXBean().getName();
      return jvm.contains("@") ? jvm.substring(jvm.indexOf('@') + 1) : "localhost";
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while waiting for the project's lock", null, e);
    }
  }

  private static void closeQuietly(FileChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
  }
}
