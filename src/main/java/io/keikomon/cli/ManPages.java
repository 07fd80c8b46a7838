package io.keikomon.cli;

import io.keikomon.core.Workspace;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes roff man pages (section 1) for keiko-mon and each visible command from the same picocli model
 * that prints {@code --help}, so the two cannot drift. The build runs {@link #main} at package time
 * (target/man); {@code man -l target/man/keiko-mon.1} reads one.
 */
public final class ManPages {
  private ManPages() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target/man");
    Workspace ws = new Workspace(FileSystems.getDefault().getPath("").toAbsolutePath(), Map.of(),
        Clock.systemUTC());
    String version = args.length > 1 ? args[1] : "";
    write(KeikoCli.create(Services.real(ws, false)), out, version);
  }

  /** One page per visible command, {@code keiko-mon.1} and {@code keiko-mon-<command>.1}. */
  public static List<Path> write(CommandLine root, Path folder, String version) throws IOException {
    Files.createDirectories(folder);
    List<Path> written = new ArrayList<>();
    written.add(writePage(root.getCommandSpec(), folder.resolve("keiko-mon.1"), version));
    for (CommandLine sub : root.getSubcommands().values()) {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        written.add(writePage(sub.getCommandSpec(), folder.resolve("keiko-mon-" + sub.getCommandName() + ".1"),
            version));
      }
    }
    return written;
  }

  private static Path writePage(CommandSpec spec, Path file, String version) throws IOException {
    Files.writeString(file, page(spec, version));
    return file;
  }

  static String page(CommandSpec spec, String version) {
    String name = spec.qualifiedName("-");
    StringBuilder s = new StringBuilder();
    s.append(".TH \"").append(name.toUpperCase()).append("\" 1 \"\" \"keiko-mon ")
        .append(version).append("\" \"keiko-mon manual\"\n");
    s.append(".SH NAME\n").append(roff(name)).append(" \\- ")
        .append(roff(first(spec.usageMessage().description()))).append('\n');
    s.append(".SH SYNOPSIS\n.B ").append(roff(spec.qualifiedName(" "))).append('\n');
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) {
        s.append("[\\fB").append(roff(o.shortestName())).append("\\fR")
            .append(o.arity().max() > 0 ? " \\fI" + roff(o.paramLabel()) + "\\fR" : "").append("]\n");
      }
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      s.append("\\fI").append(roff(p.paramLabel())).append("\\fR").append(p.arity().max() > 1 ? "..." : "")
          .append('\n');
    }
    s.append(".SH DESCRIPTION\n");
    for (String line : spec.usageMessage().description()) {
      s.append(roff(line)).append('\n');
    }
    if (!spec.positionalParameters().isEmpty() || !spec.options().isEmpty()) {
      s.append(".SH OPTIONS\n");
      for (PositionalParamSpec p : spec.positionalParameters()) {
        s.append(".TP\n\\fI").append(roff(p.paramLabel())).append("\\fR\n")
            .append(roff(String.join(" ", p.description()))).append('\n');
      }
      for (OptionSpec o : spec.options()) {
        if (o.hidden()) {
          continue;
        }
        s.append(".TP\n\\fB").append(roff(String.join(", ", o.names()))).append("\\fR")
            .append(o.arity().max() > 0 ? " \\fI" + roff(o.paramLabel()) + "\\fR" : "").append('\n')
            .append(roff(String.join(" ", o.description()).replace("${DEFAULT-VALUE}",
                String.valueOf(o.defaultValue())))).append('\n');
      }
    }
    if (spec.subcommands().values().stream().anyMatch(c -> !c.getCommandSpec().usageMessage().hidden())) {
      s.append(".SH COMMANDS\n");
      spec.subcommands().forEach((n, c) -> {
        if (!c.getCommandSpec().usageMessage().hidden()) {
          s.append(".TP\n\\fB").append(roff(n)).append("\\fR\n")
              .append(roff(first(c.getCommandSpec().usageMessage().description())))
              .append(" See \\fBkeiko-mon-").append(roff(n)).append("\\fR(1).\n");
        }
      });
    }
    s.append(".SH EXIT STATUS\n");
    spec.root().usageMessage().exitCodeList().forEach((code, meaning) ->
        s.append(".TP\n").append(roff(code.strip())).append('\n').append(roff(meaning)).append('\n'));
    if (spec.parent() != null) {
      s.append(".SH SEE ALSO\n\\fBkeiko-mon\\fR(1)\n");
    }
    return s.toString();
  }

  private static String first(String[] lines) {
    return lines.length == 0 ? "" : lines[0];
  }

  /** Escapes what roff would read as markup: backslashes, and a leading dot or quote. */
  private static String roff(String text) {
    String t = text.replace("\\", "\\e").replace("-", "\\-");
    return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
  }
}
