package org.selfstorage.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.PartnerInfo;
import org.selfstorage.agent.StoreInfo;
import org.selfstorage.agent.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "key", mixinStandardHelpOptions = true,
    description = "The recovery code and the recovery sheet: what you need when this machine is gone.",
    subcommands = {KeyCommand.Code.class, KeyCommand.Sheet.class})
final class KeyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "recovery-code", mixinStandardHelpOptions = true,
      description = {"Show the recovery code again. Anyone with it and access to one partner can read all your backups."})
  static final class Code implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--yes", description = "Confirm that the code may be shown on this screen.")
    boolean yes;

    @Override
    public Integer call() {
      if (!yes) {
        throw new UsageException("CONFIRMATION_NEEDED", "the recovery code unlocks every backup; nothing was shown",
            "make sure nobody reads along, then: selfstorage key recovery-code --yes");
      }
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        SelfstorageCommand.of(spec).console().out().println(agent.recoveryCode());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "recovery-sheet", mixinStandardHelpOptions = true,
      description = {"Write a recovery sheet to print and keep away from this machine: the code, this agent's name",
          "and key, and every partner's addresses and host-key fingerprint. FILE.txt and FILE.html are written."})
  static final class Sheet implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--output", paramLabel = "FILE", required = true,
        description = "Where to write (.txt and .html are added); keep it off this machine once printed.")
    Path output;

    @Override
    public Integer call() throws IOException {
      Agent.RecoverySheet sheet;
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        sheet = agent.recoverySheet();
      }
      StringBuilder text = new StringBuilder();
      text.append("selfstorage recovery sheet for ").append(sheet.name()).append("\n\n");
      text.append("Recovery code:   ").append(sheet.recoveryCode()).append("\n");
      text.append("Agent host key:  ").append(sheet.fingerprint()).append("\n\n");
      text.append("Partners (any one is enough to recover):\n");
      for (PartnerInfo p : sheet.partners()) {
        text.append("  ").append(p.name()).append("  ").append(String.join(", ", p.addresses())).append("  ")
            .append(p.fingerprint()).append("\n");
      }
      text.append("\nLocal stores:\n");
      for (StoreInfo s : sheet.stores()) {
        text.append("  ").append(s.name()).append("  ").append(s.location()).append("\n");
      }
      String first = sheet.partners().isEmpty() ? "HOST:PORT" : sheet.partners().get(0).addresses().get(0);
      String firstFp = sheet.partners().isEmpty() ? "SHA256:..." : sheet.partners().get(0).fingerprint();
      text.append("\nOn a new machine:\n  selfstorage --home NEW_HOME recover --recovery-code '")
          .append(sheet.recoveryCode()).append("' --partner ").append(first).append(" --fingerprint ")
          .append(firstFp).append("\n  selfstorage --home NEW_HOME snapshots\n");
      Path txt = Path.of(output + ".txt");
      Path html = Path.of(output + ".html");
      writePrivate(txt, text.toString());
      writePrivate(html, "<!doctype html><html><head><meta charset=\"utf-8\"><title>selfstorage recovery sheet</title>"
          + "<style>body{font-family:sans-serif;margin:2cm}pre{font-size:12pt;white-space:pre-wrap}</style></head>"
          + "<body><pre>" + escapeHtml(text.toString()) + "</pre></body></html>\n");
      var out = SelfstorageCommand.of(spec).console().out();
      out.println("Wrote " + txt + " and " + html + " (mode 0600). Print one, store it away from this machine,");
      out.println("then delete both files: they hold the code that unlocks every backup.");
      return ExitCodes.OK;
    }

    private static void writePrivate(Path p, String content) throws IOException {
      Files.deleteIfExists(p);
      Files.createFile(p, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    private static String escapeHtml(String s) {
      return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
  }
}
