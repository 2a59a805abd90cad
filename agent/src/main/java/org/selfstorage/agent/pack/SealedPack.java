package org.selfstorage.agent.pack;

import java.util.List;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.PackId;

/** A finished pack: its bytes (blobs, then the sealed header and trailer) and its blob entries. */
public record SealedPack(PackId id, byte[] bytes, int length, List<BlobEntry> blobs) {}
