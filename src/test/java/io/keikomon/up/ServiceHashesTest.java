package io.keikomon.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeModel.Condition;
import io.keikomon.compose.ComposeModel.Dependency;
import io.keikomon.compose.ComposeModel.Health;
import io.keikomon.compose.ComposeModel.Mount;
import io.keikomon.compose.ComposeModel.MountType;
import io.keikomon.compose.ComposeModel.Port;
import io.keikomon.compose.ComposeModel.Service;
import io.keikomon.compose.ComposeModel.Volume;
import io.keikomon.core.Digests;
import io.keikomon.engine.Hardening;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceHashesTest {
  private static final ComposeModel MODEL = new ComposeModel(Path.of("/srv/monitoring/docker-compose.yml"), "keiko",
      Map.of(), Map.of("data", new Volume("data", null, false, null, Map.of())), Map.of());

  private static Service prometheus(String name, Map<String, Dependency> dependsOn) {
    return new Service(name, "prom/prometheus:v3.5.0",
        Optional.of(List.of("--config.file=/etc/prometheus/prometheus.yml", "--web.enable-lifecycle")),
        Optional.empty(), Map.of("TZ", "UTC", "A", "1"), List.of(new Port("127.0.0.1", 9090, 9090, "tcp")),
        List.of(new Mount(MountType.BIND, "/srv/monitoring/prometheus", "/etc/prometheus", true, ""),
            new Mount(MountType.VOLUME, "data", "/prometheus", false, "")),
        Optional.of(new Health(List.of("CMD", "wget", "-qO-", "http://localhost:9090/-/ready"),
            5_000_000_000L, 3_000_000_000L, 10_000_000_000L, 5)),
        dependsOn, List.of("host.docker.internal:host-gateway"), "unless-stopped", "keiko-prometheus",
        Optional.empty(), Optional.empty(), Map.of("com.docker.compose.service", name), Optional.of("65534"), Hardening.NONE);
  }

  @Test
  void theSpecHashOfAFixedServiceIsAFixedValue() {
    // The exact text keiko-mon 0.1.0 hashed (it used toString() of the records): keeping it means an
    // upgrade finds the same hash on every running container and recreates none of them.
    String text = """
        image=prom/prometheus:v3.5.0
        command=Optional[[--config.file=/etc/prometheus/prometheus.yml, --web.enable-lifecycle]]
        entrypoint=Optional.empty
        environment={A=1, TZ=UTC}
        ports=[127.0.0.1:9090:9090/tcp]
        mount=/srv/monitoring/prometheus|/etc/prometheus|true|
        mount=volume:keiko_data|/prometheus|false|
        healthcheck=Optional[Health[test=[CMD, wget, -qO-, http://localhost:9090/-/ready], intervalNanos=5000000000, \
        timeoutNanos=3000000000, startPeriodNanos=10000000000, retries=5]]
        extra_hosts=[host.docker.internal:host-gateway]
        restart=unless-stopped
        container_name=keiko-prometheus
        network=keiko_default
        pid=Optional.empty
        labels={com.docker.compose.service=prometheus}
        user=Optional[65534]
        """;
    String hash = ServiceHashes.spec(MODEL, prometheus("prometheus", Map.of()));
    assertEquals(Digests.sha256Hex(text), hash);
    assertEquals("4f3cb3ae53b7f4ddcb2f33b1234d04fc1b45ededd903f2073e148b8cf2358129", hash);
  }

  @Test
  void fieldsThatAreNotListedDoNotChangeTheHash() {
    String hash = ServiceHashes.spec(MODEL, prometheus("prometheus", Map.of()));
    // depends_on only orders start-up (as in Compose), and the service's key is not part of the container
    Service other = prometheus("prometheus", Map.of("alertmanager", new Dependency(Condition.SERVICE_HEALTHY, false,
        true)));
    assertEquals(hash, ServiceHashes.spec(MODEL, other));
  }

  @Test
  void aListedFieldChangesTheHash() {
    Service s = prometheus("prometheus", Map.of());
    Service newImage = new Service(s.name(), "prom/prometheus:v3.6.0", s.command(), s.entrypoint(), s.environment(),
        s.ports(), s.mounts(), s.healthcheck(), s.dependsOn(), s.extraHosts(), s.restart(), s.containerName(),
        s.networkMode(), s.pid(), s.labels(), s.user(), s.hardening());
    assertNotEquals(ServiceHashes.spec(MODEL, s), ServiceHashes.spec(MODEL, newImage));
  }

  @Test
  void aChangedMemoryLimitOrCapabilityChangesTheHash() {
    Service s = prometheus("prometheus", Map.of());
    Hardening base = new Hardening(List.of("no-new-privileges:true"), List.of(), List.of("ALL"), true, List.of(),
        512L << 20, "json-file", Map.of("max-size", "10m"));
    Hardening moreMemory = new Hardening(base.securityOpt(), base.capAdd(), base.capDrop(), true, List.of(),
        1L << 30, "json-file", base.logOptions());
    Hardening chown = new Hardening(base.securityOpt(), List.of("CHOWN"), base.capDrop(), true, List.of(),
        base.memoryBytes(), "json-file", base.logOptions());
    String plain = ServiceHashes.spec(MODEL, s);
    String hardened = ServiceHashes.spec(MODEL, with(s, base));
    assertNotEquals(plain, hardened);
    assertNotEquals(hardened, ServiceHashes.spec(MODEL, with(s, moreMemory)));
    assertNotEquals(hardened, ServiceHashes.spec(MODEL, with(s, chown)));
    assertEquals(hardened, ServiceHashes.spec(MODEL, with(s, base)));
  }

  private static Service with(Service s, Hardening h) {
    return new Service(s.name(), s.image(), s.command(), s.entrypoint(), s.environment(), s.ports(), s.mounts(),
        s.healthcheck(), s.dependsOn(), s.extraHosts(), s.restart(), s.containerName(), s.networkMode(), s.pid(),
        s.labels(), s.user(), h);
  }
}
