package io.keikomon.engine.dockerjava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive transfer's HTTP client against a scripted engine on a Unix socket. */
class EngineHttpTest {
  @TempDir
  Path dir;

  @Test
  void aChunkedBodyIsDecodedWhateverTheChunkSizes() throws Exception {
    byte[] payload = new byte[700_000];
    new Random(7).nextBytes(payload);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(("HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    int at = 0;
    for (int size : new int[] {1, 4096, 65_535, 300_000}) {
      wire.writeBytes((Integer.toHexString(size) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
      wire.write(payload, at, size);
      wire.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      at += size;
    }
    wire.writeBytes((Integer.toHexString(payload.length - at) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    wire.write(payload, at, payload.length - at);
    wire.writeBytes("\r\n0\r\nX-Trailer: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    EngineHttp.Response r = EngineHttp.read(new ByteArrayInputStream(wire.toByteArray()));
    assertEquals(200, r.status());
    assertArrayEquals(payload, r.body().readAllBytes());
  }

  @Test
  void aBodyCutShortIsAnErrorNotAShorterBody() throws Exception {
    byte[] chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nonly eight\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    InputStream body = EngineHttp.read(new ByteArrayInputStream(chunked)).body();
    assertThrows(EOFException.class, body::readAllBytes);
    byte[] sized = "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nonly eight".getBytes(StandardCharsets.US_ASCII);
    InputStream body2 = EngineHttp.read(new ByteArrayInputStream(sized)).body();
    assertThrows(EOFException.class, body2::readAllBytes);
  }

  @Test
  void getSendsThePathAndStreamsTheAnswer() throws Exception {
    Path socket = dir.resolve("engine.sock");
    CompletableFuture<String> request = serve(socket, head ->
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    EngineHttp http = EngineHttp.forEndpoint("unix://" + socket, false).orElseThrow();
    try (EngineHttp.Response r = http.get("/containers/abc/archive?path=%2Fprometheus")) {
      assertEquals(200, r.status());
      assertEquals("hello", new String(r.body().readAllBytes(), StandardCharsets.US_ASCII));
    }
    String head = request.get(10, TimeUnit.SECONDS);
    assertTrue(head.startsWith("GET /containers/abc/archive?path=%2Fprometheus HTTP/1.1\r\n"), head);
    assertTrue(head.contains("\r\nConnection: close\r\n"), head);
  }

  @Test
  void putSendsTheBodyChunked() throws Exception {
    Path socket = dir.resolve("engine.sock");
    byte[] payload = new byte[600_000];
    new Random(3).nextBytes(payload);
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    CompletableFuture<String> request = serve(socket, head -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        in -> {
          try {
            received.complete(new EngineHttp.ChunkedInput(in).readAllBytes());
          } catch (IOException e) {
            received.completeExceptionally(e);
          }
        });
    EngineHttp http = EngineHttp.forEndpoint("unix://" + socket, false).orElseThrow();
    try (EngineHttp.Response r = http.put("/containers/abc/archive?path=%2F", "application/x-tar",
        out -> {
          for (int i = 0; i < payload.length; i += 1000) {
            out.write(payload, i, Math.min(1000, payload.length - i));
          }
        })) {
      assertEquals(200, r.status());
    }
    assertTrue(request.get(10, TimeUnit.SECONDS).contains("\r\nTransfer-Encoding: chunked\r\n"));
    assertArrayEquals(payload, received.get(10, TimeUnit.SECONDS));
  }

  @Test
  void onlyPlainEndpointsAreTakenOver() {
    assertTrue(EngineHttp.forEndpoint("unix:///var/run/docker.sock", false).isPresent());
    assertTrue(EngineHttp.forEndpoint("tcp://127.0.0.1:2375", false).isPresent());
    assertTrue(EngineHttp.forEndpoint("tcp://127.0.0.1:2376", true).isEmpty(), "TLS stays with docker-java");
    assertTrue(EngineHttp.forEndpoint("npipe:////./pipe/docker_engine", false).isEmpty());
  }

  private CompletableFuture<String> serve(Path socket, Function<String, String> answer) throws IOException {
    return serve(socket, answer, in -> { });
  }

  /** One connection: reads the request head, lets {@code body} read the rest, then answers. */
  private CompletableFuture<String> serve(Path socket, Function<String, String> answer,
      java.util.function.Consumer<InputStream> body) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    CompletableFuture<String> head = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (server; SocketChannel c = server.accept()) {
        InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(c));
        StringBuilder h = new StringBuilder();
        while (!h.toString().endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            throw new EOFException();
          }
          h.append((char) b);
        }
        body.accept(in);
        Channels.newOutputStream(c).write(answer.apply(h.toString()).getBytes(StandardCharsets.US_ASCII));
        head.complete(h.toString());
      } catch (IOException | RuntimeException e) {
        head.completeExceptionally(e);
      }
    });
    t.setDaemon(true);
    t.start();
    return head;
  }
}
