package io.keikomon.cli;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.Workspace;
import io.keikomon.core.crypto.CertificateStore;
import io.keikomon.render.RenderService;
import io.keikomon.render.SecurityPreparation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    subcommands = CertsCommand.Renew.class,
    description = {
      "Show the local CA and the server certificates keiko-mon keeps in <output>/pki/ (security.tls),",
      "with the end of their validity. `certs renew` issues them anew before they run out."
    })
final class CertsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private final Services services;

  CertsCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() {
    Workspace ws = services.workspace();
    KeikoConfig cfg = ConfigLoader.load(ws).config();
    Path out = ws.dir().resolve(cfg.output()).normalize();
    PrintWriter w = spec.commandLine().getOut();
    List<String> lines = SecurityPreparation.expiryLines(out, ws.clock().instant());
    if (lines.isEmpty()) {
      spec.commandLine().getErr().println("no certificates in " + out.resolve(SecurityPreparation.PKI_DIR)
          + (cfg.security().tls() ? "; `keiko-mon render` creates the CA and the certificates" : " (security.tls is off)"));
    }
    lines.forEach(w::println);
    w.flush();
    return ExitCodes.OK;
  }

  @Command(
      name = "renew",
      mixinStandardHelpOptions = true,
      description = {
        "Issue new server certificates from the local CA (and a new CA when it is expiring or unreadable),",
        "then render them into the output folder (into the same secret files, which the containers see);",
        "`keiko-mon up` then reloads the services, which re-read certificates per connection."
      })
  static final class Renew implements Callable<Integer> {
    @Spec CommandSpec spec;

    private final Services services;

    Renew(Services services) {
      this.services = services;
    }

    @Override
    public Integer call() {
      Workspace ws = services.workspace();
      KeikoConfig cfg = ConfigLoader.load(ws).config();
      WriterConsole console = WriterConsole.of(spec, services);
      if (!cfg.security().tls()) {
        console.warn("security.tls is off in keiko.yml: there are no certificates to renew");
        return ExitCodes.OK;
      }
      Path out = ws.dir().resolve(cfg.output()).normalize();
      CertificateStore.Material m = SecurityPreparation.renew(ws, cfg, out);
      m.changes().forEach(console::info);
      new RenderService(ws, console).render(new RenderService.Options(false, false));
      SecurityPreparation.expiryLines(out, ws.clock().instant()).forEach(console::out);
      console.info("next: keiko-mon up (reloads the services whose certificate changed)");
      return ExitCodes.OK;
    }
  }
}
