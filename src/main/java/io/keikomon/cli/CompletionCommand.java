package io.keikomon.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a shell completion script for keiko-mon's commands and options.",
      "bash: source <(keiko-mon completion bash)   (or save it under /etc/bash_completion.d/keiko-mon)",
      "zsh:  source <(keiko-mon completion zsh)    (in ~/.zshrc; it loads bashcompinit itself)"
    })
final class CompletionCommand implements Callable<Integer> {
  enum Shell { bash, zsh }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    // picocli's script is written for bash and, through bashcompinit, zsh; the zsh variant only makes
    // sure the completion system is loaded before the script registers itself.
    String script = AutoComplete.bash("keiko-mon", root);
    if (shell == Shell.zsh) {
      script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
    }
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
