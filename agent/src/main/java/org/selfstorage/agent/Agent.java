package org.selfstorage.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.selfstorage.agent.audit.Auditor;
import org.selfstorage.agent.audit.HostScrub;
import org.selfstorage.agent.audit.HostedDiskProbe;
import org.selfstorage.agent.backup.Archiver;
import org.selfstorage.agent.backup.Excludes;
import org.selfstorage.agent.check.Checker;
import org.selfstorage.agent.chunk.ChunkerParams;
import org.selfstorage.agent.health.ConditionWatch;
import org.selfstorage.agent.health.LossForecast;
import org.selfstorage.agent.health.PackCensus;
import org.selfstorage.agent.health.StatusExamination;
import org.selfstorage.agent.mesh.AgentProfile;
import org.selfstorage.agent.mesh.PartnerDirectory;
import org.selfstorage.agent.mesh.PartnerLinks;
import org.selfstorage.agent.notify.EventLog;
import org.selfstorage.agent.notify.WebhookSender;
import org.selfstorage.agent.pack.PackWriter;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.agent.prune.Pruner;
import org.selfstorage.agent.placement.Redundancy;
import org.selfstorage.agent.repair.Rebalancer;
import org.selfstorage.agent.repair.Repairer;
import org.selfstorage.agent.repair.SurplusSweep;
import org.selfstorage.agent.repo.BlobReader;
import org.selfstorage.agent.repo.CatalogReplica;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.agent.repo.OpenStore;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.agent.repo.TreeLoader;
import org.selfstorage.agent.backup.Preview;
import org.selfstorage.agent.restore.Restorer;
import org.selfstorage.agent.retention.Retention;
import org.selfstorage.agent.schedule.Schedule;
import org.selfstorage.agent.tree.ChunkRef;
import org.selfstorage.agent.tree.Node;
import org.selfstorage.agent.tree.NodeType;
import org.selfstorage.agent.tree.Tree;
import org.selfstorage.agent.tree.TreeDiff;
import org.selfstorage.agent.tree.TreeSearch;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.CatalogException;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.PackId;
import org.selfstorage.catalog.Partner;
import org.selfstorage.catalog.Policies;
import org.selfstorage.catalog.ShardRecord;
import org.selfstorage.catalog.Snapshot;
import org.selfstorage.catalog.SnapshotId;
import org.selfstorage.catalog.Source;
import org.selfstorage.catalog.Sources;
import org.selfstorage.catalog.Store;
import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.Identity;
import org.selfstorage.crypto.MasterSecret;
import org.selfstorage.federation.AgentServer;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.Durability;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.ShardStores;

/**
 * The composition root: one home's catalog and keys, and the use cases the command line and the
 * web UI call. Opening it does not touch the stores; each use case opens what it needs.
 */
public final class Agent implements AutoCloseable {
  private final Home home;
  private final Catalog catalog;
  private final MasterSecret secret;
  private final Keys keys;
  private final Identity identity;
  private final Clock clock;
  private final PartnerDirectory directory;
  private PartnerLinks links;
  private boolean ownsLinks = true;
  private final EventLog events;
  private WebhookSender sender;
  private boolean ownsSender = true;
  /** The running agent's SSH server, when this agent runs inside it: changes to agreements apply to live sessions. */
  private AgentServer server;

  private Agent(Home home, Catalog catalog, MasterSecret secret, Clock clock) {
    this.home = home;
    this.catalog = catalog;
    this.secret = secret;
    this.keys = Keys.derive(secret);
    this.identity = Identity.derive(secret);
    this.clock = clock;
    this.directory = new PartnerDirectory(catalog, home.hostedDir());
    this.events = new EventLog(catalog, clock, home.dir().toString(), this::sender);
  }

  /** What {@link #init} produced; the recovery code is shown to the user once. */
  public record InitResult(Path home, String recoveryCode) {}

  /** Creates a new home with a fresh master secret. Refuses to touch an existing one. */
  public static InitResult init(Home home, Clock clock) {
    return init(home, clock, null, null, null);
  }

  /**
   * Creates a new home and sets how the agent presents itself to partners: its name (default: the
   * host name), where its server listens, and the addresses it gives out. Each is checked before
   * anything is written.
   */
  public static InitResult init(Home home, Clock clock, String name, String listen, String advertise) {
    String agentName = ConfigKey.AGENT_NAME.validate(name != null ? name : defaultName());
    String agentListen = listen == null ? null : ConfigKey.AGENT_LISTEN.validate(listen);
    String agentAdvertise = advertise == null ? null : ConfigKey.AGENT_ADVERTISE.validate(advertise);
    InitResult r = create(home, clock);
    try (Catalog c = Catalog.open(home.catalogFile())) {
      c.settings().put(ConfigKey.AGENT_NAME.key(), agentName);
      if (agentListen != null) {
        c.settings().put(ConfigKey.AGENT_LISTEN.key(), agentListen);
      }
      if (agentAdvertise != null) {
        c.settings().put(ConfigKey.AGENT_ADVERTISE.key(), agentAdvertise);
      }
    }
    return r;
  }

  private static String defaultName() {
    try {
      String host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
      return host.isEmpty() || !Character.isLetterOrDigit(host.charAt(0)) ? "agent" : host.substring(0,
          Math.min(64, host.length()));
    } catch (java.net.UnknownHostException e) {
      return "agent";
    }
  }

  private static InitResult create(Home home, Clock clock) {
    if (Files.exists(home.keyFile())) {
      throw new UsageException("HOME_EXISTS", "the home " + home.dir() + " is already initialised; nothing was changed",
          "selfstorage --home " + home.dir() + " status");
    }
    try (MasterSecret secret = MasterSecret.generate(new SecureRandom())) {
      Files.createDirectories(home.keyFile().getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      try (Catalog c = Catalog.open(home.catalogFile())) {
        EventLog.catalogOnly(c, clock).record("HOME_CREATED", "info", "home created");
      }
      writeKeyFile(home, secret);
      return new InitResult(home.dir(), secret.recoveryCode().format());
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot create the home " + home.dir() + ": " + e.getMessage(),
          "choose another --home, or check its permissions");
    }
  }

