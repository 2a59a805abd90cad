package org.selfstorage.catalog.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Brings a catalog to the current schema, one numbered script at a time, each in its own
 * transaction together with the {@code user_version} bump, so a crash leaves a whole version.
 */
public final class Migrations {
  /** The scripts, in order; script i brings the schema from version i to i + 1. */
  private static final List<String> SCRIPTS = List.of("V001__init.sql", "V002__partners.sql", "V003__retention.sql", "V004__epochs.sql",
      "V005__audits.sql", "V006__notifications.sql", "V007__tags.sql", "V008__trust.sql",
      "V009__ended.sql", "V010__excludes.sql",
      "V011__source_flags.sql", "V012__exclude_larger_than.sql");

  public static final int CURRENT = SCRIPTS.size();

  private Migrations() {}

  public static int version(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); var rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** Applies the scripts after {@code from}. */
  public static void migrate(Connection c, int from) throws SQLException {
    migrate(c, from, CURRENT);
  }

  /** Applies the scripts from version {@code from} up to version {@code to}; tests build old catalogs with it. */
  public static void migrate(Connection c, int from, int to) throws SQLException {
    for (int v = from; v < to; v++) {
      String sql = load(SCRIPTS.get(v));
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        // comments go first, so a ';' in a comment or a comment after a ';' cannot cut a statement
        for (String s : stripComments(sql).split(";\\s*(\\n|$)")) {
          if (!s.isBlank()) {
            st.execute(s);
          }
        }
        st.execute("PRAGMA user_version = " + (v + 1));
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private static String stripComments(String statement) {
    StringBuilder out = new StringBuilder();
    for (String line : statement.split("\n")) {
      int dash = line.indexOf("--");
      out.append(dash >= 0 ? line.substring(0, dash) : line).append('\n');
    }
    return out.toString();
  }

  private static String load(String name) {
    try (InputStream in = Migrations.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing schema script " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema script " + name, e);
    }
  }
}
