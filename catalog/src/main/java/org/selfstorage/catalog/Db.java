package org.selfstorage.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The one connection and its lock; every accessor runs its SQL through here. */
final class Db {
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement st) throws SQLException;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  interface Work<T> {
    T run() throws SQLException;
  }

  final Connection connection;
  private final Object lock = new Object();
  private int depth;

  Db(Connection connection) {
    this.connection = connection;
  }

  <T> T locked(Work<T> work) {
    synchronized (lock) {
      try {
        return work.run();
      } catch (SQLException e) {
        throw translate(e);
      }
    }
  }

  /** Runs work in one transaction; nested calls join the outer one. */
  <T> T inTransaction(Work<T> work) {
    synchronized (lock) {
      try {
        if (depth++ > 0) {
          return work.run();
        }
        connection.setAutoCommit(false);
        boolean ok = false;
        try {
          T result = work.run();
          connection.commit();
          ok = true;
          return result;
        } finally {
          if (!ok) {
            connection.rollback();
          }
          connection.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw translate(e);
      } finally {
        depth--;
      }
    }
  }

  int update(String sql, Binder binder) {
    return locked(() -> {
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        binder.bind(st);
        return st.executeUpdate();
      }
    });
  }

  <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
    return locked(() -> {
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        binder.bind(st);
        try (ResultSet rs = st.executeQuery()) {
          List<T> out = new ArrayList<>();
          while (rs.next()) {
            out.add(mapper.map(rs));
          }
          return out;
        }
      }
    });
  }

  <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> mapper) {
    List<T> rows = query(sql, binder, mapper);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  long count(String sql) {
    return queryOne(sql, st -> {}, rs -> rs.getLong(1)).orElse(0L);
  }

  static final Binder NONE = st -> {};

  static CatalogException translate(SQLException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_NOTADB") || m.contains("malformed")) {
      return new CatalogException("CATALOG_CORRUPT", "the catalog is damaged: " + m, e);
    }
    if (m.contains("SQLITE_FULL")) {
      return new CatalogException("CATALOG_DISK_FULL", "the disk holding the catalog is full", e);
    }
    if (m.contains("SQLITE_BUSY")) {
      return new CatalogException("CATALOG_BUSY", "the catalog is in use by another selfstorage process", e);
    }
    return new CatalogException("catalog error: " + m, e);
  }
}
