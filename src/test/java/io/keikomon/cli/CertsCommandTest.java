package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CertsCommandTest {
  static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

  static CliHarness.Result run(Workspace ws, Instant at, String... args) {
    return new CliHarness(new Services(new Workspace(ws.dir(), ws.env(), Clock.fixed(at, ZoneOffset.UTC)), false))
        .run(args);
  }

  @Test
  void certsListsExpiryAndRenewIssuesNewServerCertificatesFromTheSameCa() throws Exception {
    Workspace ws = TestWorkspaces.jimfs();
    assertEquals(0, run(ws, T0, "render").exitCode());
    Path out = ws.dir().resolve("monitoring");
    String caBefore = Files.readString(out.resolve("pki/ca.crt"));
    String certBefore = Files.readString(out.resolve("secrets/prometheus.crt"));

    CliHarness.Result list = run(ws, T0, "certs");
    assertEquals(0, list.exitCode(), list.toString());
    assertTrue(list.out().contains("prometheus     valid until 2028-01-02T12:00:00Z (397 days)  ok"), list.toString());
    assertEquals(4, list.out().lines().count(), list.toString());

    Instant late = T0.plus(Duration.ofDays(380));
    CliHarness.Result soon = run(ws, late, "certs");
    assertTrue(soon.out().contains("(17 days)  expires soon: run `keiko-mon certs renew`"), soon.toString());

    CliHarness.Result renew = run(ws, late, "certs", "renew");

    assertEquals(0, renew.exitCode(), renew.toString());
    assertTrue(renew.err().contains("issued a certificate for prometheus"), renew.toString());
    assertEquals(caBefore, Files.readString(out.resolve("pki/ca.crt")), "the CA is kept");
    assertNotEquals(certBefore, Files.readString(out.resolve("secrets/prometheus.crt")), "the mounted copy is new");
    assertEquals(Files.readString(out.resolve("pki/prometheus.crt")), Files.readString(out.resolve("secrets/prometheus.crt")));
    assertTrue(renew.out().contains("(397 days)  ok"), renew.toString());
  }
}
