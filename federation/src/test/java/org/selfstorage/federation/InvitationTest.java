package org.selfstorage.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.selfstorage.federation.InvitationCodeException.Reason;

class InvitationTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final HostKeyFingerprint FIXED_KEY = HostKeyFingerprint.ofPublicKey(filled(32, 7));
  private static final Instant FIXED_EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

  /** alice, two addresses (a name and an IPv4 literal), 500 GiB, id 00..07, secret 10..1f. */
  private static Invitation fixed() {
    return new Invitation("alice",
        List.of(PartnerAddress.parse("alice.example.net:2222"), PartnerAddress.parse("192.0.2.7:2222")),
        FIXED_KEY, HEX.parseHex("0001020304050607"), HEX.parseHex("101112131415161718191a1b1c1d1e1f"),
        500L << 30, FIXED_EXPIRY);
  }

  private static final String FIXED_CODE = "ssi1-AFVZI-BLBNR-UWGZI-CCFQW-Y2LDM-UXGK6-DBNVY-GYZJO-NZSXI-CFOAD-AAAAQ-HBCXI"
      + "-BVEII-VX3MI-ZIV27-MO2P5-XAR4W-7Y3XV-Q7B2Y-EE3PN-XKC6X-F3VUN-AAAEB-AGBAF-AYDRA-EISCM-KBKFQ-XDAMR-UGY4D"
      + "-UPB7A-EAQCA-NAD3Q-3PMIB-YPJIT-YA";

  // ---------------------------------------------------------------------------------------------
  // Format

  @Test
  void golden_fixedInvitation_encodesToTheRecordedCode() {
    assertEquals(FIXED_CODE, fixed().toCode());
    assertEquals(fixed(), Invitation.parse(FIXED_CODE));
  }

  @Test
  void roundTrip_randomInvitations() {
    Random random = new Random(20250101L);
    int tooLong = 0;
    for (int i = 0; i < 2000; i++) {
      Invitation invitation;
      try {
        invitation = randomInvitation(random);
      } catch (IllegalArgumentException e) {
        assertTrue(e.getMessage().contains("too long for an invitation code"), e.getMessage());
        tooLong++;
        continue;
      }
      String code = invitation.toCode();
      assertTrue(code.matches("ssi1-[A-Z2-7]{5}(-[A-Z2-7]{5})*(-[A-Z2-7]{1,4})?"), code);
      assertTrue(code.toLowerCase(Locale.ROOT).matches("[a-z0-9-]+"), code);
      Invitation back = Invitation.parse(code);
      assertEquals(invitation, back, code);
      assertEquals(invitation.hashCode(), back.hashCode());
      assertArrayEquals(invitation.secret(), back.secret());
      assertEquals(code, back.toCode());
    }
    assertTrue(tooLong < 1000, "most generated invitations fit: " + tooLong);
  }

  @Test
  void code_isShort() {
    // 107 payload bytes (56 of them key digest, id and secret): 172 base32 characters in 35 groups
    String code = fixed().toCode();
    assertEquals(5 + 172 + 34, code.length(), code);
  }

  @Test
  void expiry_isKeptToTheSecond() {
    Invitation invitation = Invitation.create("bob", List.of(PartnerAddress.parse("[2001:db8::7]:22")), FIXED_KEY,
        0, Instant.parse("2031-05-06T07:08:09.987654321Z"), new SecureRandom());
    assertEquals(Instant.parse("2031-05-06T07:08:09Z"), invitation.expires());
    assertEquals(invitation, Invitation.parse(invitation.toCode()));
  }

  // ---------------------------------------------------------------------------------------------
  // Tolerance

  @Test
  void parse_toleratesCaseWhitespaceAndDashes() {
    String code = fixed().toCode();
    String payload = code.substring(Invitation.PREFIX.length()).replace("-", "");
    List<String> variants = List.of(
        code.toLowerCase(Locale.ROOT),
        "  \t" + code + " \n",
        "\n" + wrap(code, 20, "\r\n") + "\n",
        wrap(code, 17, "\n    "),
        "ssi1-" + payload,
        "ssi1" + payload,
        "SSI1-" + payload.toLowerCase(Locale.ROOT),
        code.replace("-", "--"),
        code + "-",
        code.replace("-", " "),
        "ssi1-" + String.join("-", payload.split("(?<=\\G.{4})")),
        code.replace('-', '\u00a0').replaceFirst("\u00a0", "-"));
    for (String variant : variants) {
      assertEquals(fixed(), Invitation.parse(variant), variant);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Errors

  @Test
  void everySingleCharacterSubstitution_isCaught() {
    String code = fixed().toCode();
    String substitutes = BASE32 + "0189!=_.";
    int tried = 0;
    for (int position = Invitation.PREFIX.length(); position < code.length(); position++) {
      char original = code.charAt(position);
      if (original == '-') {
        continue;
      }
      for (char c : substitutes.toCharArray()) {
        if (c == original) {
          continue;
        }
        String changed = code.substring(0, position) + c + code.substring(position + 1);
        InvitationCodeException e = assertThrows(InvitationCodeException.class, () -> Invitation.parse(changed),
            () -> "accepted " + changed);
        assertTrue(e.reason() == Reason.GARBLED || e.reason() == Reason.NOT_AN_INVITATION,
            changed + ": " + e.reason() + " " + e.getMessage());
        tried++;
      }
    }
    assertEquals(172 * (substitutes.length() - 1), tried);
  }

  @Test
  void everyTruncation_isReportedAsTruncated_withTheMissingCount() {
    String code = fixed().toCode();
    int payloadChars = code.substring(Invitation.PREFIX.length()).replace("-", "").length();
    for (int drop = 1; drop <= payloadChars; drop++) {
      String cut = dropLast(code, drop);
      InvitationCodeException e = assertThrows(InvitationCodeException.class, () -> Invitation.parse(cut),
          () -> "accepted " + cut);
      assertTrue(e.reason() == Reason.TRUNCATED || e.reason() == Reason.GARBLED, cut + ": " + e.getMessage());
      assertEquals(Reason.TRUNCATED, e.reason(), cut + ": " + e.getMessage());
      assertEquals("INVITATION_TRUNCATED", e.code());
      if (payloadChars - drop >= 5) { // the header (3 bytes) survives: the cut is inside the fields
        String expected = "the code is incomplete: " + drop + (drop == 1 ? " character seems" : " characters seem")
            + " to be missing; copy the whole code";
        assertEquals(expected, e.getMessage(), cut);
      }
    }
  }

  @Test
  void extraCharacters_areGarbled() {
    String code = fixed().toCode();
    for (String extra : List.of("A", "-AAAAA", "Q", "-" + code.substring(5, 10))) {
      InvitationCodeException e =
          assertThrows(InvitationCodeException.class, () -> Invitation.parse(code + extra));
      assertEquals(Reason.GARBLED, e.reason(), extra);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "hello", "ssi", "ss1-AEAAA", "ssj1-AEAAA", "ssi-1AEAAA", "AEBAGBAF",
      "selfstorage join", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", "SHA256:AAAA", "ssi1-AEBA0", "ssi1-AEBA8",
      "ssi1-AEBA=", "ssi1-AE.BA", "ssi1-AEBA/"})
  void wrongPrefixOrAlphabet_isNotAnInvitation(String text) {
    InvitationCodeException e = assertThrows(InvitationCodeException.class, () -> Invitation.parse(text));
    assertEquals(Reason.NOT_AN_INVITATION, e.reason(), e.getMessage());
    assertEquals("INVITATION_NOT_RECOGNISED", e.code());
    assertTrue(e.getMessage().startsWith("this is not a selfstorage invitation code"), e.getMessage());
  }

  @Test
  void null_isNotAnInvitation() {
    assertEquals(Reason.NOT_AN_INVITATION,
        assertThrows(InvitationCodeException.class, () -> Invitation.parse(null)).reason());
  }

  @Test
  void nonAlphabetCharacter_isNamedInTheMessage() {
    String code = fixed().toCode();
    String changed = code.substring(0, 7) + "0" + code.substring(8);
    InvitationCodeException e = assertThrows(InvitationCodeException.class, () -> Invitation.parse(changed));
    assertTrue(e.getMessage().contains("'0' (character 3 after ssi1-)"), e.getMessage());
  }

  @Test
  void versionTwoWithValidChecksum_isUnsupported() {
    byte[] payload = payloadOf(fixed().toCode());
    payload[0] = 2;
    assertUnsupported(codeOf(withChecksum(Arrays.copyOf(payload, payload.length - 4))));
    // a future format need not share our header
    assertUnsupported(codeOf(withChecksum(new byte[] {2, 9, 9, 9, 9})));
    assertUnsupported(codeOf(withChecksum(new byte[] {(byte) 0xff})));
  }

  @Test
  void newerPrefix_isUnsupported() {
    String code = fixed().toCode();
    assertUnsupported("ssi2-" + code.substring(5));
  }

  @Test
  void versionByteChangedWithoutChecksum_isGarbled() {
    byte[] payload = payloadOf(fixed().toCode());
    payload[0] = 2;
    assertEquals(Reason.GARBLED,
        assertThrows(InvitationCodeException.class, () -> Invitation.parse(codeOf(payload))).reason());
  }

  @Test
  void validChecksumOverInvalidContent_isGarbled() {
    byte[] payload = payloadOf(fixed().toCode());
    byte[] body = Arrays.copyOf(payload, payload.length - 4);
    body[3] = 0; // name length 0
    InvitationCodeException e =
        assertThrows(InvitationCodeException.class, () -> Invitation.parse(codeOf(withChecksum(body))));
    assertEquals(Reason.GARBLED, e.reason());
    assertTrue(e.getMessage().contains("content is invalid"), e.getMessage());

    // the checksum catches accidents, not forgery: a changed code with a recomputed checksum is read;
    // the host-key pin and the proofs are what stop a forged one
    byte[] upper = Arrays.copyOf(payload, payload.length - 4);
    upper[4] = 'A';
    assertEquals(withName(fixed(), "Alice"), Invitation.parse(codeOf(withChecksum(upper))));
  }

  @Test
  void expired_namesTheInviterAndTheCommand() {
    Invitation invitation = fixed();
    invitation.checkNotExpired(FIXED_EXPIRY.minusSeconds(1));
    InvitationCodeException e = assertThrows(InvitationCodeException.class,
        () -> invitation.checkNotExpired(FIXED_EXPIRY));
    assertEquals(Reason.EXPIRED, e.reason());
    assertEquals("INVITATION_EXPIRED", e.code());
    assertEquals("the invitation expired at 2030-01-01T00:00:00Z; ask alice for a new one: selfstorage invite",
        e.getMessage());
    assertThrows(InvitationCodeException.class, () -> invitation.checkNotExpired(FIXED_EXPIRY.plusSeconds(3600)));
  }

  @Test
  void everyReason_hasItsOwnCode() {
    assertEquals(5, Arrays.stream(Reason.values()).map(Reason::code).distinct().count());
    for (Reason reason : Reason.values()) {
      InvitationCodeException e = new InvitationCodeException(reason, "m");
      assertEquals(reason.code(), e.code());
      assertTrue(e instanceof FederationException);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Proofs

  @Test
  void proofs_differByRoleIdKeysAndSecret() {
    Invitation invitation = fixed();
    byte[] alice = filled(32, 1);
    byte[] bob = filled(32, 2);
    byte[] join = invitation.joinProof(alice, bob);
    byte[] accept = invitation.acceptProof(alice, bob);
    assertEquals(32, join.length);
    assertArrayEquals(join, invitation.joinProof(alice, bob));
    assertArrayEquals(join, Invitation.parse(invitation.toCode()).joinProof(alice, bob));
    assertTrue(Invitation.proofMatches(join, invitation.joinProof(alice.clone(), bob.clone())));

    List<byte[]> others = List.of(
        accept,
        invitation.joinProof(bob, alice),
        invitation.joinProof(alice, filled(32, 3)),
        invitation.joinProof(filled(32, 3), bob),
        invitation.joinProof(alice, Arrays.copyOf(bob, 31)),
        withId(invitation, "0001020304050608").joinProof(alice, bob),
        withSecret(invitation, "101112131415161718191a1b1c1d1e10").joinProof(alice, bob));
    for (byte[] other : others) {
      assertFalse(Invitation.proofMatches(join, other));
    }
    assertFalse(Invitation.proofMatches(accept, withSecret(invitation, "00".repeat(16)).acceptProof(alice, bob)));
    assertFalse(Invitation.proofMatches(join, Arrays.copyOf(join, 31)));
    assertFalse(Invitation.proofMatches(join, null));
    assertFalse(Invitation.proofMatches(null, join));
    assertFalse(Invitation.proofMatches(new byte[0], new byte[0]));
  }

  @Test
  void proof_isTheDocumentedHmac() throws Exception {
    Invitation invitation = fixed();
    byte[] alice = filled(32, 1);
    byte[] bob = filled(32, 2);
    java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream();
    for (byte[] field : List.of("selfstorage pairing v1".getBytes(StandardCharsets.US_ASCII),
        "accept".getBytes(StandardCharsets.US_ASCII), invitation.id(), alice, bob)) {
      m.write(java.nio.ByteBuffer.allocate(4).putInt(field.length).array());
      m.write(field);
    }
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(invitation.secret(), "HmacSHA256"));
    assertArrayEquals(mac.doFinal(m.toByteArray()), invitation.acceptProof(alice, bob));
  }

  // ---------------------------------------------------------------------------------------------
  // Value semantics

  @Test
  void toString_showsEverythingButTheSecret() {
    Invitation invitation = fixed();
    String text = invitation.toString();
    byte[] secret = invitation.secret();
    for (String form : List.of(HEX.formatHex(secret), HEX.formatHex(secret).toUpperCase(Locale.ROOT),
        Base64.getEncoder().encodeToString(secret), Base64.getEncoder().withoutPadding().encodeToString(secret),
        Base64.getUrlEncoder().withoutPadding().encodeToString(secret), Base32.toBase32String(secret).replace("=", ""),
        HEX.formatHex(secret, 0, 4), Arrays.toString(secret))) {
      assertFalse(text.contains(form), form + " in " + text);
    }
    for (String shown : List.of("alice", "alice.example.net:2222", "192.0.2.7:2222", FIXED_KEY.value(),
        "0001020304050607", String.valueOf(500L << 30), "2030-01-01T00:00:00Z")) {
      assertTrue(text.contains(shown), shown + " missing from " + text);
    }
    assertEquals("0001020304050607", invitation.idHex());
  }

  @Test
  void arrays_areCopiedInAndOut() {
    byte[] id = HEX.parseHex("0001020304050607");
    byte[] secret = filled(16, 9);
    Invitation invitation = new Invitation("a", List.of(PartnerAddress.parse("h:1")), FIXED_KEY, id, secret, 1,
        FIXED_EXPIRY);
    id[0] = 99;
    secret[0] = 99;
    invitation.id()[1] = 99;
    invitation.secret()[1] = 99;
    assertArrayEquals(HEX.parseHex("0001020304050607"), invitation.id());
    assertArrayEquals(filled(16, 9), invitation.secret());
    List<PartnerAddress> addresses = new ArrayList<>(List.of(PartnerAddress.parse("h:1")));
    Invitation second = new Invitation("a", addresses, FIXED_KEY, id, secret, 1, FIXED_EXPIRY);
    addresses.add(PartnerAddress.parse("g:2"));
    assertEquals(1, second.addresses().size());
    assertThrows(UnsupportedOperationException.class, () -> second.addresses().add(PartnerAddress.parse("g:2")));
  }

  @Test
  void equals_comparesContent() {
    assertEquals(fixed(), fixed());
    assertEquals(fixed().hashCode(), fixed().hashCode());
    assertNotEquals(fixed(), withSecret(fixed(), "00".repeat(16)));
    assertNotEquals(fixed(), withId(fixed(), "00".repeat(8)));
    assertNotEquals(fixed(), withName(fixed(), "bob"));
  }

  @Test
  void create_drawsIdAndSecretFromTheRandom() {
    SecureRandom random = new SecureRandom();
    Invitation a = Invitation.create("alice", List.of(PartnerAddress.parse("h:1")), FIXED_KEY, 5, FIXED_EXPIRY, random);
    Invitation b = Invitation.create("alice", List.of(PartnerAddress.parse("h:1")), FIXED_KEY, 5, FIXED_EXPIRY, random);
    assertEquals(8, a.id().length);
    assertEquals(16, a.secret().length);
    assertFalse(Arrays.equals(a.id(), b.id()));
    assertFalse(Arrays.equals(a.secret(), b.secret()));
  }

  @Test
  void constructor_validates() {
    List<PartnerAddress> one = List.of(PartnerAddress.parse("h:1"));
    byte[] id = new byte[8];
    byte[] secret = new byte[16];
    for (String name : List.of("", "-a", ".a", "_a", "a b", "a/b", "ä", "a".repeat(65), "a\n")) {
      assertThrows(IllegalArgumentException.class,
          () -> new Invitation(name, one, FIXED_KEY, id, secret, 0, FIXED_EXPIRY), name);
    }
    for (String name : List.of("a", "A", "0", "a.b_c-d", "a".repeat(64))) {
      new Invitation(name, one, FIXED_KEY, id, secret, 0, FIXED_EXPIRY);
    }
    PartnerAddress h = PartnerAddress.parse("h:1");
    assertThrows(IllegalArgumentException.class,
        () -> new Invitation("a", List.of(), FIXED_KEY, id, secret, 0, FIXED_EXPIRY));
    assertThrows(IllegalArgumentException.class,
        () -> new Invitation("a", List.of(h, h, h, h, h), FIXED_KEY, id, secret, 0, FIXED_EXPIRY));
    new Invitation("a", List.of(h, h, h, h), FIXED_KEY, id, secret, 0, FIXED_EXPIRY);
    assertThrows(IllegalArgumentException.class,
        () -> new Invitation("a", one, FIXED_KEY, new byte[7], secret, 0, FIXED_EXPIRY));
    assertThrows(IllegalArgumentException.class,
        () -> new Invitation("a", one, FIXED_KEY, id, new byte[32], 0, FIXED_EXPIRY));
    assertThrows(IllegalArgumentException.class,
        () -> new Invitation("a", one, FIXED_KEY, id, secret, -1, FIXED_EXPIRY));
    assertThrows(IllegalArgumentException.class,
        () -> new Invitation("a", one, FIXED_KEY, id, secret, 0, Instant.ofEpochSecond(-1)));
    assertThrows(IllegalArgumentException.class,
        () -> new Invitation("a", one, FIXED_KEY, id, secret, 0, Instant.ofEpochSecond(1L << 32)));
    assertThrows(NullPointerException.class, () -> new Invitation("a", one, null, id, secret, 0, FIXED_EXPIRY));
    PartnerAddress longHost = new PartnerAddress("a".repeat(60) + "." + "b".repeat(60), 1);
    assertThrows(IllegalArgumentException.class,
        () -> new Invitation("a", List.of(longHost, longHost), FIXED_KEY, id, secret, 0, FIXED_EXPIRY));
  }

  @Test
  void extremeValues_roundTrip() {
    PartnerAddress[] addresses = {PartnerAddress.parse("0.0.0.0:1"), PartnerAddress.parse("255.255.255.255:65535"),
        PartnerAddress.parse("[::1]:2"), PartnerAddress.parse("01.2.3.4:5")};
    for (long quota : new long[] {0, 1, 127, 128, 16383, 16384, Long.MAX_VALUE, Long.MAX_VALUE >>> 7}) {
      for (Instant expiry : List.of(Instant.EPOCH, Instant.ofEpochSecond(0xFFFF_FFFFL))) {
        Invitation invitation = new Invitation("a".repeat(64), List.of(addresses), FIXED_KEY, filled(8, 0xff),
            filled(16, 0), quota, expiry);
        assertEquals(invitation, Invitation.parse(invitation.toCode()));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static void assertUnsupported(String code) {
    InvitationCodeException e = assertThrows(InvitationCodeException.class, () -> Invitation.parse(code));
    assertEquals(Reason.UNSUPPORTED_VERSION, e.reason(), e.getMessage());
    assertEquals("INVITATION_UNSUPPORTED_VERSION", e.code());
    assertTrue(e.getMessage().contains("newer selfstorage") && e.getMessage().contains("upgrade"), e.getMessage());
  }

  private static Invitation randomInvitation(Random random) {
    String first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    String rest = first + "._-";
    StringBuilder name = new StringBuilder().append(first.charAt(random.nextInt(first.length())));
    int nameLength = 1 + random.nextInt(random.nextBoolean() ? 8 : 64);
    while (name.length() < nameLength) {
      name.append(rest.charAt(random.nextInt(rest.length())));
    }
    List<PartnerAddress> addresses = new ArrayList<>();
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      int port = 1 + random.nextInt(65535);
      String host = switch (random.nextInt(4)) {
        case 0 -> random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
            + random.nextInt(256);
        case 1 -> "[" + List.of("::1", "2001:db8::7", "fe80::1:2:3:4", "2001:db8:0:0:1:0:0:1").get(random.nextInt(4))
            + "]";
        default -> randomLabel(random) + (random.nextBoolean() ? "." + randomLabel(random) : "");
      };
      addresses.add(PartnerAddress.parse(host + ":" + port));
    }
    byte[] key = new byte[32];
    random.nextBytes(key);
    long quota = switch (random.nextInt(4)) {
      case 0 -> random.nextInt(1000);
      case 1 -> (long) random.nextInt(4096) << 30;
      case 2 -> random.nextLong() & Long.MAX_VALUE;
      default -> Long.MAX_VALUE;
    };
    Instant expiry = Instant.ofEpochSecond(random.nextLong() & 0xFFFF_FFFFL, random.nextInt(1_000_000_000));
    SecureRandom ids = new SecureRandom();
    return Invitation.create(name.toString(), addresses, HostKeyFingerprint.ofPublicKey(key), quota, expiry, ids);
  }

  private static String randomLabel(Random random) {
    String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
    int length = 1 + random.nextInt(20);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(chars.charAt(random.nextInt(chars.length())));
    }
    return b.toString();
  }

  private static Invitation withName(Invitation i, String name) {
    return new Invitation(name, i.addresses(), i.hostKey(), i.id(), i.secret(), i.quotaBytes(), i.expires());
  }

  private static Invitation withId(Invitation i, String idHex) {
    return new Invitation(i.inviterName(), i.addresses(), i.hostKey(), HEX.parseHex(idHex), i.secret(),
        i.quotaBytes(), i.expires());
  }

  private static Invitation withSecret(Invitation i, String secretHex) {
    return new Invitation(i.inviterName(), i.addresses(), i.hostKey(), i.id(), HEX.parseHex(secretHex),
        i.quotaBytes(), i.expires());
  }

  private static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private static String wrap(String text, int width, String separator) {
    return String.join(separator, text.split("(?<=\\G.{" + width + "})"));
  }

  private static String dropLast(String code, int characters) {
    StringBuilder b = new StringBuilder(code);
    int dropped = 0;
    while (dropped < characters) {
      char c = b.charAt(b.length() - 1);
      b.setLength(b.length() - 1);
      if (c != '-') {
        dropped++;
      }
    }
    return b.toString();
  }

  /** The binary payload of a code, decoded independently of {@link Invitation}. */
  private static byte[] payloadOf(String code) {
    StringBuilder base32 = new StringBuilder(code.substring(Invitation.PREFIX.length()).replace("-", ""));
    while (base32.length() % 8 != 0) {
      base32.append('=');
    }
    return Base32.decode(base32.toString());
  }

  private static String codeOf(byte[] payload) {
    String base32 = Base32.toBase32String(payload).replace("=", "");
    return Invitation.PREFIX + String.join("-", base32.split("(?<=\\G.{5})"));
  }

  private static byte[] withChecksum(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      byte[] payload = Arrays.copyOf(body, body.length + 4);
      System.arraycopy(digest, 0, payload, body.length, 4);
      return payload;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }


  @Test
  void proofsByFingerprint_matchOnBothSides_andDependOnTheJoiner() {
    Invitation invitation = Invitation.create("alice", List.of(PartnerAddress.parse("127.0.0.1:7722")),
        HostKeyFingerprint.ofPublicKey(filled(32, 1)), 1000, java.time.Instant.ofEpochSecond(2_000_000_000L),
        new java.security.SecureRandom());
    Invitation parsed = Invitation.parse(invitation.toCode());
    byte[] bob = filled(32, 2);
    assertArrayEquals(invitation.joinProof(bob), parsed.joinProof(bob));
    assertFalse(Arrays.equals(invitation.joinProof(bob), invitation.acceptProof(bob)));
    assertFalse(Arrays.equals(invitation.joinProof(bob), invitation.joinProof(filled(32, 3))));
  }
}
