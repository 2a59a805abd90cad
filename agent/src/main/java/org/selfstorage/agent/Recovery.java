package org.selfstorage.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.selfstorage.agent.mesh.HostedMarker;
import org.selfstorage.agent.repo.CatalogReplica;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.CatalogException;
import org.selfstorage.catalog.Partner;
import org.selfstorage.crypto.Identity;
import org.selfstorage.crypto.InvalidRecoveryCodeException;
import org.selfstorage.crypto.MasterSecret;
import org.selfstorage.crypto.RecoveryCode;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.Federation;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.PartnerConnections;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.ShardStores;

/**
 * Brings a home back after the machine is gone: from the recovery code alone the same master
 * secret, keys and SSH identity are derived; the newest copy of the catalog is fetched from one
 * partner (or a local store) and opened with those keys, which is what authenticates it; the
 * catalog lists every other partner and store. Also rebuilds a lost catalog in a home that still
 * has its key, or whose catalog is stale (older than the copy: put back from an old file, see
 * docs/design.md "Stale catalogs"), keeping the stale one aside. Writes nothing until the copy has
 * been fetched and opened.
 */
public final class Recovery {
  private Recovery() {}

  /** What was recovered: how much, from where, and which partners answered. */
  public record Result(Path home, String name, long snapshots, long packs, String from, long generation,
      List<String> partners, Map<String, String> unreachable) {}

  /**
   * @param code the recovery code (may be null when the home still has its key file)
   * @param partner where to fetch the catalog copy from, or null when {@code store} is given
   * @param fingerprint the partner's host key when known; otherwise it is learned from the
   *     partner and must then belong to a partner listed in the fetched catalog
   * @param store a local store directory to fetch the copy from instead of a partner
   */
  public static Result recover(Home home, Clock clock, String code, String partnerAddress, String partnerFingerprint,
      Path store) {
    PartnerAddress partner;
    HostKeyFingerprint fingerprint;
    try {
      partner = partnerAddress == null ? null : PartnerAddress.parse(partnerAddress);
      fingerprint = partnerFingerprint == null ? null : HostKeyFingerprint.parse(partnerFingerprint);
    } catch (IllegalArgumentException e) {
      throw new UsageException("ARGUMENT_INVALID", e.getMessage(), "selfstorage recover --help");
    }
    // a home with a catalog is recovered only when that catalog is stale (older than the copy)
    long existing = Files.exists(home.catalogFile()) ? generationOfExisting(home) : -1;
    if ((partner == null) == (store == null)) {
      throw new UsageException("RECOVERY_SOURCE", "name exactly one place to recover from: --partner or --store",
          "selfstorage recover --recovery-code CODE --partner HOST:PORT");
    }
    boolean keyKept = Files.exists(home.keyFile());
    try (MasterSecret secret = secretFor(home, code, keyKept)) {
      Keys keys = Keys.derive(secret);
      Identity identity = Identity.derive(secret);
      String from;
      CatalogReplica.Copy copy;
      HostKeyFingerprint pin = fingerprint;
      if (store != null) {
        from = "store " + store.toAbsolutePath();
        try (ShardStore s = ShardStores.openLocal(store.toAbsolutePath())) {
          copy = CatalogReplica.newest(s, keys).orElseThrow(() -> noCopy(from));
        } catch (FederationException e) {
          throw new AgentException(e.code(), "cannot read " + store + ": " + e.getMessage(), "check the path");
        }
      } else {
        from = "partner at " + partner;
        try {
          if (pin == null) {
            pin = Federation.hostKeyOf(partner, Duration.ofSeconds(15));
          }
          try (PartnerConnections c = Federation.partnerConnections(identity, ClientSettings.defaults());
              ShardStore s = c.shardStore("recovery", partner, pin)) {
            copy = CatalogReplica.newest(s, keys).orElseThrow(() -> noCopy(from));
          }
        } catch (FederationException e) {
          throw new AgentException(e.code(), "cannot fetch the catalog copy from the " + from + ": " + e.getMessage(),
              e.code().equals("STORE_UNAVAILABLE")
                  ? "this agent has no agreement with your key: check the code, or name another partner"
                  : "check that its agent runs and the address, then run recover again");
        }
      }
      if (existing >= 0 && copy.generation() <= existing) {
        throw new UsageException("HOME_EXISTS", "the home " + home.dir() + " already has a catalog (copy " + existing
            + "), as new as the one on the " + from + " (copy " + copy.generation() + "); nothing was changed",
            "recover into an empty --home, or move " + home.catalogFile() + " aside to rebuild it");
      }
      Path tmp = home.dir().resolve("catalog.recovered.tmp");
      try {
        Files.createDirectories(home.dir());
        if (existing >= 0) {
          setAsideStale(home, existing);
        }
        Files.write(tmp, copy.sqlite());
        Optional<Partner> named;
        try (Catalog c = Catalog.open(tmp)) {
          String fp = pin == null ? null : pin.value();
          named = c.partners().list().stream().filter(p -> Identity.fingerprintOf(p.publicKey()).equals(fp))
              .findFirst();
        }
        if (partner != null && fingerprint == null && named.isEmpty()) {
          throw new AgentException("NOT_A_PARTNER", "the agent at " + partner + " (" + pin + ") is not one of the "
              + "partners in the recovered catalog; nothing was written", "name one of your partners' addresses");
        }
        if (!keyKept) {
          Agent.writeKeyFile(home, secret);
        }
        Files.move(tmp, home.catalogFile(), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | CatalogException e) {
        throw new AgentException("HOME_UNWRITABLE", "cannot write the recovered home " + home.dir() + ": "
            + e.getMessage(), "choose another --home");
      } finally {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the rename took it, or it stays as a leftover that the next recovery overwrites
        }
      }
      try (Agent agent = Agent.open(home, clock)) {
        Catalog catalog = agent.catalog();
        // fencing: partners learn the new epoch at the hello below, and from then on sessions of the
        // old machine (if it ever comes back) may read but not change anything
        catalog.settings().put(Agent.EPOCH, Long.toString(agent.epoch() + 1));
        HostedMarker.startAfresh(home.hostedDir(), catalog);
        agent.events().record("RECOVERED", "warning", "home recovered from the " + from
            + " (catalog copy generation " + copy.generation() + ")");
        List<String> names = new ArrayList<>();
        catalog.partners().list().forEach(p -> names.add(p.name()));
        Map<String, String> unreachable = names.isEmpty() ? Map.of() : agent.mesh().probe();
        return new Result(home.dir(), catalog.settings().get(ConfigKey.AGENT_NAME.key()).orElse(""),
            catalog.snapshots().count(), catalog.packs().count(), from, copy.generation(), names, unreachable);
      }
    }
  }

