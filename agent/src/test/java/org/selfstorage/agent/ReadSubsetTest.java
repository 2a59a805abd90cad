package org.selfstorage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.selfstorage.catalog.PackId;

class ReadSubsetTest {
  private static List<PackId> packs(int n) {
    Random r = new Random(7);
    List<PackId> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[16];
      r.nextBytes(b);
      out.add(new PackId(b));
    }
    return out;
  }

  @Test
  void theParts_takeEveryPackExactlyOnce() {
    List<PackId> all = packs(2_000);
    int[] seen = new int[all.size()];
    for (int n = 1; n <= 7; n++) {
      ReadSubset part = ReadSubset.parse(n + "/7");
      int taken = 0;
      for (int i = 0; i < all.size(); i++) {
        if (part.includes(all.get(i))) {
          seen[i]++;
          taken++;
        }
      }
      assertTrue(taken > 200 && taken < 380, "about a seventh: " + taken);
    }
    for (int s : seen) {
      assertEquals(1, s);
    }
  }

  @Test
  void aShare_readsAboutThatShare_andAllOrNoneAreWhatTheySay() {
    ReadSubset five = ReadSubset.parse("5%");
    long taken = packs(20_000).stream().filter(five::includes).count();
    assertTrue(taken > 800 && taken < 1_200, "about 5%: " + taken);
    assertTrue(packs(50).stream().allMatch(ReadSubset.parse("100%")::includes));
    assertTrue(packs(50).stream().allMatch(ReadSubset.ALL::includes));
    assertTrue(packs(50).stream().noneMatch(ReadSubset.NONE::includes));
    assertFalse(ReadSubset.NONE.readsData());
    assertTrue(five.readsData());
  }

  @Test
  void anythingElse_isRefusedWithTheRule() {
    for (String bad : List.of("", "0/7", "8/7", "1/0", "7", "0%", "101%", "-5%", "1/7/2", "5 %", "abc", "99999999/1")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReadSubset.parse(bad), bad);
      assertTrue(e.getMessage().contains("N/M"), e.getMessage());
    }
  }
}
