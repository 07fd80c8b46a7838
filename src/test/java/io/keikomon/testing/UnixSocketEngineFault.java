package io.keikomon.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Unix socket standing in for a Docker Engine that misbehaves. {@link #hung} accepts every connection and never
 * answers (a wedged dockerd). {@link #freezingProxy} forwards to a real engine socket until a request whose text
 * contains {@code trigger} arrives, then forwards nothing more, in either direction, on any connection (an engine
 * that freezes in the middle of a command). Use {@link #endpoint()} as DOCKER_HOST.
 */
public final class UnixSocketEngineFault implements AutoCloseable {
  private final Path socket;
  private final ServerSocketChannel server;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private final AtomicBoolean frozen = new AtomicBoolean();
  private final Path target;
  private final String trigger;
  private volatile boolean closed;

  private UnixSocketEngineFault(Path dir, Path target, String trigger) throws IOException {
    this.socket = dir.resolve("engine.sock");
    this.target = target;
    this.trigger = trigger;
    this.frozen.set(target == null);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    daemon(this::acceptLoop, "fault-accept").start();
  }

  public static UnixSocketEngineFault hung(Path dir) throws IOException {
    return new UnixSocketEngineFault(dir, null, null);
  }

  public static UnixSocketEngineFault freezingProxy(Path dir, Path engineSocket, String trigger) throws IOException {
    return new UnixSocketEngineFault(dir, engineSocket, trigger);
  }

  public String endpoint() {
    return "unix://" + socket;
  }

  public boolean frozen() {
    return frozen.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        SocketChannel client = server.accept();
        open.add(client);
        if (!frozen.get()) {
          SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(target));
          open.add(engine);
          daemon(() -> pump(client, engine, true), "fault-up").start();
          daemon(() -> pump(engine, client, false), "fault-down").start();
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to, boolean request) {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    try {
      while (from.read(buf.clear()) >= 0) {
        buf.flip();
        if (request && !frozen.get()
            && StandardCharsets.ISO_8859_1.decode(buf.duplicate()).toString().contains(trigger)) {
          frozen.set(true);
        }
        if (frozen.get()) {
          return; // keep both ends open and silent
        }
        while (buf.hasRemaining()) {
          to.write(buf);
        }
      }
    } catch (IOException e) {
      // a side closed: the other stays as it is
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (SocketChannel c : open) {
      c.close();
    }
    Files.deleteIfExists(socket);
  }
}
