package org.selfstorage.catalog;

/** The catalog was written by a newer selfstorage; this version must not touch it. */
public final class SchemaTooNewException extends CatalogException {
  public SchemaTooNewException(int detected, int supported) {
    super("CATALOG_TOO_NEW",
        "the catalog has schema version " + detected + " but this selfstorage understands up to "
            + supported + "; upgrade selfstorage",
        null);
  }
}
