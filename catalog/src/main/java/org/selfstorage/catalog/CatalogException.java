package org.selfstorage.catalog;

/** A failure of the catalog; {@link #code()} is a stable identifier a user can search for. */
public class CatalogException extends RuntimeException {
  private final String code;

  public CatalogException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public CatalogException(String message, Throwable cause) {
    this("CATALOG_ERROR", message, cause);
  }

  public String code() {
    return code;
  }
}
