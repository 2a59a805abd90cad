package org.selfstorage.agent;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * Something the running agent serves beside its SSH server, found at start through {@link
 * java.util.ServiceLoader} (a {@code META-INF/services} entry in its jar) and stopped with it. The
 * web UI is one: it lives in its own module, so the agent and the CLI never compile against it, and
 * a build without it simply serves no UI.
 */
public interface AgentService {
  /** A short name for logs and for {@link RunningAgent#service(String)}, such as {@code web-ui}. */
  String name();

  /**
   * Starts the service; throwing keeps the agent running without it (the reason is logged). Work
   * that changes the home goes through agents from {@link RunningAgent#openAgent()}.
   */
  Started start(Context context) throws Exception;

  /** What a service is given: the agent it serves, its home and clock, and the agent's log. */
  record Context(RunningAgent running, Home home, Clock clock, Consumer<String> log) {}

  /** A started service. */
  interface Started extends AutoCloseable {
    /** Where people reach it, secrets included (the web UI's login link); never logged. */
    String url();

    /** Takes up what it keeps from the home anew (the web UI: its token, after {@code ui --new-token}). */
    default void reload() {}

    @Override
    void close();
  }
}
