package org.selfstorage.agent.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.selfstorage.agent.AgentException;

class RedundancyTest {

  @Test
  void layout_oneToTenSitesAndToleratingZeroToThree_fitsTheSites() {
    for (int sites = 1; sites <= 10; sites++) {
      for (int tolerate = 0; tolerate <= 3; tolerate++) {
        String c = sites + " sites, tolerate " + tolerate;
        if (sites < tolerate + 1) {
          int s = sites;
          int t = tolerate;
          AgentException e = assertThrows(AgentException.class, () -> Redundancy.layout(s, t), c);
          assertEquals("NOT_ENOUGH_SITES", e.code(), c);
          continue;
        }

        Layout layout = Redundancy.layout(sites, tolerate);

        assertEquals(tolerate, layout.parityShards(), c);
        assertTrue(layout.dataShards() >= 1, c);
        assertTrue(layout.shards() <= sites, c + ": " + layout + " puts two shards on one site");
        int spare = sites >= 5 ? 1 : 0;
        assertEquals(sites - spare, layout.shards(), c + ": " + layout);
      }
    }
  }

  @Test
  void layout_typicalHomes_areTheDocumentedOnes() {
    assertEquals(new Layout(1, 0), Redundancy.layout(1, 0));
    assertEquals(new Layout(1, 1), Redundancy.layout(2, 1));
    assertEquals(new Layout(2, 1), Redundancy.layout(3, 1));
    assertEquals(new Layout(3, 1), Redundancy.layout(4, 1));
    assertEquals(new Layout(3, 1), Redundancy.layout(5, 1), "from five sites on, one is kept spare");
    assertEquals(new Layout(1, 3), Redundancy.layout(5, 3));
    assertEquals(new Layout(6, 2), Redundancy.layout(9, 2));
  }

  @Test
  void layout_manySites_capsDataShards() {
    Layout layout = Redundancy.layout(40, 2);

    assertEquals(Redundancy.MAX_DATA_SHARDS, layout.dataShards());
    assertEquals(2, layout.parityShards());
  }

  @Test
  void layout_noSites_saysHowToAddOne() {
    AgentException e = assertThrows(AgentException.class, () -> Redundancy.layout(0, 0));

    assertEquals("NOT_ENOUGH_SITES", e.code());
    assertTrue(e.fix().startsWith("selfstorage store add"), e.fix());
  }

  @Test
  void layout_tooFewSitesForTheTolerance_suggestsWhatTheSitesAllow() {
    AgentException e = assertThrows(AgentException.class, () -> Redundancy.layout(2, 3));

    assertEquals("NOT_ENOUGH_SITES", e.code());
    assertTrue(e.getMessage().contains("needs at least 4"), e.getMessage());
    assertTrue(e.fix().contains("redundancy.tolerate 1"), e.fix());
  }
}
