package org.selfstorage.agent.repo;

import java.util.LinkedHashMap;
import java.util.Map;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.pack.BlobSealer;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.PackId;

/** Reads single blobs back from their packs, keeping the last few packs it fetched. */
public final class BlobReader {
  private static final int CACHED_PACKS = 2;

  private final Catalog catalog;
  private final PackFetcher fetcher;
  private final BlobSealer sealer;
  private final Map<PackId, byte[]> cache = new LinkedHashMap<>(4, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<PackId, byte[]> eldest) {
      return size() > CACHED_PACKS;
    }
  };

  public BlobReader(Catalog catalog, Keys keys, StoreSet stores) {
    this.catalog = catalog;
    this.fetcher = new PackFetcher(catalog, keys, stores);
    this.sealer = new BlobSealer(keys.blob(), 1);
  }

  public synchronized byte[] read(BlobId id) {
    BlobEntry entry = catalog.blobs().get(id).orElseThrow(() -> new AgentException("BLOB_MISSING",
        "blob " + id.shortHex() + " is referenced but not in the catalog", "selfstorage check"));
    byte[] pack = cache.get(entry.packId());
    if (pack == null) {
      Pack p = catalog.packs().get(entry.packId()).orElseThrow(() -> new AgentException("PACK_MISSING",
          "pack " + entry.packId().shortHex() + " is referenced but not in the catalog", "selfstorage check"));
      pack = fetcher.fetch(p, problem -> {});
      cache.put(entry.packId(), pack);
    }
    return sealer.open(id, pack, entry.offset(), entry.length(), entry.rawLength());
  }
}
