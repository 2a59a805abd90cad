package org.selfstorage.agent.pack;

import org.selfstorage.catalog.PackId;
import org.selfstorage.federation.ShardName;

/** The one mapping between the catalog's pack ids and the names stores know: {@code <pack hex>.<index>}. */
public final class ShardNames {
  private ShardNames() {}

  public static ShardName of(PackId pack, int index) {
    return new ShardName(pack.hex() + "." + index);
  }

  /** The pack and index a shard name stands for, or null when the name is not a pack shard. */
  public static Parsed parse(ShardName name) {
    String v = name.value();
    int dot = v.indexOf('.');
    if (dot != PackId.LENGTH * 2) {
      return null;
    }
    try {
      String digits = v.substring(dot + 1);
      int index = Integer.parseInt(digits);
      if (index < 0 || !digits.equals(Integer.toString(index))) {
        return null; // "-1" or "05": not a name of() gives, so not a shard of this pack
      }
      return new Parsed(PackId.fromHex(v.substring(0, dot)), index);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public record Parsed(PackId pack, int index) {}
}
