package org.selfstorage.federation.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.Durability;

class DurabilityTest {
  @TempDir Path dir;

  @Test
  void createsMissingParents_toleratesExisting_refusesAFileInTheWay() throws Exception {
    Path deep = dir.resolve("a/b/c");
    Durability.system().createDirectories(deep);
    assertTrue(Files.isDirectory(deep));
    Durability.system().createDirectories(deep); // already there: nothing to do
    Files.writeString(dir.resolve("a/file"), "x");
    assertThrows(FileAlreadyExistsException.class, () -> Durability.system().createDirectories(dir.resolve("a/file")));
    Durability.system().forceDirectory(dir.resolve("a/missing")); // best effort: no exception
  }
}
