package org.selfstorage.federation.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableDirectoriesTest {
  @TempDir Path dir;

  @Test
  void createsMissingParents_toleratesExisting_refusesAFileInTheWay() throws Exception {
    Path deep = dir.resolve("a/b/c");
    DurableDirectories.create(deep);
    assertTrue(Files.isDirectory(deep));
    DurableDirectories.create(deep); // already there: nothing to do
    Files.writeString(dir.resolve("a/file"), "x");
    assertThrows(FileAlreadyExistsException.class, () -> DurableDirectories.create(dir.resolve("a/file")));
    DurableDirectories.force(dir.resolve("a/missing")); // best effort: no exception
  }
}