  /** Writes the key file atomically (temporary name, fsync, rename), mode 0600 in a 0700 directory. */
  static void writeKeyFile(Home home, MasterSecret secret) throws IOException {
    Files.createDirectories(home.keyFile().getParent(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path tmp = home.keyFile().resolveSibling("master.key.tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(("selfstorage master key v1\n" + HexFormat.of().formatHex(secret.toBytes())
          + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(tmp, home.keyFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads the master secret from the home's key file. */
  static MasterSecret readKeyFile(Home home) {
    try {
      List<String> lines = Files.readAllLines(home.keyFile(), StandardCharsets.US_ASCII);
      if (lines.size() < 2 || !lines.get(0).equals("selfstorage master key v1")) {
        throw new AgentException("KEY_DAMAGED", "the key file " + home.keyFile() + " is not a selfstorage key",
            "restore it from a copy of the home, or recover with your recovery code");
      }
      return MasterSecret.fromBytes(HexFormat.of().parseHex(lines.get(1).trim()));
    } catch (IOException | IllegalArgumentException e) {
      throw new AgentException("KEY_DAMAGED", "cannot read the key file " + home.keyFile() + ": " + e.getMessage(),
          "restore it from a copy of the home, or recover with your recovery code");
    }
  }

  /** The recovery code of this home's master secret (the same one init printed). */
  public String recoveryCode() {
    return secret.recoveryCode().format();
  }

  /** What a printed recovery sheet holds: the code, this agent's name and key, partners and stores. */
  public record RecoverySheet(String name, String fingerprint, String recoveryCode,
      List<PartnerInfo> partners, List<StoreInfo> stores) {}

  public RecoverySheet recoverySheet() {
    List<StoreInfo> stores = new ArrayList<>();
    for (Store s : catalog.stores().list()) {
      if (s.kind().equals("local")) {
        stores.add(storeInfo(s, null));
      }
    }
    return new RecoverySheet(catalog.settings().get(ConfigKey.AGENT_NAME.key()).orElse(""), fingerprint(),
        recoveryCode(), mesh().partners(false), stores);
  }

  public static Agent open(Home home, Clock clock) {
    if (!Files.exists(home.keyFile())) {
      throw new UsageException("NO_HOME", "there is no selfstorage home at " + home.dir(),
          "selfstorage --home " + home.dir() + " init");
    }
    if (!Files.exists(home.catalogFile())) {
      // never start an empty catalog here: its copies would replace the good ones on the stores
      throw new AgentException("CATALOG_MISSING", "the home " + home.dir() + " has its key but no catalog; "
          + "nothing was changed", "selfstorage --home " + home.dir() + " recover --partner HOST:PORT   "
          + "(or --store DIR; the code is not needed while the key is here)");
    }
    MasterSecret secret = readKeyFile(home);
    Catalog catalog;
    try {
      catalog = Catalog.open(home.catalogFile());
    } catch (CatalogException e) {
      throw new AgentException(e.code(), e.getMessage() + "; the backups themselves are safe in the stores",
          "move " + home.catalogFile() + " aside, then: selfstorage recover --partner HOST:PORT (or --store DIR)", e);
    }
    return new Agent(home, catalog, secret, clock);
  }

  public Home home() {
    return home;
  }

  /** The SSH fingerprint partners pin for this agent (derived from the master secret). */
  public String fingerprint() {
    return identity.fingerprint();
  }

  /** Webhooks told about events: add, list, remove, test. */
  public Notifications notifications() {
    return new Notifications(this, catalog, clock);
  }

  /**
   * What would be lost if the partner (or store) {@code name} vanished now, with the other stores
   * and partners as they answer now.
   */
  public IfLostReport ifLost(String name) {
    Store store = catalog.stores().byName(name).orElseThrow(() -> new UsageException("PARTNER_UNKNOWN",
        "there is no partner or store called '" + name + "'", "selfstorage partners"));
    try (StoreSet set = openStores()) {
      TreeLoader trees = new TreeLoader(catalog, keys, set);
      return new LossForecast(catalog, trees::load).forecast(name, store.id(),
          id -> set.get(id).isPresent());
    }
  }

  /** Partners: invite, join, list, set sites, remove. */
  public Mesh mesh() {
    return new Mesh(this, catalog, identity, clock);
  }

  AgentProfile profile() {
    String name = catalog.settings().get(ConfigKey.AGENT_NAME.key()).orElse("");
    if (name.isEmpty()) {
      throw new UsageException("NAME_MISSING", "this agent has no name for partners to know it by",
          "selfstorage config set agent.name NAME");
    }
    PartnerAddress listen = PartnerAddress.parse(configGet(ConfigKey.AGENT_LISTEN.key()));
    String advertise = configGet(ConfigKey.AGENT_ADVERTISE.key());
    List<PartnerAddress> advertised = advertise.isEmpty() ? List.of(listen)
        : java.util.Arrays.stream(advertise.split(",")).map(PartnerAddress::parse).toList();
    return new AgentProfile(name, listen, advertised);
  }

  synchronized PartnerLinks links() {
    if (links == null) {
      java.time.Duration timeout = ConfigKey.parseDuration(configGet(ConfigKey.PARTNER_TIMEOUT.key()));
      links = new PartnerLinks(catalog, identity, ClientSettings.defaults().withEpoch(epoch())
          .withTimeouts(timeout, timeout), profile(), clock);
    }
    return links;
  }

  /** This home's epoch: 0 until it is first recovered, then one more at every recovery. */
  long epoch() {
    return catalog.settings().get(EPOCH).map(Long::parseLong).orElse(0L);
  }

  static final String EPOCH = "agent.epoch";

  /** Stores including partners, when this agent has a name (and so can have partners). */
  private StoreSet openStores() {
    return StoreSet.open(catalog, linksIfNamed(), durability);
  }

  /** How writes to local stores are made durable: the system's fsync, or a power-cut recorder in tests. */
  private Durability durability = Durability.system();

  void useDurability(Durability d) {
    this.durability = d;
  }

  /**
   * Removes the temporary files that interrupted writes (a crash, a power cut) left in local
   * stores, naming them in the event log. Runs under the home lock, so no write of ours is under way.
   */
  private void removeLeftovers(StoreSet stores) {
    for (var s : stores.available()) {
      List<String> removed;
      try {
        removed = s.handle().removeLeftovers();
      } catch (FederationException e) {
        continue; // the store's trouble shows when the backup writes to it
      }
      if (!removed.isEmpty()) {
        events.record("LEFTOVERS_REMOVED", "info", "removed " + removed.size() + " temporary file(s) an interrupted "
            + "write left in " + s.handle().describe() + ": " + String.join(", ", removed.subList(0,
            Math.min(10, removed.size()))) + (removed.size() > 10 ? ", …" : ""), null);
      }
    }
  }

  /**
   * Refuses work that deletes or moves stored shards, or that would overwrite the catalog copies,
   * when a store holds a newer copy of the catalog than this home: the catalog was put back from
   * an older copy (or another machine recovered with this code), so it does not know the newest
   * snapshots and would take their packs for garbage (docs/design.md, "Stale catalogs").
   */
  private CatalogReplica.Survey requireCurrentCatalog(StoreSet set, String what) {
    CatalogReplica.Survey s = CatalogReplica.survey(catalog, keys, set);
    if (!s.stale()) {
      if (catalog.settings().get(STALE).isPresent()) {
        catalog.settings().delete(STALE);
      }
      return s;
    }
    AgentException e = new AgentException("CATALOG_STALE", "this home's catalog is copy " + s.ours() + ", but "
        + s.newerAt().name() + " keeps copy " + s.newest() + ": the catalog was put back from an older copy, or "
        + "another machine recovered with this recovery code. Nothing was changed: " + what + " would delete or "
        + "overwrite what the newer catalog needs", recoverFrom(s.newerAt()));
    String said = s.ours() + "<" + s.newest();
    if (!catalog.settings().get(STALE).orElse("").startsWith(said + "\n")) {
      events.record("CATALOG_STALE", "error", e.getMessage(), e.fix());
      catalog.settings().put(STALE, said + "\n" + e.getMessage() + "\n" + e.fix());
    }
    throw e;
  }

  /**
   * Checks that the disk keeping partners' shards takes writes (the running agent does at every
   * hello round, when it has partners); records a change once, as an event.
   */
  void checkHostedDisk() {
    if (catalog.partners().list().isEmpty()) {
      return;
    }
    java.util.Optional<String> problem = HostedDiskProbe.problem(home.hostedDir());
    java.util.Optional<String> known = catalog.settings().get(HostedDiskProbe.SETTING);
    if (problem.isPresent() && known.isEmpty()) {
      catalog.settings().put(HostedDiskProbe.SETTING, problem.get());
      events.record("HOSTED_NOT_WRITABLE", "error", "the disk that keeps partners' shards (" + home.hostedDir()
          + ") does not take writes: " + problem.get() + "; partners place new shards elsewhere",
          "check the disk (dmesg, mount): repair or remount it read-write");
    } else if (problem.isEmpty() && known.isPresent()) {
      catalog.settings().delete(HostedDiskProbe.SETTING);
      events.record("HOSTED_WRITABLE", "info", "the disk that keeps partners' shards takes writes again");
    }
  }

  /** Kept while this home's catalog is known to be older than a copy on a store; status shows it. */
  private static final String STALE = "catalog.stale";

  /**
   * Refuses to delete by this machine's clock when most partners that answered disagree with it by
   * more than {@link SurplusSweep#MAX_SKEW} (reliability.md E1): then
   * our clock is the wrong one, and retention would judge the snapshots' ages by it. A single
   * partner with a wrong clock is that partner's problem (the sweep leaves it alone).
   */
  private void refuseOnOwnClockSkew(String what, boolean askFirst) {
    if (linksIfNamed() == null || catalog.partners().list().isEmpty()) {
      return;
    }
    if (askFirst) {
      mesh().probe(); // a fresh hello: each reply carries the partner's time
    }
    java.time.Duration max = SurplusSweep.MAX_SKEW;
    List<java.time.Duration> known = links().skews().values().stream()
        .filter(d -> !d.equals(java.time.temporal.ChronoUnit.FOREVER.getDuration())).sorted().toList();
    long off = known.stream().filter(d -> d.abs().compareTo(max) > 0).count();
    if (known.isEmpty() || off * 2 <= known.size()) {
      return;
    }
    java.time.Duration median = known.get(known.size() / 2);
    throw new AgentException("CLOCK_SKEW", "this machine's clock is " + hoursMinutes(median.abs())
        + (median.isNegative() ? " ahead of" : " behind") + " its partners' (at most " + max.toMinutes() + "m is allowed); " + what + " was refused: it would judge what to delete "
        + "by a wrong clock. Backups go on", "fix the clock (timedatectl set-ntp true), then run " + what + " again");
  }

  private static String hoursMinutes(java.time.Duration d) {
    return d.toHours() + "h" + String.format(java.util.Locale.ROOT, "%02dm", d.toMinutesPart());
  }

  /** The command that replaces this home's catalog with the newest copy, from the store that has it. */
  private String recoverFrom(OpenStore store) {
    String home = "selfstorage --home " + this.home.dir() + " recover ";
    if (store.record().kind().equals("local")) {
      return home + "--store " + store.record().location();
    }
    for (Partner p : catalog.partners().list()) {
      if (p.storeId() == store.id() && !p.addresses().isEmpty()) {
        return "stop the agent, then: " + home + "--partner " + p.addresses().get(0) + " --fingerprint "
            + Identity.fingerprintOf(p.publicKey());
      }
    }
    return "stop the agent, then: " + home + "--partner ADDRESS   (of " + store.name() + ")";
  }

  /** Partner links, or null for a home that has no agent name and so no partners. */
  private PartnerLinks linksIfNamed() {
    boolean named = !catalog.settings().get(ConfigKey.AGENT_NAME.key()).orElse("").isEmpty();
    return named ? links() : null;
  }

  PartnerDirectory directory() {
    return directory;
  }

  Keys keys() {
    return keys;
  }

  Catalog catalog() {
    return catalog;
  }

  Identity identity() {
    return identity;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Uses the running agent's connections to partners instead of opening new ones: a command run
   * inside the agent reuses its SSH sessions (no key exchange per command).
   */
  private java.util.concurrent.atomic.AtomicReference<RepairProgress> repairing =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** The repair the agent is running now, if any (seen by commands run inside the running agent). */
  public java.util.Optional<RepairProgress> repairProgress() {
    return java.util.Optional.ofNullable(repairing.get());
  }

  /** Commands run inside the running agent see the repairs its timers run. */
  void shareRepairs(Agent running) {
    this.repairing = running.repairing;
  }

  /** Passes progress on, and keeps the repair part of it where {@link #repairProgress} finds it. */
  private Progress.Listener tracked(Progress.Listener inner) {
    Instant start = clock.instant();
    return p -> {
      if (p.phase().equals("repair")) {
        repairing.set(RepairProgress.of(start, clock.instant(), p));
      }
      inner.onProgress(p);
    };
  }

  /** {@code repair.max-rate} and {@code repair.packs-at-once}, for every repair this agent makes. */
  Repairer.Limits repairLimits() {
    return new Repairer.Limits(ConfigKey.parseRate(configGet(ConfigKey.REPAIR_MAX_RATE.key())),
        intSetting(ConfigKey.REPAIR_PACKS_AT_ONCE));
  }

  synchronized void shareLinks(PartnerLinks shared) {
    this.links = shared;
    this.ownsLinks = false;
  }

  /** Every event goes through here: into the catalog, and to the webhooks that want it. */
  EventLog events() {
    return events;
  }

  /**
   * The webhook sender, started on first use. A command run on its own starts its own and lets it
   * finish (a bounded wait) at {@link #close}; inside the running agent the agent's is shared.
   */
  synchronized WebhookSender sender() {
    if (sender == null) {
      sender = new WebhookSender(
          WebhookSender.Settings.defaults(), line -> System.err.println(line));
    }
    return sender;
  }

  /** Uses the running agent's webhook sender: deliveries outlive the command. */
  synchronized void shareSender(WebhookSender shared) {
    this.sender = shared;
    this.ownsSender = false;
  }

  /**
   * The running agent's server, so that revoking a partner closes its sessions and a changed quota
   * applies to them at once. Without it (no agent runs) there are no sessions to change.
   */
  void servedBy(AgentServer running) {
    this.server = running;
  }

  void partnerRevoked(HostedPartner partner) {
    if (server != null) {
      server.disconnect(partner);
    }
  }

  void quotaChanged(HostedPartner partner) {
    if (server != null) {
      server.quotaChanged(partner);
    }
  }

  // ---- settings

  public Map<String, String> config() {
    Map<String, String> out = new LinkedHashMap<>();
    for (ConfigKey k : ConfigKey.values()) {
      out.put(k.key(), k.valueIn(catalog));
    }
    return out;
  }

  public String configGet(String key) {
    return known(key).valueIn(catalog);
  }

  public void configSet(String key, String value) {
    ConfigKey k = known(key);
    catalog.settings().put(k.key(), k.validate(value));
  }

  private static ConfigKey known(String key) {
    return ConfigKey.byKey(key).orElseThrow(() -> new UsageException("CONFIG_UNKNOWN",
        "there is no setting called '" + key + "'", "selfstorage config show"));
  }

  private int intSetting(ConfigKey key) {
    return Integer.parseInt(key.valueIn(catalog));
  }

  // ---- stores and sources

  public StoreInfo addStore(Path dir, String name, String site) {
    String storeName = name != null ? name : site;
    checkName(storeName, "store");
    checkName(site, "site");
    if (catalog.stores().byName(storeName).isPresent()) {
      throw new UsageException("STORE_EXISTS", "there is already a store called " + storeName,
          "selfstorage store add " + dir + " --site " + site + " --name OTHER_NAME");
    }
    Path location = dir.toAbsolutePath().normalize();
    for (Store s : catalog.stores().list()) {
      if (Path.of(s.location()).equals(location)) {
        throw new UsageException("STORE_EXISTS", location + " is already the store " + s.name(), "selfstorage store list");
      }
    }
    try {
      byte[] storeId = new byte[8];
      new SecureRandom().nextBytes(storeId);
      ShardStores.initLocal(location, HexFormat.of().formatHex(storeId)).close();
    } catch (FederationException e) {
      throw new AgentException(e.code(), e.getMessage(), "choose a writable directory");
    }
    Store s = catalog.stores().add(storeName, "local", location.toString(), site, clock.instant());
    events.record("STORE_ADDED", "info", "store " + s.name() + " added at " + location);
    return storeInfo(s, null);
  }

  /**
   * Retires a local store: its shards are rebuilt on stores of other sites from the remaining
   * shards (the store itself is not read, so this works for a disk that died), then the store and
   * its shard records are forgotten. When some shards cannot be moved (too few other sites with
   * room) the store stays in use, unless {@code force}: then those shards are given up and their
   * packs have less redundancy until a store is added (status shows it). Files in its directory are
   * left as they are.
   */
  public StoreRemoval removeStore(String name, boolean force, Progress.Listener listener) {
    Store s = catalog.stores().byName(name).orElseThrow(() -> new UsageException("STORE_UNKNOWN",
        "there is no store called " + name, "selfstorage store list"));
    if (!s.kind().equals("local")) {
      throw new UsageException("STORE_IS_PARTNER", name + " is a partner, not a local store",
          "selfstorage partners remove " + name);
    }
    warmUpCrypto();
    int before = (int) catalog.shards().countOnStore(s.id());
    try (FileLock lock = lock("store remove"); StoreSet stores = openStores()) {
      ShardsMoved m = moveShardsOff(s.id(), name + " is being removed", stores, listener);
      int left = m.left();
      if (left > 0 && !force) {
        return new StoreRemoval(name, s.location(), before - left, m.notMoved(), false);
      }
      if (left > 0 && m.needed() > 0) {
        throw new AgentException("STORE_NEEDED", name + " holds the last shards " + m.needed() + " pack"
            + (m.needed() == 1 ? " needs" : "s need") + " to be restored (the other stores and partners have fewer "
            + "than enough of them): removing it, even with --force, would lose them",
            "selfstorage store add DIR --site SITE (a site without a shard of those packs), then selfstorage "
            + "store remove " + name);
      }
      catalog.inTransaction(() -> {
        catalog.shards().removeAllOnStore(s.id());
        catalog.stores().remove(s.id());
        return null;
      });
      events.record("STORE_REMOVED", left > 0 ? "warning" : "info", "store " + name + " removed; " + (before - left)
          + " shards moved to other sites" + (left > 0 ? ", " + left + " given up" : ""),
          left > 0 ? "selfstorage store add DIR --site SITE, then selfstorage repair" : null);
      return new StoreRemoval(name, s.location(), before - left, m.notMoved(), true);
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
  }

  /**
   * What {@link #moveShardsOff} left: the shards it could not move and why, how many are still on
   * the store, and how many packs need those to reach k (0 when the store could not be read: its
   * shards are gone already, and forgetting them loses nothing more).
   */
  record ShardsMoved(List<String> notMoved, int left, int needed) {}

  /**
   * Sets a store or partner aside and rebuilds the shards it holds on other sites from the rest
   * (it is never read), for `store remove` and `partners remove`.
   */
  ShardsMoved moveShardsOff(long storeId, String why, StoreSet stores, Progress.Listener listener) {
    boolean readable = stores.get(storeId).isPresent();
    stores.get(storeId).ifPresent(o -> stores.setAside(o, why));
    Set<PackId> packs = new HashSet<>();
    catalog.shards().onStore(storeId).forEach(r -> packs.add(r.packId()));
    List<String> notMoved = new ArrayList<>();
    if (!packs.isEmpty()) {
      try {
        notMoved.addAll(new Repairer(catalog, keys, stores, clock, tracked(listener)).limitedTo(repairLimits())
            .repair(pack -> packs.contains(pack.id())).failed());
      } finally {
        repairing.set(null);
      }
    }
    int left = (int) catalog.shards().countOnStore(storeId);
    int needed = 0;
    if (left > 0 && readable) {
      for (PackId id : packs) {
        Pack pack = catalog.packs().get(id).orElse(null);
        long elsewhere = catalog.shards().ofPack(id).stream()
            .filter(r -> r.storeId() != storeId && stores.get(r.storeId()).isPresent()).map(ShardRecord::index)
            .distinct().count();
        needed += pack != null && elsewhere < pack.dataShards() ? 1 : 0;
      }
    }
    return new ShardsMoved(List.copyOf(notMoved), left, needed);
  }

  public List<StoreInfo> stores() {
    try (StoreSet set = openStores()) {
      List<StoreInfo> out = new ArrayList<>();
      for (Store s : catalog.stores().list()) {
        out.add(storeInfo(s, set));
      }
      return out;
    }
  }

  private StoreInfo storeInfo(Store s, StoreSet set) {
    String problem = set == null ? null : set.unavailable().get(s);
    long free = set == null ? -1 : set.get(s.id()).map(o -> o.handle().freeSpace()).orElse(-1L);
    return new StoreInfo(s.name(), s.kind(), s.location(), s.site(), problem == null, problem,
        catalog.shards().countOnStore(s.id()), catalog.shards().bytesOnStore(s.id()), free);
  }

  /** Adds a source that the running agent backs up by itself on {@code schedule} (null: by hand only). */
  public SourceInfo addSource(Path path, String name, String schedule) {
    return addSource(path, name, new SourceChange(schedule, List.of(), List.of(), null, null, null));
  }

  public SourceInfo addSource(Path path, String name) {
    return addSource(path, name, SourceChange.NONE);
  }

  /**
   * Adds a source with the settings {@code settings} gives (patterns to stop leaving out make no
   * sense here and are refused like unknown ones). Everything is checked before the source is
   * recorded, and it is recorded with its settings in one transaction: a bad pattern adds nothing.
   */
  public SourceInfo addSource(Path path, String name, SourceChange settings) {
    checkName(name, "source");
    Path p = path.toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      throw new UsageException("SOURCE_MISSING", p + " is not a directory", "selfstorage source add DIR --name NAME");
    }
    if (catalog.sources().byName(name).isPresent()) {
      throw new UsageException("SOURCE_EXISTS", "there is already a source called " + name, "selfstorage source list");
    }
    SourceSettings s = SourceSettings.NEW.changedBy(name, settings);
    Source added = catalog.inTransaction(() -> {
      Source a = catalog.sources().add(name, p.toString(), clock.instant());
      s.writeTo(catalog.sources(), a.id());
      return a;
    });
    return sourceInfo(knownSource(added.name()));
  }

  /**
   * What {@link #changeSource} changes: a schedule ("none" stops scheduled runs), patterns to
   * leave out and to stop leaving out, whether other file systems and marked caches are left out,
   * and the size over which files are (0: no limit); null (or an empty list) leaves that part as
   * it is.
   */
  public record SourceChange(String schedule, List<String> exclude, List<String> noExclude, Boolean oneFileSystem,
      Boolean excludeCaches, Long excludeLargerThan) {
    /** Changes nothing. */
    public static final SourceChange NONE = new SourceChange(null, List.of(), List.of(), null, null, null);

    public SourceChange {
      exclude = List.copyOf(exclude);
      noExclude = List.copyOf(noExclude);
    }
  }

  /**
   * A source's settings as they will be written: built by {@link #changedBy}, which checks every
   * part of a change, so that nothing is written unless all of it is valid.
   */
  private record SourceSettings(String schedule, List<String> excludes, boolean oneFileSystem,
      boolean excludeCaches, Long excludeLargerThan) {
    static final SourceSettings NEW = new SourceSettings(null, List.of(), false, false, null);

    static SourceSettings of(Source s) {
      return new SourceSettings(s.schedule(), s.excludes(), s.oneFileSystem(), s.excludeCaches(),
          s.excludeLargerThan());
    }

    SourceSettings changedBy(String name, SourceChange c) {
      String newSchedule = c.schedule() == null ? schedule
          : c.schedule().equalsIgnoreCase("none") ? null : checkSchedule(c.schedule());
      List<String> newExcludes = new ArrayList<>(excludes);
      for (String r : c.noExclude()) {
        if (!newExcludes.remove(r)) {
          throw new UsageException("EXCLUDE_UNKNOWN", "'" + r + "' is not one of the patterns " + name + " leaves out"
              + (excludes.isEmpty() ? " (it has none)" : ": " + String.join(", ", excludes)),
              "selfstorage source list");
        }
      }
      for (String a : checkExcludes(c.exclude())) {
        if (!newExcludes.contains(a)) {
          newExcludes.add(a);
        }
      }
      Long limit = c.excludeLargerThan() == null ? excludeLargerThan
          : c.excludeLargerThan() > 0 ? c.excludeLargerThan() : null;
      return new SourceSettings(newSchedule, List.copyOf(newExcludes),
          c.oneFileSystem() != null ? c.oneFileSystem() : oneFileSystem,
          c.excludeCaches() != null ? c.excludeCaches() : excludeCaches, limit);
    }

    void writeTo(Sources sources, long id) {
      sources.setSchedule(id, schedule);
      sources.setExcludes(id, excludes);
      sources.setFlags(id, oneFileSystem, excludeCaches);
      sources.setExcludeLargerThan(id, excludeLargerThan);
    }
  }

  /**
   * Changes a source from its next backup on (the snapshots made keep what they hold). Everything
   * is checked before anything changes: a bad schedule or pattern, or stopping to leave out a
   * pattern the source does not have, changes nothing.
   */
  public SourceInfo changeSource(String name, SourceChange c) {
    Source s = knownSource(name);
    SourceSettings settings = SourceSettings.of(s).changedBy(name, c);
    catalog.inTransaction(() -> {
      settings.writeTo(catalog.sources(), s.id());
      return null;
    });
    return sourceInfo(knownSource(name));
  }

  private static List<String> checkExcludes(List<String> patterns) {
    return excludesOf(patterns, "selfstorage source set NAME --exclude '*.tmp'").patterns();
  }

  private static Excludes excludesOf(List<String> patterns, String example) {
    try {
      return Excludes.of(patterns);
    } catch (IllegalArgumentException e) {
      throw new UsageException("EXCLUDE_INVALID", e.getMessage(), example);
    }
  }

  /**
   * Removes a source and returns how many of its snapshots went with it. A source with snapshots
   * is refused unless {@code forgetSnapshots}: then they are forgotten in the same transaction
   * (`prune` frees what only they used). Its files on disk are not touched.
   */
  public int removeSource(String name, boolean forgetSnapshots) {
    Source s = knownSource(name);
    List<Snapshot> snapshots = catalog.snapshots().ofSource(s.id());
    if (!snapshots.isEmpty() && !forgetSnapshots) {
      throw new UsageException("SOURCE_HAS_SNAPSHOTS", name + " has " + snapshots.size() + " snapshot"
          + (snapshots.size() == 1 ? "" : "s") + " (the newest from " + snapshots.get(snapshots.size() - 1).time()
          + "), which would be left without their source", "selfstorage source remove " + name + " --forget   "
          + "(forgets them too; selfstorage prune then frees their space), or keep them and stop its scheduled "
          + "backups: selfstorage source set " + name + " --schedule none");
    }
    if (!snapshots.isEmpty()) {
      refuseOnOwnClockSkew("forget", true);
    }
    try (FileLock lock = lock("source remove")) {
      catalog.inTransaction(() -> {
        snapshots.forEach(snap -> catalog.snapshots().delete(snap.id()));
        catalog.policies().delete(s.id());
        catalog.sources().delete(s.id());
        return null;
      });
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
    events.record("SOURCE_REMOVED", "info", "source " + name + " removed" + (snapshots.isEmpty() ? ""
        : " with its " + snapshots.size() + " snapshots"), snapshots.isEmpty() ? null : "selfstorage prune");
    return snapshots.size();
  }

  /** Sets or (with "none") clears a source's schedule. */
  public SourceInfo setSchedule(String name, String schedule) {
    return changeSource(name, new SourceChange(Objects.requireNonNull(schedule, "schedule"), List.of(), List.of(), null,
        null, null));
  }

  private static String checkSchedule(String schedule) {
    try {
      return Schedule.parse(schedule).text();
    } catch (IllegalArgumentException e) {
      throw new UsageException("SCHEDULE_INVALID", e.getMessage(), "selfstorage source set NAME --schedule daily");
    }
  }

  /** One scheduled run: the snapshot it made, or why it failed. */
  public record ScheduledRun(String source, String snapshot, String problem, ForgetResult forgotten,
      PruneResult pruned) {}

  /**
   * Runs what is due at {@code now}: for each source whose schedule has a time between its last
   * scheduled run (or its creation) and now, one backup (missed runs are caught up once), then
   * forget and prune when it has a policy. The running agent calls this every half minute.
   */
  public List<ScheduledRun> runScheduled(Instant now) throws InterruptedException {
    List<ScheduledRun> runs = new ArrayList<>();
    for (Source s : catalog.sources().list()) {
      if (s.schedule() == null) {
        continue;
      }
      Instant last = s.lastScheduled() != null ? s.lastScheduled() : s.addedAt();
      if (!Schedule.parse(s.schedule()).isDue(last, now, clock.getZone())) {
        continue;
      }
      try {
        BackupResult b = backup(s.name(), null, Progress.Listener.NONE);
        catalog.sources().scheduledRunStarted(s.id(), now);
        ForgetResult f = null;
        PruneResult p = null;
        String problem = null;
        try {
          if (!policyOf(s).keepsEverything()) {
            f = forget(s.name(), false);
            if (f.forgotten() > 0) {
              p = prune(Progress.Listener.NONE);
            }
          }
        } catch (AgentException e) {
          problem = "snapshot stored; " + e.code() + ": " + e.getMessage(); // the backup itself stands
        }
        runs.add(new ScheduledRun(s.name(), b.snapshotId(), problem, f, p));
      } catch (AgentException e) {
        if (!e.code().equals("HOME_BUSY")) {
          catalog.sources().scheduledRunStarted(s.id(), now); // a failing source is retried at its next time
        }
        runs.add(new ScheduledRun(s.name(), null, e.code() + ": " + e.getMessage(), null, null));
      }
    }
    return runs;
  }

  public List<SourceInfo> sources() {
    return catalog.sources().list().stream().map(Agent::sourceInfo).toList();
  }

  private static SourceInfo sourceInfo(Source s) {
    return new SourceInfo(s.name(), s.path(), s.addedAt(), s.schedule(), s.lastScheduled(), s.excludes(),
        s.oneFileSystem(), s.excludeCaches(), s.excludeLargerThan());
  }

  static void checkName(String name, String what) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new UsageException("NAME_INVALID", "a " + what + " name must be 1 to 64 letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit; '" + name + "' is not", null);
    }
  }

  // ---- backup, snapshots, restore

  /**
   * Starts compiling the AEAD code paths on a background thread before a command moves a lot of
   * data: a fresh JVM otherwise decrypts and encrypts at a small fraction of its speed for the
   * first few hundred MiB (docs/design.md, Performance).
   */
  void warmUpCrypto() {
    if (jvmWarm) {
      return; // the running agent's warm-up compiled these paths already
    }
    Thread t = new Thread(AeadCipher::warmUp, "selfstorage-warm-up");
    t.setDaemon(true);
    t.start();
  }

  private boolean jvmWarm;

  /** This agent runs inside a warmed-up agent process: no command needs a warm-up thread. */
  void jvmIsWarm() {
    jvmWarm = true;
  }


  public BackupResult backup(String sourceName, Instant time, Progress.Listener listener) throws InterruptedException {
    return backup(sourceName, time, List.of(), listener);
  }

  /** A backup whose snapshot carries {@code tags} (checked before anything is read). */
  public BackupResult backup(String sourceName, Instant time, List<String> tags, Progress.Listener listener)
      throws InterruptedException {
    List<String> checkedTags = SnapshotTag.checked(tags);
    Source source = catalog.sources().byName(sourceName).orElseThrow(() -> new UsageException("SOURCE_UNKNOWN",
        "there is no source called '" + sourceName + "'", "selfstorage source list"));
    try (FileLock lock = lock("backup")) {
      BackupResult result;
      try (StoreSet stores = openStores()) {
        requireCurrentCatalog(stores, "a backup");
        removeLeftovers(stores);
        Archiver.Options options = new Archiver.Options(intSetting(ConfigKey.REDUNDANCY_TOLERATE),
            intSetting(ConfigKey.COMPRESSION_LEVEL), ChunkerParams.defaults(), PackWriter.TARGET_SIZE);
        Archiver archiver = new Archiver(catalog, keys, stores, options, clock, listener);
        archiver.tagged(checkedTags);
        if (jvmWarm) {
          archiver.withoutWarmUp();
        }
        result = archiver.run(source, time);
        // the copy of the catalog a recovery starts from; a store that misses it gets the next one
        for (String miss : CatalogReplica.publish(catalog, keys, stores, home.dir())) {
          events.record("REPLICA_MISSED", "warning", "catalog copy not stored: " + miss,
              "nothing to do if it passes; the next backup stores it again");
        }
      } catch (AgentException e) {
        events.record("BACKUP_FAILED", "error", "backup of " + sourceName + " failed: " + e.code() + ": "
            + e.getMessage(), e.fix() != null ? e.fix() : "selfstorage doctor");
        throw e;
      } catch (RuntimeException e) {
        events.record("BACKUP_FAILED", "error", "backup of " + sourceName + " failed: " + e, "selfstorage doctor");
        throw e;
      }
      boolean complete = result.incomplete().isEmpty();
      events.record(complete ? "BACKUP_DONE" : "BACKUP_INCOMPLETE", complete ? "info" : "warning",
          "snapshot " + result.snapshotId().substring(0, 8) + " of " + sourceName + ": " + result.files()
              + " files, " + result.bytes() + " bytes, " + result.addedBytes() + " new bytes"
              + (complete ? "" : ", " + result.incomplete().size() + " files not stored consistently"),
          complete ? null : "selfstorage snapshots   (the files that changed while read are stored at the next backup)");
      return result;
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
  }

  /** What the snapshots hold and what they take, from the catalog alone (no store is read). */
  public RepositoryStats stats() {
    List<Snapshot> all = catalog.snapshots().list();
    long latestFiles = 0;
    long latestBytes = 0;
    long sources = 0;
    for (Source s : catalog.sources().list()) {
      java.util.Optional<Snapshot> last = catalog.snapshots().latestOf(s.id());
      if (last.isPresent()) {
        sources++;
        latestFiles += last.get().files();
        latestBytes += last.get().bytes();
      }
    }
    org.selfstorage.catalog.Blobs.Totals data = catalog.blobs().totals(org.selfstorage.catalog.BlobType.DATA);
    org.selfstorage.catalog.Blobs.Totals trees = catalog.blobs().totals(org.selfstorage.catalog.BlobType.TREE);
    return new RepositoryStats(all.size(), sources, latestFiles, latestBytes,
        all.stream().mapToLong(Snapshot::files).sum(), all.stream().mapToLong(Snapshot::bytes).sum(), data.count(),
        data.rawBytes(), trees.count(), trees.rawBytes(), data.storedBytes() + trees.storedBytes(),
        catalog.packs().count(), catalog.packs().bytes(), catalog.shards().bytes());
  }

  /**
   * A dry run of the next backup of a source: what it would read, skip and leave out, with each new,
   * changed and left-out entry when {@code list}. Reads no file's content, stores nothing, takes no
   * lock; the last snapshot's trees come from the catalog's copy (the stores only when it lacks one).
   */
  public BackupPreview previewBackup(String sourceName, boolean list, Progress.Listener listener) {
    Source source = catalog.sources().byName(sourceName).orElseThrow(() -> new UsageException("SOURCE_UNKNOWN",
        "there is no source called '" + sourceName + "'", "selfstorage source list"));
    Preview preview = new Preview(source, list, listener); // a missing source is refused before any store opens
    java.util.Optional<Snapshot> last = catalog.snapshots().latestOf(source.id());
    BackupPreview walked = last.isEmpty()
        ? preview.run(null, id -> {
          throw new IllegalStateException("no earlier snapshot to load tree " + id + " from");
        })
        : withTrees(trees -> preview.run(trees.load(last.get().rootTree()), trees::load));
    String shortfall = sitesShortfall();
    return shortfall == null ? walked : walked.withWarning(shortfall);
  }

  /** Why a backup now would store nothing (too few sites take new shards), with its fix; or null. */
  private String sitesShortfall() {
    try (StoreSet set = openStores()) {
      int sites = (int) set.writableSites();
      String why = Redundancy.shortfall(sites, intSetting(ConfigKey.REDUNDANCY_TOLERATE));
      return why == null ? null
          : "a backup now would fail (NOT_ENOUGH_SITES): " + why + "; fix: " + Redundancy.fixFor(sites);
    }
  }

  /** How long a command waits for the home when the agent's upkeep (self-healing, a sweep) holds it. */
  private static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(60);

  /**
   * The home's exclusive lock for work that changes stores (backup, repair, prune, partner
   * removal), waiting up to a minute: the running agent's upkeep holds it for moments at a time.
   */
  FileLock lock(String what) throws IOException {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    while (true) {
      FileLock lock = tryLock(what);
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        throw new AgentException("HOME_BUSY", "another selfstorage process is working in " + home.dir()
            + " (a backup, prune or repair); " + what + " did not start", "wait for it to finish, then run the "
            + "command again");
      }
      try {
        Thread.sleep(100); // polling a file lock: the JDK offers no timed wait for one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentException("INTERRUPTED", what + " was stopped while waiting for the home", null);
      }
    }
  }

  /** The lock if it is free right now, else null: upkeep skips a round rather than wait. */
  FileLock tryLock(String what) throws IOException {
    FileChannel ch = FileChannel.open(home.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        ch.close();
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      ch.close();
      return null; // held by another command in this very process (the running agent)
    }
  }

  public List<SnapshotInfo> snapshots(String sourceName) {
    Map<Long, String> names = new HashMap<>();
    catalog.sources().list().forEach(s -> names.put(s.id(), s.name()));
    List<Snapshot> list;
    if (sourceName == null) {
      list = catalog.snapshots().list();
    } else {
      Source s = catalog.sources().byName(sourceName).orElseThrow(() -> new UsageException("SOURCE_UNKNOWN",
          "there is no source called '" + sourceName + "'", "selfstorage source list"));
      list = catalog.snapshots().ofSource(s.id());
    }
    return list.stream().map(s -> info(s, names.get(s.sourceId()))).toList();
  }

  private static SnapshotInfo info(Snapshot s, String source) {
    return new SnapshotInfo(s.id().hex(), s.id().shortHex(), source, s.time(), s.host(), s.files(), s.dirs(), s.bytes(),
        s.addedBytes(), s.incompleteFiles(), s.tags());
  }

  /**
   * Adds and removes tags of one snapshot ({@code latest}, an id or a unique prefix); returns it
   * as it is now. The catalog copy on the stores carries the change from the next backup on.
   */
  public SnapshotInfo tag(String ref, List<String> add, List<String> remove) {
    List<String> adding = SnapshotTag.checked(add);
    List<String> removing = SnapshotTag.checked(remove);
    Snapshot s = resolve(ref);
    catalog.snapshots().addTags(s.id(), adding);
    catalog.snapshots().removeTags(s.id(), removing);
    Snapshot now = catalog.snapshots().get(s.id()).orElseThrow();
    String source = catalog.sources().byId(now.sourceId()).map(Source::name).orElse("?");
    events.record("SNAPSHOT_TAGGED", "info", "snapshot " + now.id().shortHex() + " of " + source + " now has tags "
        + (now.tags().isEmpty() ? "none" : String.join(", ", now.tags())));
    return info(now, source);
  }

  /** Resolves {@code latest}, a full id or a unique prefix of one. */
  Snapshot resolve(String ref) {
    if (ref == null || ref.isBlank()) {
      throw new UsageException("SNAPSHOT_UNKNOWN", "no snapshot was named", "selfstorage snapshots");
    }
    if (ref.equals("latest")) {
      List<Snapshot> all = catalog.snapshots().list();
      if (all.isEmpty()) {
        throw new UsageException("SNAPSHOT_UNKNOWN", "there are no snapshots yet", "selfstorage backup SOURCE");
      }
      return all.get(all.size() - 1);
    }
    if (!ref.matches("[0-9a-fA-F]{1,32}")) {
      throw new UsageException("SNAPSHOT_UNKNOWN", "'" + ref + "' is not a snapshot id (hex digits) or 'latest'",
          "selfstorage snapshots");
    }
    List<Snapshot> matches = catalog.snapshots().withPrefix(ref);
    if (matches.isEmpty()) {
      throw new UsageException("SNAPSHOT_UNKNOWN", "no snapshot id starts with '" + ref + "'", "selfstorage snapshots");
    }
    if (matches.size() > 1) {
      throw new UsageException("SNAPSHOT_AMBIGUOUS", "'" + ref + "' starts " + matches.size()
          + " snapshot ids; give more digits", "selfstorage snapshots");
    }
    return matches.get(0);
  }

  public SnapshotInfo snapshot(String ref) {
    Snapshot s = resolve(ref);
    return info(s, catalog.sources().byId(s.sourceId()).map(Source::name).orElse("?"));
  }

  /** Lists a snapshot's entries under a path (recursively), in tree order. */
  public List<EntryInfo> list(String ref, String path) {
    Snapshot s = resolve(ref);
    try (StoreSet stores = openStores()) {
      TreeLoader trees = new TreeLoader(catalog, keys, stores);
      String prefix = inSnapshot(path);
      List<EntryInfo> out = new ArrayList<>();
      listTree(trees, trees.load(s.rootTree()), "", prefix, out);
      if (!prefix.isEmpty() && out.isEmpty()) {
        throw new UsageException("PATH_UNKNOWN", "snapshot " + s.id().shortHex() + " has no entry '" + prefix + "'",
            "selfstorage ls " + s.id().shortHex());
      }
      return out;
    }
  }

  private void listTree(TreeLoader trees, Tree tree, String parent, String prefix, List<EntryInfo> out) {
    for (Node n : tree.nodes()) {
      String p = parent.isEmpty() ? n.nameString() : parent + "/" + n.nameString();
      boolean inside = prefix.isEmpty() || p.equals(prefix) || p.startsWith(prefix + "/");
      boolean above = prefix.startsWith(p + "/");
      if (!inside && !above) {
        continue;
      }
      if (inside) {
        out.add(entry(p, n));
      }
      if (n.subtree() != null) {
        listTree(trees, trees.load(n.subtree()), p, prefix, out);
      }
    }
  }

  /**
   * The entries directly inside one directory of a snapshot ({@code path} empty for its root), for
   * browsing one level at a time. Trees come from the catalog's copy; the stores (and so the
   * partners) are contacted only when the catalog lacks one.
   */
  public List<EntryInfo> children(String ref, String path) {
    Snapshot s = resolve(ref);
    String dir = inSnapshot(path);
    return withTrees(trees -> childrenWith(trees, s, dir));
  }

  /**
   * Work on trees from the catalog's copy and the local stores first; when one is missing there,
   * again with every store and partner open (contacting partners only when needed).
   */
  private <T> T withTrees(java.util.function.Function<TreeLoader, T> work) {
    try (StoreSet local = StoreSet.open(catalog)) {
      return work.apply(new TreeLoader(catalog, keys, local));
    } catch (UsageException e) {
      throw e;
    } catch (RuntimeException e) {
      try (StoreSet stores = openStores()) { // a tree only the partners have
        return work.apply(new TreeLoader(catalog, keys, stores));
      }
    }
  }

  /**
   * What changed from snapshot {@code fromRef} to {@code toRef} (each {@code latest}, an id or a
   * unique prefix). Trees come from the catalog's copy; the stores only when it lacks one.
   */
  public SnapshotDiff diff(String fromRef, String toRef) {
    Snapshot from = resolve(fromRef);
    Snapshot to = resolve(toRef);
    List<TreeDiff.Entry> entries = withTrees(trees -> TreeDiff.between(from.rootTree(), to.rootTree(), trees::load));
    long added = 0;
    long removed = 0;
    List<SnapshotDiff.Change> changes = new ArrayList<>();
    for (TreeDiff.Entry e : entries) {
      changes.add(new SnapshotDiff.Change(String.valueOf(e.kind()), e.path(), e.type().name().toLowerCase()));
      long delta = e.sizeAfter() - e.sizeBefore();
      if (e.type() == NodeType.FILE) {
        added += Math.max(0, delta);
        removed += Math.max(0, -delta);
      }
    }
    return new SnapshotDiff(snapshot(from.id().hex()), snapshot(to.id().hex()), changes, added, removed);
  }

  /** At most this many matches under one tree: more would be held in memory for nothing anyone reads. */
  private static final int MAX_FOUND = 10_000;

  /**
   * Entries whose name matches a glob ({@code *.pdf}, {@code report-202?.*}) in every snapshot, or
   * those of one source, newest snapshot first; each directory's tree is searched once however
   * many snapshots share it.
   */
  public List<FoundEntry> find(String glob, String sourceName, boolean ignoreCase) {
    java.nio.file.PathMatcher matcher;
    try {
      matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:"
          + (ignoreCase ? glob.toLowerCase(java.util.Locale.ROOT) : glob));
    } catch (IllegalArgumentException e) {
      throw new UsageException("PATTERN_INVALID", "'" + glob + "' is not a glob pattern: " + e.getMessage(),
          "selfstorage find '*.pdf'");
    }
    java.util.function.Predicate<String> matches = name -> {
      try {
        return matcher.matches(Path.of(ignoreCase ? name.toLowerCase(java.util.Locale.ROOT) : name));
      } catch (java.nio.file.InvalidPathException e) {
        return false;
      }
    };
    Map<Long, String> names = new HashMap<>();
    catalog.sources().list().forEach(s -> names.put(s.id(), s.name()));
    List<Snapshot> snapshots = new ArrayList<>(sourceName == null ? catalog.snapshots().list()
        : catalog.snapshots().ofSource(knownSource(sourceName).id()));
    java.util.Collections.reverse(snapshots);
    return withTrees(trees -> {
      TreeSearch search = new TreeSearch(trees::load, matches, MAX_FOUND);
      List<FoundEntry> out = new ArrayList<>();
      try {
        for (Snapshot s : snapshots) {
          for (TreeSearch.Hit h : search.in(s.rootTree())) {
            Node n = h.node();
            out.add(new FoundEntry(s.id().shortHex(), names.get(s.sourceId()), s.time(), h.path(),
                n.type().name().toLowerCase(), n.size(), Instant.ofEpochSecond(n.mtimeSeconds(), n.mtimeNanos())));
            if (out.size() > MAX_FOUND) {
              throw new TreeSearch.TooManyHits(MAX_FOUND);
            }
          }
        }
      } catch (TreeSearch.TooManyHits e) {
        // a usage error: withTrees passes it on instead of trying again with the partners
        throw new UsageException("FIND_TOO_MANY", "'" + glob + "' matches " + e.getMessage() + " entries",
            "narrow it: a longer pattern, --source NAME, or ls SNAPSHOT PATH");
      }
      return out;
    });
  }

  private List<EntryInfo> childrenWith(TreeLoader trees, Snapshot s, String dir) {
    Tree tree = trees.load(s.rootTree());
    if (!dir.isEmpty()) {
      Node found = nodeAt(trees, s, dir, "directory");
      if (found.subtree() == null) {
        throw new UsageException("PATH_UNKNOWN", "snapshot " + s.id().shortHex() + " has no directory '" + dir + "'",
            "selfstorage ls " + s.id().shortHex());
      }
      tree = trees.load(found.subtree());
    }
    List<EntryInfo> out = new ArrayList<>();
    for (Node n : tree.nodes()) {
      out.add(entry(dir.isEmpty() ? n.nameString() : dir + "/" + n.nameString(), n));
    }
    return out;
  }

  /** A path as given for a snapshot, without leading or trailing slashes ("" for its root). */
  private static String inSnapshot(String path) {
    return path == null ? "" : path.replaceAll("^/+|/+$", "");
  }

  /** {@link #inSnapshot} of a path that must name an entry, not the root. */
  private static String entryPath(Snapshot s, String path) {
    String p = inSnapshot(path);
    if (p.isEmpty()) {
      throw new UsageException("PATH_UNKNOWN", "name an entry of the snapshot, not its root", "selfstorage ls "
          + s.id().shortHex());
    }
    return p;
  }

  /** The entry at {@code path} (non-empty, '/'-separated) of a snapshot; {@code what} names it in the error. */
  private static Node nodeAt(TreeLoader trees, Snapshot s, String path, String what) {
    Tree tree = trees.load(s.rootTree());
    Node found = null;
    for (String part : path.split("/+")) {
      if (found != null) {
        if (found.subtree() == null) {
          found = null;
          break;
        }
        tree = trees.load(found.subtree());
      }
      found = tree.nodes().stream().filter(n -> n.nameString().equals(part)).findFirst().orElse(null);
      if (found == null) {
        break;
      }
    }
    if (found == null) {
      throw new UsageException("PATH_UNKNOWN", "snapshot " + s.id().shortHex() + " has no " + what + " '" + path + "'",
          "selfstorage ls " + s.id().shortHex());
    }
    return found;
  }

  /** The entry at {@code path} of a snapshot (trees from the catalog's copy first, see {@link #withTrees}). */
  public EntryInfo entry(String ref, String path) {
    Snapshot s = resolve(ref);
    String p = entryPath(s, path);
    return withTrees(trees -> entry(p, nodeAt(trees, s, p, "entry")));
  }

  /**
   * Writes one regular file of a snapshot to {@code out}, chunk by chunk: each is read back from
   * its pack and authenticated before a byte of it is written, and holes come back as zeros.
   * Returns the file's entry (its {@code incomplete} says when it was not stored consistently).
   */
  public EntryInfo dump(String ref, String path, java.io.OutputStream out) throws IOException {
    Snapshot s = resolve(ref);
    String p = entryPath(s, path);
    try (StoreSet stores = openStores()) {
      Node n = nodeAt(new TreeLoader(catalog, keys, stores), s, p, "file");
      if (n.type() != NodeType.FILE) {
        throw new UsageException("NOT_A_FILE", "'" + p + "' in snapshot " + s.id().shortHex() + " is a "
            + n.type().name().toLowerCase() + ", not a file", "selfstorage restore " + s.id().shortHex()
            + " --target DIR --include " + p);
      }
      BlobReader blobs = new BlobReader(catalog, keys, stores);
      byte[] zeros = new byte[64 << 10];
      for (ChunkRef c : n.content()) {
        if (c.isZeros()) {
          for (int left = c.length(); left > 0; left -= zeros.length) {
            out.write(zeros, 0, Math.min(left, zeros.length));
          }
        } else {
          byte[] b = blobs.read(c.blob());
          if (b.length != c.length()) {
            throw new AgentException("BLOB_DAMAGED", "chunk " + c.blob().shortHex() + " of '" + p + "' holds "
                + b.length + " bytes, the snapshot says " + c.length(), "selfstorage check --read-data");
          }
          out.write(b);
        }
      }
      out.flush();
      return entry(p, n);
    }
  }

  private static EntryInfo entry(String path, Node n) {
    return new EntryInfo(path, n.type().name().toLowerCase(), String.format("%04o", n.mode()), n.size(),
        Instant.ofEpochSecond(n.mtimeSeconds(), n.mtimeNanos()),
        n.linkTarget() == null ? null : new String(n.linkTarget(), StandardCharsets.UTF_8), n.incomplete());
  }

  /** The newest events with an id above {@code afterId} (0 for all), newest first, at most {@code limit}. */
  public List<EventInfo> events(long afterId, int limit) {
    return catalog.events().after(afterId, limit).stream().map(Agent::eventInfo).toList();
  }

  /** The newest events with an id below {@code beforeId}, newest first, at most {@code limit}: paging back. */
  public List<EventInfo> eventsBefore(long beforeId, int limit) {
    return catalog.events().before(beforeId, limit).stream().map(Agent::eventInfo).toList();
  }

  private static EventInfo eventInfo(org.selfstorage.catalog.Event e) {
    return new EventInfo(e.id(), e.time(), e.code(), e.severity(), e.message(), e.fix());
  }

  /**
   * When the running agent next backs up a source by its schedule (null without one); a time in
   * the past means the run is due and starts within half a minute.
   */
  public Instant nextScheduledRun(SourceInfo source) {
    if (source.schedule() == null) {
      return null;
    }
    Instant last = source.lastScheduledRun() != null ? source.lastScheduledRun() : source.addedAt();
    Instant next = Schedule.parse(source.schedule()).nextAfter(last, clock.getZone());
    return next.equals(Instant.MAX) ? null : next;
  }

  public RestoreResult restore(String ref, Path target, List<String> includes, Progress.Listener listener)
      throws InterruptedException {
    return restore(ref, target, includes, List.of(), listener);
  }

  /**
   * Restores what {@code includes} name (everything when empty) but what {@code excludes} match:
   * patterns as a source's (see Excludes), from the snapshot's top; an excluded directory is left
   * out with all it holds.
   */
  public RestoreResult restore(String ref, Path target, List<String> includes, List<String> excludes,
      Progress.Listener listener) throws InterruptedException {
    Excludes leaveOut = excludesOf(excludes, "selfstorage restore SNAPSHOT --target DIR --exclude '*.iso'");
    Snapshot s = resolve(ref);
    warmUpCrypto();
    try (StoreSet stores = openStores()) {
      return new Restorer(catalog, keys, stores, clock, listener).restore(s, target, includes, leaveOut);
    }
  }

  // ---- retention: policies, forget, prune

  public void setPolicy(String sourceName, RetentionPolicy policy) {
    Source source = knownSource(sourceName);
    catalog.policies().set(source.id(), new Policies.Rules(policy.keepLast(),
        policy.keepHourly(), policy.keepDaily(), policy.keepWeekly(), policy.keepMonthly(), policy.keepYearly(),
        policy.keepWithin().toSeconds(), policy.keepTags()));
    events.record("POLICY_SET", "info", "policy of " + sourceName + ": " + policy.describe());
  }

  public RetentionPolicy policy(String sourceName) {
    return policyOf(knownSource(sourceName));
  }

  private RetentionPolicy policyOf(Source source) {
    return catalog.policies().of(source.id()).map(r -> new RetentionPolicy(r.keepLast(), r.keepHourly(),
        r.keepDaily(), r.keepWeekly(), r.keepMonthly(), r.keepYearly(),
        java.time.Duration.ofSeconds(r.keepWithinSeconds()), r.keepTags())).orElse(RetentionPolicy.KEEP_ALL);
  }

  private Source knownSource(String sourceName) {
    return catalog.sources().byName(sourceName).orElseThrow(() -> new UsageException("SOURCE_UNKNOWN",
        "there is no source called '" + sourceName + "'", "selfstorage source list"));
  }

  /**
   * Applies each source's policy (or only {@code sourceName}'s): forgotten snapshots are removed
   * from the catalog (their data stays until prune). Buckets are in this machine's time zone.
   */
  public ForgetResult forget(String sourceName, boolean dryRun) {
    return forget(sourceName, List.of(), dryRun);
  }

  /**
   * As {@link #forget(String, boolean)}, with the policies applied among the snapshots that carry
   * one of {@code tags} alone (none: all), as restic's {@code forget --tag}: the others are neither
   * counted by the rules nor forgotten.
   */
  public ForgetResult forget(String sourceName, List<String> tags, boolean dryRun) {
    List<String> only = SnapshotTag.checked(tags);
    List<Source> sources = sourceName == null ? catalog.sources().list() : List.of(knownSource(sourceName));
    List<ForgetResult.SourceVerdicts> out = new ArrayList<>();
    if (!dryRun) {
      refuseOnOwnClockSkew("forget", true);
    }
    try (FileLock lock = dryRun ? null : lock("forget")) {
      for (Source src : sources) {
        RetentionPolicy policy = policyOf(src);
        Map<SnapshotId, Integer> made = new HashMap<>();
        for (var id : catalog.snapshots().ofSourceInRecordedOrder(src.id())) {
          made.put(id, made.size());
        }
        List<Snapshot> considered = catalog.snapshots().ofSource(src.id()).stream()
            .filter(sn -> only.isEmpty() || sn.tags().stream().anyMatch(only::contains)).toList();
        var verdicts = Retention.apply(considered,
            Snapshot::time, Snapshot::tags, java.util.Comparator.comparing((Snapshot sn) -> made.get(sn.id())), policy,
            clock.getZone());
        List<ForgetResult.Entry> entries = new ArrayList<>();
        for (var v : verdicts) {
          entries.add(new ForgetResult.Entry(v.snapshot().id().hex(), v.time(), v.reasons()));
          if (!dryRun && !v.kept()) {
            catalog.snapshots().delete(v.snapshot().id());
          }
        }
        out.add(new ForgetResult.SourceVerdicts(src.name(), policy.describe() + (only.isEmpty() ? ""
            : " among snapshots tagged " + String.join(" or ", only)), entries));
      }
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
    ForgetResult r = new ForgetResult(dryRun, out);
    if (!dryRun && r.forgotten() > 0) {
      events.record("SNAPSHOTS_FORGOTTEN", "info", r.forgotten() + " snapshots forgotten");
    }
    return r;
  }

  /**
   * Forgets exactly the named snapshots ({@code latest}, ids or unique prefixes), whatever the
   * policies say. Every name is resolved before anything changes, so one wrong name forgets nothing.
   */
  public ForgetResult forgetSnapshots(List<String> refs, boolean dryRun) {
    Map<SnapshotId, Snapshot> named = new java.util.LinkedHashMap<>();
    for (String ref : refs) {
      Snapshot s = resolve(ref);
      named.put(s.id(), s);
    }
    if (!dryRun) {
      refuseOnOwnClockSkew("forget", true);
    }
    Map<Long, List<ForgetResult.Entry>> bySource = new java.util.TreeMap<>();
    try (FileLock lock = dryRun ? null : lock("forget")) {
      for (Snapshot s : named.values()) {
        bySource.computeIfAbsent(s.sourceId(), k -> new ArrayList<>()).add(new ForgetResult.Entry(s.id().hex(),
            s.time(), List.of()));
        if (!dryRun) {
          catalog.snapshots().delete(s.id());
        }
      }
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
    List<ForgetResult.SourceVerdicts> out = new ArrayList<>();
    bySource.forEach((source, entries) -> out.add(new ForgetResult.SourceVerdicts(
        catalog.sources().byId(source).map(Source::name).orElse("?"), "named on the command line", entries)));
    ForgetResult r = new ForgetResult(dryRun, out);
    if (!dryRun) {
      events.record("SNAPSHOTS_FORGOTTEN", "info", r.forgotten() + " snapshots forgotten by name: " + named.values()
          .stream().map(s -> s.id().shortHex()).collect(java.util.stream.Collectors.joining(", ")));
    }
    return r;
  }

  /** Deletes packs no snapshot uses and repacks mostly unused ones, on every store and partner. */
  public PruneResult prune(Progress.Listener listener) throws InterruptedException {
    try (FileLock lock = lock("prune"); StoreSet stores = openStores()) {
      requireCurrentCatalog(stores, "prune");
      refuseOnOwnClockSkew("prune", false);
      PruneResult r = new Pruner(catalog, keys, stores, clock, listener,
          intSetting(ConfigKey.REDUNDANCY_TOLERATE), intSetting(ConfigKey.PRUNE_REPACK_UNUSED)).prune();
      events.record("PRUNE_DONE", "info", r.packsDeleted() + " packs deleted, "
          + r.packsRepacked() + " repacked, " + r.bytesFreed() + " bytes freed");
      CatalogReplica.publish(catalog, keys, stores, home.dir());
      return r;
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
  }

  // ---- check, repair, status

  public CheckResult check(boolean readData, Progress.Listener listener) {
    return check(readData ? ReadSubset.ALL : ReadSubset.NONE, listener);
  }

  /** A check that reads in full the packs {@code subset} takes; see {@link ReadSubset#parse}. */
  public CheckResult check(ReadSubset subset, Progress.Listener listener) {
    if (subset.readsData()) {
      warmUpCrypto();
    }
    try (StoreSet stores = openStores()) {
      return new Checker(catalog, keys, stores, clock, listener).check(subset);
    }
  }

  /** {@code N/M} or {@code P%} as a subset of packs to read, refused with the rule otherwise. */
  public static ReadSubset readSubset(String text) {
    try {
      return ReadSubset.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException("SUBSET_INVALID", e.getMessage(), "selfstorage check --read-data-subset 1/7");
    }
  }

  public RepairResult repair(Progress.Listener listener) {
    warmUpCrypto();
    try (FileLock lock = lock("repair"); StoreSet stores = openStores()) {
      RepairResult r;
      try {
        r = new Repairer(catalog, keys, stores, clock, tracked(listener)).limitedTo(repairLimits()).repair();
      } finally {
        repairing.set(null);
      }
      if (!r.rebuilt().isEmpty()) {
        events.record("REPAIR_DONE", "info", "rebuilt " + r.rebuilt().size() + " shards");
      }
      return r;
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
  }

  // ---- audits and scrubbing

  /**
   * One audit round now (the running agent runs one every {@code audit.every}): challenges to
   * partners, rot reports, full reads within this round's share of the verification period, and
   * at once a rebuild of whatever proves damaged.
   */
  public AuditResult audit(Progress.Listener listener) {
    try (FileLock lock = lock("audit")) {
      return auditLocked(listener);
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
  }

  /** As {@link #audit}, for the agent's timer: null when a command holds the home. */
  AuditResult auditIfIdle(Progress.Listener listener) {
    try (FileLock lock = tryLock("audit")) {
      return lock == null ? null : auditLocked(listener);
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
  }

  private AuditResult auditLocked(Progress.Listener listener) {
    java.time.Duration every = ConfigKey.parseDuration(configGet(ConfigKey.AUDIT_EVERY.key()));
    java.time.Duration period = ConfigKey.parseDuration(configGet(ConfigKey.AUDIT_VERIFY_EVERY.key()));
    try (StoreSet set = openStores()) {
      long budget = Auditor.readBudget(catalog, every, period);
      AuditResult r;
      try {
        r = new Auditor(catalog, keys, set, linksIfNamed(), clock, repairLimits())
            .audit(intSetting(ConfigKey.AUDIT_CHALLENGES), budget, period, tracked(listener));
      } finally {
        repairing.set(null);
      }
      if (!r.damaged().isEmpty()) {
        events.record("AUDIT_FAILED", "warning", r.damaged().size()
            + " stored shards failed their audit (" + r.damaged().get(0) + (r.damaged().size() > 1 ? ", ..." : "")
            + ")" + (r.repair() == null ? "" : "; " + r.repair().rebuilt().size() + " rebuilt"
            + (r.repair().failed().isEmpty() ? "" : ", " + r.repair().failed().size() + " could not be placed")));
      }
      return r;
    }
  }

  /** Scrubs a share of what this agent keeps for partners (see {@link HostScrub}). */
  HostScrub.Outcome scrubHosted(HostScrub scrub) {
    java.time.Duration every = ConfigKey.parseDuration(configGet(ConfigKey.AUDIT_EVERY.key()));
    java.time.Duration period = ConfigKey.parseDuration(configGet(ConfigKey.AUDIT_VERIFY_EVERY.key()));
    double share = Math.min(1.0, (double) every.toMillis() / Math.max(1, period.toMillis()));
    HostScrub.Outcome o = scrub.round(catalog, HostScrub.hostedFor(catalog, directory::hosted), share, clock);
    if (!o.rotten().isEmpty()) {
      events.record("HOSTED_ROT", "warning", o.rotten().size() + " shards kept for partners "
          + "failed their checksum (" + o.rotten().get(0) + "); their owners rebuild them at their next audit");
    }
    return o;
  }

  java.time.Duration auditEvery() {
    return ConfigKey.parseDuration(configGet(ConfigKey.AUDIT_EVERY.key()));
  }

  java.time.Duration grace() {
    return ConfigKey.parseDuration(configGet(ConfigKey.REPAIR_GRACE.key()));
  }

  /**
   * One round of self-healing, as the running agent does every half minute: rebuilds, on other
   * sites, the shards of packs that are down to exactly k available shards (at once), and of packs
   * with shards on a lost partner (unreachable past {@code repair.grace}). Returns null when there
   * was nothing to do or a backup or repair held the home.
   */
  public RepairResult heal(Progress.Listener listener) {
    Mesh mesh = mesh();
    Set<Long> lost = new HashSet<>();
    try (FileLock lock = tryLock("heal")) {
      if (lock == null) {
        return null;
      }
      return healLocked(listener, mesh, lost);
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
  }

  private RepairResult healLocked(Progress.Listener listener, Mesh mesh, Set<Long> lost) {
    try (StoreSet set = openStores()) {
      for (Partner p : catalog.partners().list()) {
        if (mesh.isLost(p)) {
          lost.add(p.storeId());
        }
      }
      Map<PackId, Integer> usable = new HashMap<>();
      Map<PackId, Set<Integer>> recorded = new HashMap<>();
      Set<PackId> onLost = new HashSet<>();
      catalog.shards().forEach(r -> {
        recorded.computeIfAbsent(r.packId(), x -> new HashSet<>()).add(r.index());
        if (set.get(r.storeId()).isPresent()) {
          usable.merge(r.packId(), 1, Integer::sum);
        }
        if (lost.contains(r.storeId())) {
          onLost.add(r.packId());
        }
      });
      Set<PackId> todo = new HashSet<>(onLost);
      for (Pack p : catalog.packs().list()) {
        int good = usable.getOrDefault(p.id(), 0);
        // down to k, or a shard found damaged or missing (its record dropped by an audit or check)
        if ((good < p.shardCount() && good <= p.dataShards())
            || recorded.getOrDefault(p.id(), Set.of()).size() < p.shardCount()) {
          todo.add(p.id());
        }
      }
      if (todo.isEmpty()) {
        return null;
      }
      requireCurrentCatalog(set, "self-healing");
      lost.forEach(id -> set.get(id).ifPresent(s -> set.setAside(s, "lost")));
      RepairResult r;
      try {
        r = new Repairer(catalog, keys, set, clock, tracked(listener)).limitedTo(repairLimits())
            .repair(p -> todo.contains(p.id()));
      } finally {
        repairing.set(null);
      }
      events.record(r.failed().isEmpty() ? "HEALED" : "HEAL_INCOMPLETE",
          r.failed().isEmpty() ? "info" : "warning", "self-healing rebuilt " + r.rebuilt().size() + " shards"
              + (r.failed().isEmpty() ? "" : "; " + r.failed().size() + " could not be placed: " + r.failed().get(0)));
      return r;
    }
  }

  /** Bytes one rebalancing round may move (the running agent runs one every half minute). */
  static final long REBALANCE_BYTES_PER_ROUND = 256L << 20;

  /**
   * One rebalancing round (see {@link Rebalancer}), as the running agent runs when there is
   * nothing to heal: null when the home was busy, else what moved (often nothing).
   */
  Rebalancer.Outcome rebalance() {
    try (FileLock lock = tryLock("rebalance")) {
      if (lock == null) {
        return null;
      }
      try (StoreSet set = openStores()) {
        requireCurrentCatalog(set, "rebalancing");
        Rebalancer.Outcome o = new Rebalancer(catalog, keys, set, clock).round(REBALANCE_BYTES_PER_ROUND);
        if (!o.moved().isEmpty()) {
          events.record("REBALANCED", "info", o.moved().size() + " shards ("
              + o.bytes() + " bytes) moved to even out how full partners are");
        }
        return o;
      }
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
  }

  /**
   * One surplus sweep (see {@link SurplusSweep}): returns the new
   * candidates to pass to the next sweep, or {@code previous} unchanged when the home was busy.
   */
  public Map<Long, Set<String>> sweepSurplus(Map<Long, Set<String>> previous) {
    try (FileLock lock = tryLock("sweep")) {
      if (lock == null) {
        return previous;
      }
      return sweepLocked(previous);
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home " + home.dir() + ": " + e.getMessage(), null);
    }
  }

  private Map<Long, Set<String>> sweepLocked(Map<Long, Set<String>> previous) {
    try (StoreSet set = openStores()) {
      CatalogReplica.Survey survey = requireCurrentCatalog(set, "the surplus sweep");
      survey.rolledBack().forEach((store, generation) -> forgetVanished(store, generation, survey.ours()));
      Set<String> skewed = links().skewedBeyond(SurplusSweep.MAX_SKEW);
      var outcome = new SurplusSweep(catalog, set).sweep(previous, skewed);
      if (outcome.deleted() > 0) {
        events.record("SURPLUS_DELETED", "info", outcome.deleted() + " shard files no pack "
            + "needs were deleted (" + outcome.bytes() + " bytes)");
      }
      return outcome.candidates();
    }
  }

  /**
   * A store holds an older catalog copy than the one we last wrote to it: its files were put back
   * from an old copy of its disk, so shards stored since may be gone. The records of shards its
   * listing lacks are dropped, and self-healing rebuilds them elsewhere at its next round.
   */
  private void forgetVanished(OpenStore store, long theirs, long ours) {
    Set<String> present = new HashSet<>();
    try {
      store.handle().list("").forEach(st -> present.add(st.name().value()));
    } catch (FederationException e) {
      return; // no complete listing, no decision; the next sweep tries again
    }
    int dropped = 0;
    for (ShardRecord r : catalog.shards().onStore(store.id())) {
      if (!present.contains(ShardNames.of(r.packId(), r.index()).value())) {
        catalog.shards().remove(r.packId(), r.index(), r.storeId());
        dropped++;
      }
    }
    CatalogReplica.acknowledgeRollback(catalog, store, theirs);
    events.record("STORE_ROLLED_BACK", "warning", store.name() + " rolled back (catalog copy " + theirs + " < " + ours
        + "): its files were put back from an older copy; " + dropped + " shards it no longer has are rebuilt "
        + "elsewhere", dropped == 0 ? null : "nothing to do: self-healing rebuilds them; `selfstorage status` shows it");
  }

  java.time.Duration sweepEvery() {
    return ConfigKey.parseDuration(configGet(ConfigKey.REPAIR_SWEEP_EVERY.key()));
  }

  public StatusReport status() {
    try (StoreSet set = openStores()) {
      List<StoreInfo> storeInfos = new ArrayList<>();
      for (Store s : catalog.stores().list()) {
        storeInfos.add(storeInfo(s, set));
      }
      var inputs = new StatusExamination.Inputs(home.dir().toString(), storeInfos,
          mesh().partners(false), links == null ? Map.of() : links().skews(), intSetting(ConfigKey.REDUNDANCY_TOLERATE),
          configGet(ConfigKey.REPAIR_GRACE.key()),
          ConfigKey.parseDuration(configGet(ConfigKey.STATUS_BACKUP_AGE_WARN.key())),
          ConfigKey.parseDuration(configGet(ConfigKey.AUDIT_VERIFY_EVERY.key())), repairing.get());
      StatusReport r = new StatusExamination(catalog, set, inputs, clock).report();
      List<Finding> findings = new ArrayList<>();
      String[] stale = catalog.settings().get(STALE).map(v -> v.split("\n", 3)).orElse(null);
      if (stale != null && stale.length == 3) {
        findings.add(new Finding("CATALOG_STALE", "error", stale[1], "backups, prune and self-healing are "
            + "refused until the catalog is replaced by the newest copy (the old one is kept aside)", stale[2]));
      }
      catalog.settings().get(HostedDiskProbe.SETTING).ifPresent(why -> findings.add(new Finding("HOSTED_NOT_WRITABLE",
          "error", "the disk that keeps your partners' shards (" + home.hostedDir() + ") does not take writes: " + why,
          "partners cannot store new shards here and place them elsewhere; what you keep for them can still be read",
          "check the disk (dmesg, mount): repair or remount it read-write; the agent notices within a minute")));
      if (findings.isEmpty()) {
        return r;
      }
      findings.addAll(r.findings());
      return new StatusReport(r.home(), r.stores(), r.sources(), r.snapshots(), r.packs(), r.blobs(), r.storedBytes(),
          r.layout(), r.health(), findings, r.repair());
    }
  }

  /**
   * One look by the running agent at partners, quotas and redundancy: a change since the last look
   * is recorded as an event (and so notified). Readable now: the local stores that open, and the
   * partners whose last contact succeeded; it contacts nobody itself.
   */
  void watch() {
    Set<Long> readable = new HashSet<>();
    try (StoreSet local = StoreSet.open(catalog)) {
      local.available().forEach(o -> readable.add(o.record().id()));
    }
    for (Partner p : catalog.partners().list()) {
      if (p.revokedAt() == null && p.lastError() == null && p.lastSeen() != null) {
        readable.add(p.storeId());
      }
    }
    new ConditionWatch(catalog, events, clock).observe(mesh().partners(false),
        PackCensus.take(catalog, readable::contains),
        configGet(ConfigKey.REPAIR_GRACE.key()));
  }

  /** How long a command run on its own waits at its end for its notifications to be delivered. */
  private static final java.time.Duration NOTIFY_WAIT = java.time.Duration.ofSeconds(15);

  @Override
  public void close() {
    synchronized (this) {
      if (links != null && ownsLinks) {
        links.close();
      }
    }
    WebhookSender own;
    synchronized (this) {
      own = ownsSender ? sender : null;
    }
    if (own != null) {
      int left = own.drain(NOTIFY_WAIT);
      if (left > 0) {
        System.err.println("notifications: " + left + " not delivered within " + NOTIFY_WAIT.toSeconds()
            + " s; given up (run the agent for retries that outlive a command)");
      }
      own.close();
    }
    catalog.close();
    secret.destroy();
  }
}
