package org.selfstorage.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.AgentService;
import org.selfstorage.agent.ConfigKey;
import org.selfstorage.agent.RunningAgent;
import org.selfstorage.agent.UiToken;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "ui", mixinStandardHelpOptions = true,
    description = {"Print the link to the web UI: a dashboard of your backups, partners and events, served by the",
        "running agent, with a JSON API for scripts (docs/api.md).",
        "The link holds the UI's secret token (in HOME/run/ui.token): opening it logs the browser in, so keep",
        "it to yourself. Scripts send the token as 'Authorization: Bearer TOKEN'.",
        "The UI listens on ui.listen (default 127.0.0.1:7780) and only ever on this machine; from another one,",
        "tunnel it: ssh -L 7780:127.0.0.1:7780 THIS-MACHINE, then open the link there.",
        "Without a running agent the link is printed all the same, with a note that nothing serves it yet.",
        "If the link leaked: --new-token replaces the token, and the old link stops working at once."})
final class UiCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin JsonOption json;

  @CommandLine.Option(names = "--new-token", description = {"Replace the token first: the old link, and every browser "
      + "and script that uses it,", "stop working at once (browsers log in again with the new link)."})
  boolean newToken;

  @Override
  public Integer call() {
    SelfstorageCommand root = SelfstorageCommand.of(spec);
    RunningAgent running = root.running();
    if (newToken) {
      UiToken.renew(root.resolvedHome());
      if (running != null) {
        running.service("web-ui").ifPresent(AgentService.Started::reload);
      }
    }
    String url;
    String note = null;
    if (running != null) {
      // run inside the agent (see ControlClient): it knows the port it really got, even for port 0
      url = running.service("web-ui").map(AgentService.Started::url).orElseThrow(() -> new AgentException(
          "UI_NOT_SERVED", "the agent runs but serves no web UI; its log says why (often: the port of ui.listen "
              + "is taken)", "selfstorage config set ui.listen 127.0.0.1:PORT, then restart the agent"));
    } else {
      String listen;
      try (Agent agent = root.openAgent()) {
        listen = agent.configGet(ConfigKey.UI_LISTEN.key());
      }
      String token = UiToken.readOrCreate(root.resolvedHome());
      boolean anyPort = listen.endsWith(":0");
      url = anyPort ? null : "http://" + listen + "/?token=" + token;
      note = "the agent is not running, so nothing serves " + (anyPort ? "the web UI (ui.listen " + listen
          + " picks a port at start)" : "this link") + " yet; start it: selfstorage agent";
    }
    var out = root.console().out();
    if (json.enabled) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("url", url);
      r.put("agentRunning", running != null);
      r.put("newToken", newToken);
      r.put("note", note);
      Json.print(out, r);
      return ExitCodes.OK;
    }
    if (url != null) {
      out.println(url);
    }
    if (newToken) {
      root.console().err().println("a new token: the old link no longer works; log in again with this one");
    }
    if (note != null) {
      root.console().err().println(note);
    }
    return ExitCodes.OK;
  }
}
