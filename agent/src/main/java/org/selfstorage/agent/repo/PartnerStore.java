package org.selfstorage.agent.repo;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.selfstorage.federation.ShardBytes;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStat;
import org.selfstorage.federation.ShardStore;

/**
 * A partner's store seen through our agreement: its free space is what is left of the quota it
 * keeps for us, counted from the shards we recorded there (the partner enforces the same quota on
 * its side), and no more than its disk had free at the last hello, less what we sent since: a quota
 * is a promise the disk may not keep. Placement weighs partners by what they can still take.
 */
final class PartnerStore implements ShardStore {
  private final ShardStore remote;
  private final long quota;
  private final AtomicLong used;
  private final long diskFree;
  private final AtomicLong sent = new AtomicLong();

  /** {@code diskFree}: bytes free on the partner's disk at its last hello, or -1 when unknown. */
  PartnerStore(ShardStore remote, long quota, long used, long diskFree) {
    this.remote = remote;
    this.quota = quota;
    this.used = new AtomicLong(used);
    this.diskFree = diskFree;
  }

  @Override
  public String describe() {
    return remote.describe();
  }

  @Override
  public void put(ShardName name, byte[] data) {
    remote.put(name, data);
    used.addAndGet(data.length);
    sent.addAndGet(data.length);
  }

  @Override
  public void put(ShardName name, byte[] header, byte[] body, int bodyOffset, int bodyLength) {
    remote.put(name, header, body, bodyOffset, bodyLength);
    used.addAndGet(header.length + (long) bodyLength);
    sent.addAndGet(header.length + (long) bodyLength);
  }

  @Override
  public byte[] get(ShardName name) {
    return remote.get(name);
  }

  @Override
  public ShardBytes get(ShardName name, java.util.function.IntFunction<byte[]> buffers) {
    return remote.get(name, buffers);
  }

  @Override
  public Optional<ShardStat> stat(ShardName name) {
    return remote.stat(name);
  }

  @Override
  public List<ShardStat> list(String prefix) {
    return remote.list(prefix);
  }

  @Override
  public void delete(ShardName name) {
    remote.delete(name);
  }

  @Override
  public long freeSpace() {
    long left = quota - used.get();
    if (diskFree >= 0) {
      left = Math.min(left, diskFree - sent.get());
    }
    return Math.max(0, left);
  }

  @Override
  public void close() {
    remote.close();
  }
}