  /** The generation of the catalog a home has; refuses when it cannot be read or an agent uses it. */
  private static long generationOfExisting(Home home) {
    if (Doctor.agentRunning(home)) {
      throw new UsageException("AGENT_RUNNING", "an agent runs for " + home.dir() + "; nothing was changed",
          "stop the agent (systemctl stop selfstorage, or Ctrl-C), then run recover again");
    }
    try (Catalog c = Catalog.open(home.catalogFile())) {
      return CatalogReplica.generation(c);
    } catch (CatalogException e) {
      throw new UsageException("HOME_EXISTS", "the home " + home.dir() + " already has a catalog that cannot be read ("
          + e.getMessage() + "); nothing was changed",
          "recover into an empty --home, or move " + home.catalogFile() + " aside to rebuild it");
    }
  }

  /** Moves a stale catalog (and its write-ahead log) aside rather than deleting it: nothing is lost. */
  private static void setAsideStale(Home home, long generation) throws IOException {
    String aside = "catalog.db.stale-" + generation + "-" + System.currentTimeMillis();
    for (String suffix : List.of("-wal", "-shm", "")) {
      Path f = home.dir().resolve("catalog.db" + suffix);
      if (Files.exists(f)) {
        Files.move(f, home.dir().resolve(aside + suffix), StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }

  private static MasterSecret secretFor(Home home, String code, boolean keyKept) {
    MasterSecret fromCode = null;
    if (code != null) {
      try {
        fromCode = MasterSecret.fromRecoveryCode(RecoveryCode.parse(code));
      } catch (InvalidRecoveryCodeException e) {
        throw new UsageException("RECOVERY_CODE_INVALID", e.getMessage() + "; nothing was written",
            "type the 30 characters again from your recovery sheet");
      }
    }
    if (!keyKept) {
      if (fromCode == null) {
        throw new UsageException("RECOVERY_CODE_MISSING", "this home has no key: the recovery code is needed",
            "selfstorage recover --recovery-code CODE --partner HOST:PORT");
      }
      return fromCode;
    }
    try (MasterSecret kept = Agent.readKeyFile(home)) {
      if (fromCode != null && !Arrays.equals(fromCode.toBytes(), kept.toBytes())) {
        fromCode.destroy();
        throw new UsageException("RECOVERY_CODE_MISMATCH", "the recovery code is not the one of the key in "
            + home.keyFile() + "; nothing was written", "give this home's code, or recover into an empty --home");
      }
      return fromCode != null ? fromCode : MasterSecret.fromBytes(kept.toBytes());
    }
  }

  private static AgentException noCopy(String from) {
    return new AgentException("NO_CATALOG_COPY", "the " + from + " holds no copy of the catalog made with this key",
        "name another partner or store: every one gets a copy after each backup");
  }
}
