package io.keikomon.engine.dockerjava;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A minimal HTTP/1.1 client on the engine's socket for the two bulk transfers, copying an archive out of and into a
 * container: docker-java's zerodep transport moves those bytes at a tenth of the speed of the socket (measured, see
 * docs/benchmarks.md), this streams them with one buffer and no copy in between. One request per connection
 * ({@code Connection: close}); response bodies by Content-Length, chunked, or until the engine closes.
 * Only for endpoints without TLS (a Unix socket, or plain tcp://); the others stay with docker-java.
 */
final class EngineHttp {
  /** Big reads: a TSDB archive is gigabytes, and every read is a system call. */
  static final int BUFFER = 1 << 18;

  /** A response whose body is read as a stream; closing it closes the connection. */
  record Response(int status, InputStream body, String location) implements AutoCloseable {
    Response(int status, InputStream body) {
      this(status, body, null);
    }

    /** The body as text, for error messages (the engine sends JSON with a message). */
    String text() throws IOException {
      return new String(body.readNBytes(64 << 10), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /** A whole (small) answer: the status and the body's bytes, for the JSON reads of {@link EngineReads}. */
  record Answer(int status, byte[] body, String location) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  /** Closes an exchange's connection when its time is up; one thread for all of them. */
  private static final class Timer {
    static final java.util.concurrent.ScheduledExecutorService CLOSER =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "keiko-mon-engine-timeout");
          t.setDaemon(true);
          return t;
        });
  }

  /** Writes a request body; the stream given is chunk-encoded and must not be closed. */
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  private final SocketAddress address;
  private final String host;

  private EngineHttp(SocketAddress address, String host) {
    this.address = address;
    this.host = host;
  }

  /** A client for {@code endpoint}, or empty when it is not a Unix socket or plain TCP (TLS stays with docker-java). */
  static Optional<EngineHttp> forEndpoint(String endpoint, boolean tls) {
    URI uri = URI.create(endpoint);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("unix") && uri.getPath() != null && !uri.getPath().isEmpty()) {
      return Optional.of(new EngineHttp(UnixDomainSocketAddress.of(uri.getPath()), "docker"));
    }
    if (scheme.equals("tcp") && !tls && uri.getHost() != null) {
      int port = uri.getPort() < 0 ? 2375 : uri.getPort();
      return Optional.of(new EngineHttp(new InetSocketAddress(uri.getHost(), port), uri.getHost() + ":" + port));
    }
    return Optional.empty();
  }

  /** {@code GET pathAndQuery}: the response with its body unread. */
  Response get(String pathAndQuery) throws IOException {
    return exchange("GET", pathAndQuery, null, null);
  }

  /** {@code PUT pathAndQuery} with a chunked body of {@code contentType}. */
  Response put(String pathAndQuery, String contentType, Body body) throws IOException {
    return exchange("PUT", pathAndQuery, contentType, body);
  }

  /**
   * {@code method pathAndQuery} with an optional JSON body, the whole answer read. The exchange, connecting included,
   * ends within {@code timeout} (null: no limit) with a {@link java.net.SocketTimeoutException} saying which request
   * timed out: a Unix socket has no read timeout, so the connection is closed under it when the time is up.
   */
  Answer call(String method, String pathAndQuery, byte[] json, java.time.Duration timeout) throws IOException {
    Answer a = callOnce(method, pathAndQuery, json, timeout);
    // the engine's router answers a path it would clean (Not//A) with a redirect to the clean one, which docker-java's
    // transport follows for a GET; so do these, once
    if ((a.status() == 301 || a.status() == 307 || a.status() == 308) && method.equals("GET")
        && a.location() != null && a.location().startsWith("/")) {
      return callOnce(method, a.location(), json, timeout);
    }
    return a;
  }

  private Answer callOnce(String method, String pathAndQuery, byte[] json, java.time.Duration timeout)
      throws IOException {
    SocketChannel channel = open();
    java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.ScheduledFuture<?> closer = timeout == null ? null : Timer.CLOSER.schedule(() -> {
      timedOut.set(true);
      try {
        channel.close();
      } catch (IOException ignored) {
        // closed already
      }
    }, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    try (channel) {
      channel.connect(address);
      OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 8192);
      StringBuilder head = head(method, pathAndQuery);
      if (json != null) {
        head.append("Content-Type: application/json\r\n").append("Content-Length: ").append(json.length)
            .append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      if (json != null) {
        out.write(json);
      }
      out.flush();
      Response r = read(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
      return new Answer(r.status(), r.body().readAllBytes(), r.location());
    } catch (IOException e) {
      if (timedOut.get()) {
        java.net.SocketTimeoutException t = new java.net.SocketTimeoutException(
            method + " " + pathAndQuery.replaceFirst("\\?.*", "") + " timed out");
        t.addSuppressed(e); // not the cause: the reason shown is the innermost cause, and this says more
        throw t;
      }
      throw e;
    } finally {
      if (closer != null) {
        closer.cancel(false);
      }
    }
  }

  private SocketChannel open() throws IOException {
    return SocketChannel.open(address instanceof UnixDomainSocketAddress
        ? StandardProtocolFamily.UNIX : (((InetSocketAddress) address).getAddress() instanceof java.net.Inet6Address
            ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET));
  }

  private StringBuilder head(String method, String pathAndQuery) {
    return new StringBuilder()
        .append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append("\r\n")
        .append("User-Agent: keiko-mon\r\n")
        .append("Connection: close\r\n");
  }

  private Response exchange(String method, String pathAndQuery, String contentType, Body body) throws IOException {
    SocketChannel channel = open();
    try {
      channel.connect(address);
      OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
      StringBuilder head = head(method, pathAndQuery);
      if (body != null) {
        head.append("Content-Type: ").append(contentType).append("\r\n").append("Transfer-Encoding: chunked\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel), BUFFER);
      if (body != null) {
        ChunkedOutput chunked = new ChunkedOutput(out);
        // the chunks are as big as this buffer, whatever sizes the caller writes
        OutputStream buffered = new java.io.BufferedOutputStream(chunked, BUFFER);
        try {
          body.write(buffered);
          buffered.flush();
          chunked.finish();
        } catch (IOException e) {
          if (!chunked.broken) {
            throw e; // the caller's source failed: the engine waits for more, so the connection is dropped
          }
          // the engine may have answered (an error) and closed before taking the whole body: its answer says why
          try {
            return read(in);
          } catch (IOException noAnswer) {
            e.addSuppressed(noAnswer);
            throw e;
          }
        }
      }
      out.flush();
      return read(in);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Reads the status line and the headers; the body stream that is left ends where the body does. */
  static Response read(InputStream in) throws IOException {
    String status = line(in);
    int code;
    try {
      String[] parts = status.split(" ", 3);
      if (!parts[0].startsWith("HTTP/1.")) {
        throw new NumberFormatException();
      }
      code = Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      in.close();
      throw new IOException("the engine answered with something that is not HTTP: " + status);
    }
    long length = -1;
    boolean chunked = false;
    String location = null;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equals("location")) {
        location = value;
      } else if (name.equals("transfer-encoding")) {
        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      }
    }
    InputStream body = chunked ? new ChunkedInput(in) : length >= 0 ? new LimitedInput(in, length) : in;
    return new Response(code, body, location);
  }

  /** One CRLF-terminated line of ASCII (status, header, chunk size). */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("the engine closed the connection mid-response");
      }
      if (c == '\n') {
        break;
      }
      if (b.size() > 16 << 10) {
        throw new IOException("the engine sent a header line of over 16 kB");
      }
      b.write(c);
    }
    String s = b.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  /** Exactly {@code length} bytes; an earlier end is an {@link EOFException}. */
  private static final class LimitedInput extends InputStream {
    private final InputStream in;
    private long left;

    LimitedInput(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the engine closed the connection " + left + " bytes before the end of the body");
      }
      left -= n;
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Decodes {@code Transfer-Encoding: chunked}; trailers are read and dropped. */
  static final class ChunkedInput extends InputStream {
    private final InputStream in;
    private long left;
    private boolean ended;

    ChunkedInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (left == 0 && !nextChunk()) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the engine closed the connection inside a chunk");
      }
      left -= n;
      if (left == 0) {
        String crlf = line(in);
        if (!crlf.isEmpty()) {
          throw new IOException("a chunk of the engine's answer is not followed by CRLF");
        }
      }
      return n;
    }

    private boolean nextChunk() throws IOException {
      if (ended) {
        return false;
      }
      String size = line(in);
      int semicolon = size.indexOf(';');
      try {
        left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("the engine sent a bad chunk size: " + size);
      }
      if (left == 0) {
        while (!line(in).isEmpty()) {
          // trailers: nothing keiko-mon needs
        }
        ended = true;
        return false;
      }
      return true;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Encodes writes as chunks (one per write, so callers write big blocks); {@link #finish()} ends the body. */
  static final class ChunkedOutput extends FilterOutputStream {
    /** Set when writing to the connection failed (not the caller's source). */
    boolean broken;

    ChunkedOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return;
      }
      try {
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b, off, len);
        out.write('\r');
        out.write('\n');
      } catch (IOException e) {
        broken = true;
        throw e;
      }
    }

    void finish() throws IOException {
      try {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        broken = true;
        throw e;
      }
    }

    @Override
    public void close() {
      // the connection belongs to the exchange
    }
  }
}
