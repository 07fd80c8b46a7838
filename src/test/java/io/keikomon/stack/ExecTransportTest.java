package io.keikomon.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.api.ApiException;
import io.keikomon.api.ApiRequest;
import io.keikomon.api.ApiResponse;
import io.keikomon.api.BasicAuth;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.ExecResult;
import io.keikomon.testing.InMemoryDockerEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Requests through busybox wget inside a container: the real status, or a named connection failure. */
class ExecTransportTest {
  final InMemoryDockerEngine engine = new InMemoryDockerEngine().container(new ContainerDetails("c1", "keiko-grafana",
      "g", "sha256:g", Map.of(), new ContainerState("running", true, 0, false, Instant.EPOCH, null, null, ""),
      List.of(), List.of(), Instant.EPOCH));
  final ExecTransport transport = new ExecTransport(engine, "c1", 3000,
      Optional.of(new BasicAuth("admin", () -> "pw")), Duration.ofSeconds(2));

  ExecTransportTest() {
    engine.execHook = (name, cmd) -> switch (cmd.get(cmd.size() - 1)) {
      case "http://127.0.0.1:3000/ok" -> new ExecResult(0, "{\"a\":1}",
          "Connecting to 127.0.0.1:3000 (127.0.0.1:3000)\n  HTTP/1.1 200 OK\n  Content-Length: 7\n");
      case "http://127.0.0.1:3000/moved" -> new ExecResult(0, "x",
          "  HTTP/1.1 302 Found\n  Location: /there\n  HTTP/1.1 200 OK\n");
      case "http://127.0.0.1:3000/denied" -> new ExecResult(1, "",
          "  HTTP/1.1 401 Unauthorized\nwget: server returned error: HTTP/1.1 401 Unauthorized\n");
      case "http://127.0.0.1:3000/refused" -> new ExecResult(1, "",
          "wget: can't connect to remote host (127.0.0.1): Connection refused\n");
      case "http://127.0.0.1:3000/slow" -> new ExecResult(ExecResult.TIMED_OUT, "", "");
      default -> new ExecResult(0, "", "");
    };
  }

  @Test
  void statusAndBodyAreWhatTheServiceSent() {
    ApiResponse r = transport.send(ApiRequest.get("read", "/ok"));
    assertEquals(200, r.status());
    assertEquals("{\"a\":1}", r.body());
    assertEquals(200, transport.send(ApiRequest.get("read", "/moved")).status(), "the last status line counts");
    assertEquals(401, transport.send(ApiRequest.get("read", "/denied")).status());
  }

  @Test
  void postsWithBasicAuthAsAHeader() {
    transport.send(ApiRequest.post("reload", "/ok"));
    assertTrue(engine.calls.contains("exec keiko-grafana wget -S -O- --post-data= --header=Authorization: Basic "
        + "YWRtaW46cHc= http://127.0.0.1:3000/ok"), engine.calls.toString());
  }

  @Test
  void noStatusLineIsAConnectionFailureNeverAMadeUpStatus() {
    ApiException refused = assertThrows(ApiException.class, () -> transport.send(ApiRequest.get("read", "/refused")));
    assertEquals(Optional.of(ApiException.Failure.REFUSED), refused.failure());
    assertTrue(refused.status().isEmpty());
    assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());

    ApiException slow = assertThrows(ApiException.class, () -> transport.send(ApiRequest.get("read", "/slow")));
    assertEquals(Optional.of(ApiException.Failure.TIMEOUT), slow.failure());

    ApiException silent = assertThrows(ApiException.class, () -> transport.send(ApiRequest.get("read", "/silent")));
    assertEquals(Optional.of(ApiException.Failure.CLOSED), silent.failure());
  }
}
