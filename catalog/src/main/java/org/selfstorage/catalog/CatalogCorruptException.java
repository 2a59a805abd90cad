package org.selfstorage.catalog;

import java.nio.file.Path;

/** The catalog file cannot be read as a catalog. Nothing in the stores is affected. */
public final class CatalogCorruptException extends CatalogException {
  private final Path file;

  public CatalogCorruptException(Path file, String detail, Throwable cause) {
    super("CATALOG_CORRUPT", "the catalog " + file + " is damaged (" + detail + ")", cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
