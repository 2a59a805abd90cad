package org.selfstorage.cli;

import picocli.CommandLine.Option;

/** {@code --json}: print the command's result record as JSON instead of text. */
final class JsonOption {
  @Option(names = "--json", description = "Print the result as JSON.")
  boolean enabled;
}
