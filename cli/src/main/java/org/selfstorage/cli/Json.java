package org.selfstorage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import org.selfstorage.agent.AgentJson;

/** Prints result records as JSON for {@code --json}, in the shapes the web UI's API also uses. */
final class Json {
  private static final ObjectMapper MAPPER = AgentJson.mapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static void print(PrintStream out, Object value) {
    try {
      out.println(MAPPER.writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
