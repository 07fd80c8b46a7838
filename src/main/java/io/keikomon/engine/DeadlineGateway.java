package io.keikomon.engine;

import io.keikomon.core.DockerUnavailableException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts a deadline on every call to another {@link DockerGateway}, whatever its transport: an engine that
 * accepts connections but stops answering (a wedged dockerd, a full disk under /var/lib/docker, a stuck proxy)
 * then ends the command with exit 4 naming the endpoint and the call in flight, instead of hanging. (docker-java's
 * Unix-socket transport ignores its response timeout, so the transport alone cannot be trusted with this.)
 *
 * <p>Each call gets its own budget ({@link #REQUEST} for lookups, {@link #CHANGE} for container changes, the
 * caller's timeout plus {@link #SLACK} for waits and execs; a pull may take as long as its progress keeps coming),
 * cut short by the command's deadline when one is set ({@link #until}). Once one call has timed out, every later
 * call fails at once with the same report: the engine is not answering, waiting again would only add up.
 */
public final class DeadlineGateway implements DockerGateway {
  /** Lookups, lists, network and volume changes, signals. */
  public static final Duration REQUEST = Duration.ofSeconds(10);
  /** Creating, starting and removing containers, copying files in and out. */
  public static final Duration CHANGE = Duration.ofSeconds(60);
  /** Added to a wait, a stop grace or an exec timeout the caller chose. */
  public static final Duration SLACK = Duration.ofSeconds(10);
  /** A pull fails when the engine sends no progress for this long. */
  public static final Duration PULL_STALL = Duration.ofSeconds(60);
  /** Building an image (tests only). */
  static final Duration BUILD = Duration.ofMinutes(10);
  /** Even past the command's deadline, a call gets this long, so a failure can still be reported with its logs. */
  static final Duration FLOOR = Duration.ofSeconds(2);
  /** Reads of a copied-out stream go through the deadline one buffer refill at a time. */
  static final int COPY_BUFFER = 1 << 18;

  private final DockerGateway inner;
  private final String endpoint;
  private final Instant commandDeadline;
  private final Shared shared;

  /** The executor and the verdict shared by every view of one gateway. */
  private static final class Shared {
    final ExecutorService calls = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "keiko-mon-engine-call");
      t.setDaemon(true);
      return t;
    });
    final AtomicReference<DockerUnavailableException> stopped = new AtomicReference<>();
    final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  }

  private DeadlineGateway(DockerGateway inner, String endpoint, Instant commandDeadline, Shared shared) {
    this.inner = inner;
    this.endpoint = endpoint;
    this.commandDeadline = commandDeadline;
    this.shared = shared;
  }

  /** Deadlines on every call to {@code inner}, which talks to {@code endpoint}. */
  public static DeadlineGateway of(DockerGateway inner, String endpoint) {
    return inner instanceof DeadlineGateway d ? d : new DeadlineGateway(inner, endpoint, null, new Shared());
  }

  /** The same gateway, with every call also ending by {@code deadline} (a command's --timeout). */
  public DeadlineGateway until(Instant deadline) {
    return new DeadlineGateway(inner, endpoint, deadline, shared);
  }

  /** {@code gateway} bounded by {@code deadline}; a gateway without deadlines (a test fake) gets them too. */
  public static DockerGateway until(DockerGateway gateway, Instant deadline) {
    return (gateway instanceof DeadlineGateway d ? d : of(gateway, "the Docker Engine")).until(deadline);
  }

  /** What the engine was asked and has not answered yet (for an interruption message). */
  public List<String> inFlight() {
    return List.copyOf(shared.inFlight);
  }

  @Override
  public void expectChanges() {
    inner.expectChanges(); // only starts work on another thread: needs no deadline
  }

  @Override
  public EngineInfo info() {
    return within("ask the engine for its version", REQUEST, inner::info);
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    return within("list containers", REQUEST, () -> inner.listContainers(labels));
  }

  @Override
  public List<NetworkInfo> listNetworks(Map<String, String> labels) {
    return within("list networks", REQUEST, () -> inner.listNetworks(labels));
  }

  @Override
  public List<VolumeInfo> listVolumes(Map<String, String> labels) {
    return within("list volumes", REQUEST, () -> inner.listVolumes(labels));
  }

  @Override
  public Optional<ContainerDetails> inspectContainer(String idOrName) {
    return within("inspect container " + idOrName, REQUEST, () -> inner.inspectContainer(idOrName));
  }

  @Override
  public Optional<NetworkInfo> inspectNetwork(String idOrName) {
    return within("inspect network " + idOrName, REQUEST, () -> inner.inspectNetwork(idOrName));
  }

  @Override
  public Optional<VolumeInfo> inspectVolume(String name) {
    return within("inspect volume " + name, REQUEST, () -> inner.inspectVolume(name));
  }

  @Override
  public String createNetwork(NetworkSpec spec) {
    return within("create network " + spec.name(), REQUEST, () -> inner.createNetwork(spec));
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    run("create volume " + spec.name(), REQUEST, () -> inner.createVolume(spec));
  }

  @Override
  public void removeNetwork(String idOrName) {
    run("remove network " + idOrName, REQUEST, () -> inner.removeNetwork(idOrName));
  }

  @Override
  public void removeVolume(String name) {
    run("remove volume " + name, CHANGE, () -> inner.removeVolume(name));
  }

  @Override
  public Optional<ImageInfo> inspectImage(String reference) {
    return within("inspect image " + reference, REQUEST, () -> inner.inspectImage(reference));
  }

  @Override
  public void pullImage(String reference, PullListener progress) {
    AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    PullListener watched = (layer, status, current, total) -> {
      lastProgress.set(System.nanoTime());
      progress.progress(layer, status, current, total);
    };
    untilStalled("pull " + reference, () -> PULL_STALL, lastProgress, () -> inner.pullImage(reference, watched));
  }

  @Override
  public String buildImage(InputStream contextTar, String tag) {
    return within("build image " + tag, BUILD, () -> inner.buildImage(contextTar, tag));
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    return within("create container " + spec.name(), CHANGE, () -> inner.createContainer(spec));
  }

  @Override
  public void startContainer(String id) {
    run("start container " + id, CHANGE, () -> inner.startContainer(id));
  }

  @Override
  public void stopContainer(String id, Duration grace) {
    run("stop container " + id, grace.plus(SLACK), () -> inner.stopContainer(id, grace));
  }

  @Override
  public void signalContainer(String id, String signal) {
    run("send " + signal + " to container " + id, REQUEST, () -> inner.signalContainer(id, signal));
  }

  @Override
  public void removeContainer(String id, boolean force) {
    run("remove container " + id, CHANGE, () -> inner.removeContainer(id, force));
  }

  @Override
  public int waitForExit(String id, Duration timeout) {
    return within("wait for container " + id, timeout.plus(SLACK), () -> inner.waitForExit(id, timeout));
  }

  @Override
  public ExecResult exec(String id, List<String> cmd, Duration timeout) {
    return within("run " + cmd.get(0) + " in container " + id, timeout.plus(SLACK), () -> inner.exec(id, cmd, timeout));
  }

  @Override
  public Subscription logs(String id, LogRequest request, LogListener listener) {
    Subscription s = within("read the log of container " + id, REQUEST, () -> inner.logs(id, request, listener));
    return request.follow() ? bounded(s, null) : bounded(s, "read the log of container " + id);
  }

  @Override
  public Subscription events(EventFilter filter, EventListener listener) {
    return bounded(within("watch engine events", REQUEST, () -> inner.events(filter, listener)), null);
  }

  /**
   * A copy may take long (a TSDB of many gigabytes); what it may not do is stall. So the budget is for progress:
   * the copy stops when the engine has taken no bytes of {@code tar} (or not answered after the last) for
   * {@link #CHANGE}.
   */
  @Override
  public void copyIn(String id, String remoteDir, InputStream tar) {
    String what = "copy files into container " + id;
    AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    InputStream watched = new java.io.FilterInputStream(tar) {
      @Override
      public int read() throws java.io.IOException {
        int b = super.read();
        lastProgress.set(System.nanoTime());
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        int n = super.read(b, off, len);
        lastProgress.set(System.nanoTime());
        return n;
      }
    };
    untilStalled(what, () -> limit(CHANGE), lastProgress, () -> inner.copyIn(id, remoteDir, watched));
  }

  /**
   * Runs {@code action} for as long as it keeps moving: it stops (exit 4, like every engine that stops answering)
   * once {@code lastProgress} is older than {@code stall}, whatever the total time.
   */
  private void untilStalled(String what, java.util.function.Supplier<Duration> stall, AtomicLong lastProgress,
      Action action) {
    Future<Object> f = submit(what, () -> {
      action.run();
      return null;
    });
    try {
      while (true) {
        try {
          f.get(250, TimeUnit.MILLISECONDS);
          return;
        } catch (TimeoutException stillRunning) {
          Duration limit = stall.get();
          if (System.nanoTime() - lastProgress.get() > limit.toNanos()) {
            throw stopped(what, limit, "no progress");
          }
        }
      }
    } catch (ExecutionException e) {
      throw rethrow(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(what);
    } finally {
      shared.inFlight.remove(what);
      f.cancel(true);
    }
  }

  /**
   * The stream is read through the deadline too: each refill of a {@link #COPY_BUFFER} buffer gets
   * {@link #CHANGE}, so an engine that stops sending in the middle of a copy ends it instead of hanging it.
   */
  @Override
  public InputStream copyOut(String id, String remotePath) {
    String what = "copy " + remotePath + " out of container " + id;
    InputStream in = within(what, CHANGE, () -> inner.copyOut(id, remotePath));
    InputStream bounded = new InputStream() {
      @Override
      public int read() throws java.io.IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        return io(() -> within(what, CHANGE, () -> in.read(b, off, len)));
      }

      @Override
      public void close() throws java.io.IOException {
        io(() -> within(what + " (closing)", FLOOR, () -> {
          in.close();
          return 0;
        }));
      }
    };
    return new java.io.BufferedInputStream(bounded, COPY_BUFFER);
  }

  /** The stream's own I/O failure as the IOException it was, not wrapped by the deadline. */
  private static int io(java.util.function.IntSupplier call) throws java.io.IOException {
    try {
      return call.getAsInt();
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof java.io.IOException io) {
        throw io;
      }
      throw e;
    }
  }

  /** Closing a connection the engine no longer answers on can block too: it gets {@link #FLOOR}, then is left. */
  @Override
  public SwarmGateway swarm() {
    return new DeadlineSwarmGateway(this, inner.swarm());
  }

  @Override
  public void close() {
    Future<?> f = shared.calls.submit(inner::close);
    try {
      f.get(FLOOR.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // best effort: the process is about to end, and the threads are daemons
    }
    shared.calls.shutdownNow();
  }

  // --- the deadline

  interface Action {
    void run();
  }

  void run(String what, Duration budget, Action action) {
    within(what, budget, () -> {
      action.run();
      return null;
    });
  }

  <T> T within(String what, Duration budget, Callable<T> call) {
    Duration limit = limit(budget);
    Future<T> f = submit(what, call);
    try {
      return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw stopped(what, limit, "no answer");
    } catch (ExecutionException e) {
      throw rethrow(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(what);
    } finally {
      shared.inFlight.remove(what);
      f.cancel(true);
    }
  }

  private <T> Future<T> submit(String what, Callable<T> call) {
    DockerUnavailableException already = shared.stopped.get();
    if (already != null) {
      throw already;
    }
    shared.inFlight.add(what);
    try {
      return shared.calls.submit(call);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      shared.inFlight.remove(what);
      throw new DockerUnavailableException("the connection to " + endpoint + " is closed (while trying to " + what + ")",
          null);
    }
  }

  /** The call's budget, cut to what is left of the command's deadline (but never below {@link #FLOOR}). */
  private Duration limit(Duration budget) {
    if (commandDeadline == null) {
      return budget;
    }
    Duration left = Duration.between(Instant.now(), commandDeadline);
    Duration cut = left.compareTo(budget) < 0 ? left : budget;
    return cut.compareTo(FLOOR) < 0 ? FLOOR : cut;
  }

  private DockerUnavailableException stopped(String what, Duration limit, String symptom) {
    DockerUnavailableException e = new DockerUnavailableException(
        "the Docker Engine at " + endpoint + " stopped answering: " + symptom + " within "
            + seconds(limit) + " while trying to " + what,
        "check the engine (`docker info`; `journalctl -u docker`; a full disk under /var/lib/docker or a stuck"
            + " proxy in front of the socket can wedge it); once it answers again, run the command again");
    shared.stopped.compareAndSet(null, e);
    return shared.stopped.get();
  }

  private DockerUnavailableException interrupted(String what) {
    return new DockerUnavailableException("interrupted while waiting for " + endpoint + " to " + what, null);
  }

  private static RuntimeException rethrow(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(cause);
  }

  /** A stream whose end is awaited within a deadline ({@code what} non-null) and whose close cannot hang. */
  private Subscription bounded(Subscription s, String what) {
    return new Subscription() {
      @Override
      public void awaitCompletion() throws InterruptedException {
        if (what == null) {
          s.awaitCompletion();
        } else if (!s.awaitCompletion(limit(CHANGE))) {
          close();
          throw stopped(what, limit(CHANGE), "the stream did not end");
        }
      }

      @Override
      public boolean awaitCompletion(Duration timeout) throws InterruptedException {
        return s.awaitCompletion(timeout);
      }

      @Override
      public void close() {
        Future<?> f = shared.calls.submit(s::close);
        try {
          f.get(FLOOR.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          // the stream is abandoned: it ends with the process
        }
      }
    };
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
  }
}
