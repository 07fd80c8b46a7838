package io.keikomon.backup;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.BasicAuth;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.PrometheusClient;
import io.keikomon.core.Component;
import io.keikomon.core.OperationFailedException;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerGateway;
import io.keikomon.render.RenderedTree;
import io.keikomon.stack.ComponentEndpoints;
import io.keikomon.stack.Stack;
import io.keikomon.stack.StackAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The running stack as backup and restore reach it: containers by component, and the API clients through
 * {@link ComponentEndpoints} (so whatever credentials and TLS the endpoints carry apply to every call).
 */
final class LiveStack {
  private final DockerGateway docker;
  private final Supplier<Stack> stack;
  private ComponentEndpoints endpoints;

  LiveStack(DockerGateway docker, Supplier<Stack> stack) {
    this.docker = docker;
    this.stack = stack;
  }

  /**
   * Credentials and CA as render wrote them for this stack (plain HTTP when security is off); made on first use,
   * as a restore into an empty folder has no output folder until its config part is back.
   */
  private ComponentEndpoints endpoints() {
    if (endpoints == null) {
      endpoints = ComponentEndpoints.of(docker, StackAccess.of(stack().outputDir()));
    }
    return endpoints;
  }

  DockerGateway docker() {
    return docker;
  }

  /** The stack as it is now (found again on every call: restore starts and stops containers). */
  Stack stack() {
    return stack.get();
  }

  /** The component's container, running or not. */
  Optional<ContainerDetails> container(Component c) {
    return stack().container(c.service()).flatMap(s -> docker.inspectContainer(s.id()));
  }

  ContainerDetails running(Component c, String forWhat) {
    ContainerDetails d = container(c).orElseThrow(() -> new OperationFailedException(
        "project " + stack().project() + " has no " + c.service() + " container, so " + forWhat + " is not possible",
        "start the stack with `keiko-mon up`, or leave the part out with --only"));
    if (!d.state().running()) {
      throw new OperationFailedException(c.service() + " (container " + d.name() + ") is not running, so " + forWhat
          + " is not possible", "start it with `keiko-mon up`, or leave the part out with --only");
    }
    return d;
  }

  PrometheusClient prometheus(ContainerDetails c) {
    return new PrometheusClient(endpoints().transport(c, Component.PROMETHEUS));
  }

  AlertmanagerClient alertmanager(ContainerDetails c) {
    return new AlertmanagerClient(endpoints().transport(c, Component.ALERTMANAGER));
  }

  /** As admin, with the password render wrote into the secrets folder. */
  GrafanaClient grafana(ContainerDetails c, Path outputDir) {
    Path secret = outputDir.resolve(RenderedTree.SECRETS_DIR + io.keikomon.render.SecretFile.GRAFANA_ADMIN_PASSWORD);
    return new GrafanaClient(endpoints().transport(c, Component.GRAFANA,
        Optional.of(BasicAuth.fromSecretFile("admin", secret))));
  }

  /** Asks {@code ready} every 300 ms until it says yes; fails naming {@code what} when {@code timeout} passes first. */
  static void awaitReady(Supplier<Boolean> ready, String what, Duration timeout) {
    Instant until = Instant.now().plus(timeout);
    RuntimeException last = null;
    while (Instant.now().isBefore(until)) {
      try {
        if (ready.get()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new OperationFailedException(what + " did not answer within " + timeout.toSeconds() + " s"
        + (last == null ? "" : ": " + last.getMessage()), "`keiko-mon logs " + what + "` shows why");
  }
}
