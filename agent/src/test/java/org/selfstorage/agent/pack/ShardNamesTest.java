package org.selfstorage.agent.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.selfstorage.catalog.PackId;
import org.selfstorage.federation.ShardName;

class ShardNamesTest {
  private static final PackId PACK = PackId.fromHex("00112233445566778899aabbccddeeff");

  @Test
  void of_packAndIndex_isHexDotIndex() {
    assertEquals("00112233445566778899aabbccddeeff.0", ShardNames.of(PACK, 0).value());
    assertEquals("00112233445566778899aabbccddeeff.14", ShardNames.of(PACK, 14).value());
  }

  @Property(tries = 300)
  void parse_ofName_returnsThePackAndIndex(@ForAll @Size(value = 16) byte[] pack,
      @ForAll @IntRange(max = 255) int index) {
    PackId id = new PackId(pack);

    ShardNames.Parsed parsed = ShardNames.parse(ShardNames.of(id, index));

    assertEquals(new ShardNames.Parsed(id, index), parsed);
  }

  /** Names a store could hold: shard-like ones with small changes, and anything else valid. */
  @Provide
  Arbitrary<String> storedNames() {
    Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofLength(32);
    Arbitrary<String> suffix = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 300).map(String::valueOf),
        Arbitraries.integers().between(0, 300).map(i -> "0" + i),
        Arbitraries.integers().between(0, 300).map(i -> "-" + i),
        Arbitraries.strings().withChars("0123456789-_abcxyz").ofMinLength(1).ofMaxLength(12));
    Arbitrary<String> shardLike = net.jqwik.api.Combinators.combine(hex, suffix).as((h, s) -> h + "." + s);
    Arbitrary<String> any = Arbitraries.strings().withChars("0123456789abcdefxyz_-.").ofMinLength(1).ofMaxLength(50)
        .filter(ShardName::isValid);
    return Arbitraries.oneOf(shardLike, any);
  }

  @Property(tries = 1000)
  void parse_anyStoredName_isNullOrTheOneNameOfWouldGive(@ForAll("storedNames") String value) {
    ShardName name = new ShardName(value);

    ShardNames.Parsed parsed = ShardNames.parse(name);

    if (parsed != null) {
      assertEquals(name, ShardNames.of(parsed.pack(), parsed.index()),
          "a name must map to a shard only if it is that shard's one name");
    }
  }

  @Test
  void parse_namesThatAreNotPackShards_returnsNull() {
    for (String value : new String[] {
        "catalog", "00112233445566778899aabbccddeeff", "00112233445566778899aabbccddeef.1",
        "00112233445566778899aabbccddeeff0.1", "0011223344556677889xaabbccddeeff.1",
        "00112233445566778899aabbccddeeff.x", "00112233445566778899aabbccddeeff.-1",
        "00112233445566778899aabbccddeeff.01", "00112233445566778899aabbccddeeff.99999999999"}) {
      assertNull(ShardNames.parse(new ShardName(value)), value);
    }
  }
}
