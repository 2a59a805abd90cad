package org.selfstorage.agent.repo;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStat;
import org.selfstorage.federation.ShardStore;

/** A real store whose reads misbehave as {@code onGet} says (hang, fail); everything else passes through. */
final class ReadFaultStore implements ShardStore {
  /** What a read does: given the name, returns the bytes or throws (it may call the real store). */
  interface OnGet {
    byte[] get(ShardStore real, ShardName name);
  }

  private final ShardStore real;
  private final OnGet onGet;

  private ReadFaultStore(ShardStore real, OnGet onGet) {
    this.real = real;
    this.onGet = onGet;
  }

  static UnaryOperator<ShardStore> wrapping(OnGet onGet) {
    return real -> new ReadFaultStore(real, onGet);
  }

  @Override
  public String describe() {
    return real.describe();
  }

  @Override
  public void put(ShardName name, byte[] data) {
    real.put(name, data);
  }

  @Override
  public byte[] get(ShardName name) {
    return onGet.get(real, name);
  }

  @Override
  public Optional<ShardStat> stat(ShardName name) {
    return real.stat(name);
  }

  @Override
  public List<ShardStat> list(String prefix) {
    return real.list(prefix);
  }

  @Override
  public void delete(ShardName name) {
    real.delete(name);
  }

  @Override
  public long freeSpace() {
    return real.freeSpace();
  }
}
