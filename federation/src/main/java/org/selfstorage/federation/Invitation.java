package org.selfstorage.federation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.selfstorage.federation.InvitationCodeException.Reason;

/**
 * What {@code selfstorage invite} hands to a future partner: who invites, where its agent listens, the
 * fingerprint of its host key (the pin: the joiner trusts no other key), a random id and a one-time
 * secret, the offered quota and the expiry. {@link #toCode()} turns it into a text a person can paste
 * or read over the phone ({@code ssi1-AFVZI-BLBNR-...}), {@link #parse(String)} reads it back; the format is
 * in docs/federation.md, "Invitation codes".
 *
 * <p>The secret never appears in {@link #toString()}. Both sides prove they know it, bound to both
 * public keys, with {@link #joinProof} and {@link #acceptProof}; the inviter keeps the secret (not a
 * hash of it) to check the joiner's proof and to compute its own.
 *
 * <p>The expiry is kept to the second (rounded down), between 1970 and 2106.
 */
public record Invitation(
    String inviterName,
    List<PartnerAddress> addresses,
    HostKeyFingerprint hostKey,
    byte[] id,
    byte[] secret,
    long quotaBytes,
    Instant expires) {

  /** The text every code starts with. */
  public static final String PREFIX = "ssi1-";
  public static final int ID_BYTES = 8;
  public static final int SECRET_BYTES = 16;
  public static final int MAX_ADDRESSES = 4;
  public static final int MAX_NAME_LENGTH = 64;

  private static final byte VERSION = 1;
  /** The whole binary payload, checksum included, is at most this long (its length is one byte). */
  private static final int MAX_PAYLOAD = 255;
  private static final int HEADER = 3; // version, length, ~length
  private static final int CHECKSUM = 4;
  private static final int DIGEST = 32;
  private static final int GROUP = 5;
  private static final int MAX_INPUT = 4096;
  /** version, length, ~length, 1-letter name, count, 1-letter host and port, key, id, secret, quota, expiry, checksum. */
  private static final int MIN_PAYLOAD = HEADER + 2 + 1 + 4 + DIGEST + ID_BYTES + SECRET_BYTES + 1 + 4 + CHECKSUM;
  private static final long MAX_EPOCH_SECOND = 0xFFFF_FFFFL;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern PREFIX_PATTERN = Pattern.compile("SSI([0-9]{1,3})-?");
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final String BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final byte[] PROOF_DOMAIN = "selfstorage pairing v1".getBytes(StandardCharsets.US_ASCII);
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Checks every field and copies the arrays and the list.
   *
   * @throws IllegalArgumentException naming the field that is out of range
   * @throws NullPointerException if a field is null
   */
  public Invitation {
    Objects.requireNonNull(inviterName, "inviterName");
    Objects.requireNonNull(addresses, "addresses");
    Objects.requireNonNull(hostKey, "hostKey");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(expires, "expires");
    if (!NAME.matcher(inviterName).matches()) {
      throw new IllegalArgumentException("an inviter name is 1-64 characters, letters, digits, '.', '_' and '-',"
          + " starting with a letter or digit: " + inviterName);
    }
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException("an invitation carries 1-" + MAX_ADDRESSES + " addresses, not "
          + addresses.size());
    }
    if (id.length != ID_BYTES) {
      throw new IllegalArgumentException("an invitation id is " + ID_BYTES + " bytes, not " + id.length);
    }
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException("an invitation secret is " + SECRET_BYTES + " bytes, not " + secret.length);
    }
    if (quotaBytes < 0) {
      throw new IllegalArgumentException("negative quota: " + quotaBytes);
    }
    expires = expires.truncatedTo(ChronoUnit.SECONDS);
    if (expires.getEpochSecond() < 0 || expires.getEpochSecond() > MAX_EPOCH_SECOND) {
      throw new IllegalArgumentException("an invitation expires between 1970 and 2106, not " + expires);
    }
    id = id.clone();
    secret = secret.clone();
    int length = payloadLength(inviterName, addresses, quotaBytes);
    if (length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("the addresses are too long for an invitation code ("
          + (length - MAX_PAYLOAD) + " bytes over); use shorter host names or fewer addresses");
    }
  }

  /** A new invitation with a fresh random id and secret from {@code random}. */
  public static Invitation create(String inviterName, List<PartnerAddress> addresses, HostKeyFingerprint hostKey,
      long quotaBytes, Instant expires, SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] id = new byte[ID_BYTES];
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(id);
    random.nextBytes(secret);
    return new Invitation(inviterName, addresses, hostKey, id, secret, quotaBytes, expires);
  }

  /** A copy of the 8-byte random id. */
  @Override
  public byte[] id() {
    return id.clone();
  }

  /** A copy of the 16-byte one-time secret. Keep it out of logs. */
  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /** The id as 16 lowercase hex digits: how logs, the agreement record and the UI name an invitation. */
  public String idHex() {
    return HEX.formatHex(id);
  }

  // ---------------------------------------------------------------------------------------------
  // The code

  /**
   * The invitation as a code: {@code ssi1-} and the binary payload in unpadded upper-case base32, in
   * groups of five characters separated by {@code -}.
   */
  public String toCode() {
    String base32 = Base32.toBase32String(payload());
    int end = base32.indexOf('=');
    if (end >= 0) {
      base32 = base32.substring(0, end);
    }
    StringBuilder code = new StringBuilder(PREFIX.length() + base32.length() * 6 / 5 + 1).append(PREFIX);
    for (int i = 0; i < base32.length(); i += GROUP) {
      if (i > 0) {
        code.append('-');
      }
      code.append(base32, i, Math.min(base32.length(), i + GROUP));
    }
    return code.toString();
  }

  /**
   * Reads a code made by {@link #toCode()}. Tolerates lower case, whitespace anywhere (line breaks,
   * indentation, surrounding spaces) and missing or extra dashes; anything else must be exact. Does
   * not check the expiry: see {@link #checkNotExpired(Instant)}.
   *
   * @throws InvitationCodeException with reason {@code NOT_AN_INVITATION}, {@code TRUNCATED},
   *     {@code GARBLED} or {@code UNSUPPORTED_VERSION}, and a message for the person who typed it
   */
  public static Invitation parse(String code) {
    if (code == null) {
      throw notAnInvitation("there is no text");
    }
    if (code.length() > MAX_INPUT) {
      throw notAnInvitation("it is far too long");
    }
    StringBuilder compact = new StringBuilder(code.length());
    code.codePoints()
        .filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c))
        .forEach(compact::appendCodePoint);
    String text = compact.toString().toUpperCase(Locale.ROOT);
    Matcher prefix = PREFIX_PATTERN.matcher(text);
    if (!prefix.lookingAt()) {
      throw notAnInvitation("it does not start with " + PREFIX);
    }
    if (!prefix.group(1).equals("1")) {
      throw unsupportedVersion();
    }
    String base32 = text.substring(prefix.end()).replace("-", "");
    for (int i = 0; i < base32.length(); i++) {
      char c = base32.charAt(i);
      if (BASE32_ALPHABET.indexOf(c) < 0) {
        throw notAnInvitation("'" + c + "' (character " + (i + 1) + " after " + PREFIX
            + ") never appears in one; codes use only the letters A-Z and the digits 2-7");
      }
    }
    int chars = base32.length();
    byte[] bytes = decodeBase32(base32);
    if (bytes.length == 0) {
      throw new InvitationCodeException(Reason.TRUNCATED,
          "the code is incomplete: nothing follows " + PREFIX + "; copy the whole code");
    }
    if (bytes[0] == VERSION) {
      if (bytes.length < HEADER) {
        throw new InvitationCodeException(Reason.TRUNCATED,
            "the code is incomplete: most of it seems to be missing; copy the whole code");
      }
      int declared = bytes[1] & 0xff;
      if ((bytes[2] & 0xff) != (~declared & 0xff) || declared < MIN_PAYLOAD) {
        throw garbled("the start of the code is not what selfstorage writes");
      }
      int expectedChars = base32Length(declared);
      if (chars < expectedChars) {
        int missing = expectedChars - chars;
        throw new InvitationCodeException(Reason.TRUNCATED, "the code is incomplete: " + missing
            + (missing == 1 ? " character seems" : " characters seem") + " to be missing; copy the whole code");
      }
      if (chars > expectedChars) {
        throw garbled("it is " + (chars - expectedChars) + " characters longer than its start declares");
      }
    }
    if (!canonicalBase32(bytes).equals(base32)) {
      throw garbled("its last character is not one selfstorage would write");
    }
    if (bytes.length < CHECKSUM + 1 || !checksumMatches(bytes)) {
      throw garbled("its checksum does not match");
    }
    if (bytes[0] != VERSION) {
      throw unsupportedVersion();
    }
    try {
      return decodeFields(bytes);
    } catch (IllegalArgumentException e) {
      throw garbled("its checksum matches but its content is invalid (" + e.getMessage()
          + "), so it was not made by selfstorage");
    }
  }

  /**
   * @throws InvitationCodeException with reason {@code EXPIRED} if {@code now} is at or after
   *     {@link #expires()}
   */
  public void checkNotExpired(Instant now) {
    Objects.requireNonNull(now, "now");
    if (!now.isBefore(expires)) {
      throw new InvitationCodeException(Reason.EXPIRED, "the invitation expired at " + expires + "; ask "
          + inviterName + " for a new one: selfstorage invite");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Proofs

  /**
   * What the joiner sends to show it holds the secret: HMAC-SHA256 keyed by the secret over the domain
   * {@code "selfstorage pairing v1"}, the role {@code "join"}, the id and both public keys, each
   * length-prefixed. Bound to both keys, so it cannot be replayed to another inviter or for another
   * joiner.
   */
  public byte[] joinProof(byte[] inviterPublicKey, byte[] joinerPublicKey) {
    return proof("join", inviterPublicKey, joinerPublicKey);
  }

  /** What the inviter sends back to show it holds the same secret: as {@link #joinProof}, role {@code "accept"}. */
  public byte[] acceptProof(byte[] inviterPublicKey, byte[] joinerPublicKey) {
    return proof("accept", inviterPublicKey, joinerPublicKey);
  }

  /**
   * {@link #joinProof(byte[], byte[])} with the inviter's key given by the digest in {@link #hostKey()}:
   * the joiner can compute it before it has connected, and the inviter, whose fingerprint the code
   * carries, gets the same bytes. The digest names exactly one key, so the binding is the same.
   */
  public byte[] joinProof(byte[] joinerPublicKey) {
    return joinProof(digestOf(hostKey), joinerPublicKey);
  }

  /** {@link #acceptProof(byte[], byte[])} with the inviter's key given by its fingerprint, as {@link #joinProof(byte[])}. */
  public byte[] acceptProof(byte[] joinerPublicKey) {
    return acceptProof(digestOf(hostKey), joinerPublicKey);
  }

  /** Compares a received proof with the expected one in time independent of where they differ. */
  public static boolean proofMatches(byte[] expected, byte[] given) {
    if (expected == null || given == null || expected.length == 0) {
      return false;
    }
    return MessageDigest.isEqual(expected, given);
  }

  private byte[] proof(String role, byte[] inviterPublicKey, byte[] joinerPublicKey) {
    Objects.requireNonNull(inviterPublicKey, "inviterPublicKey");
    Objects.requireNonNull(joinerPublicKey, "joinerPublicKey");
    ByteArrayOutputStream message = new ByteArrayOutputStream(128);
    lengthPrefixed(message, PROOF_DOMAIN);
    lengthPrefixed(message, role.getBytes(StandardCharsets.US_ASCII));
    lengthPrefixed(message, id);
    lengthPrefixed(message, inviterPublicKey);
    lengthPrefixed(message, joinerPublicKey);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(message.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static void lengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
    int n = bytes.length;
    out.write(n >>> 24);
    out.write(n >>> 16);
    out.write(n >>> 8);
    out.write(n);
    out.writeBytes(bytes);
  }

  // ---------------------------------------------------------------------------------------------
  // Value semantics

  @Override
  public boolean equals(Object o) {
    return o instanceof Invitation other
        && inviterName.equals(other.inviterName)
        && addresses.equals(other.addresses)
        && hostKey.equals(other.hostKey)
        && Arrays.equals(id, other.id)
        && MessageDigest.isEqual(secret, other.secret)
        && quotaBytes == other.quotaBytes
        && expires.equals(other.expires);
  }

  /** Leaves the secret out: equal invitations still have equal hashes. */
  @Override
  public int hashCode() {
    return Objects.hash(inviterName, addresses, hostKey, Arrays.hashCode(id), quotaBytes, expires);
  }

  /** Everything but the secret. */
  @Override
  public String toString() {
    return "Invitation[inviterName=" + inviterName + ", addresses=" + addresses + ", hostKey=" + hostKey
        + ", id=" + idHex() + ", quotaBytes=" + quotaBytes + ", expires=" + expires + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Binary payload, version 1:
  //   version 1 | length L | ~L | name length, name (UTF-8) | address count |
  //   per address: 0 and 4 IPv4 bytes, or host length 1-253 and the host; port (2 bytes) |
  //   host-key digest (32) | id (8) | secret (16) | quota (unsigned LEB128) | expiry (4, epoch seconds) |
  //   checksum (first 4 bytes of SHA-256 over everything before it)
  // All integers big-endian. L counts the whole payload, checksum included.

  private byte[] payload() {
    int length = payloadLength(inviterName, addresses, quotaBytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream(length);
    out.write(VERSION);
    out.write(length);
    out.write(~length & 0xff);
    byte[] name = inviterName.getBytes(StandardCharsets.UTF_8);
    out.write(name.length);
    out.writeBytes(name);
    out.write(addresses.size());
    for (PartnerAddress address : addresses) {
      String host = address.host();
      if (IPV4.matcher(host).matches()) {
        out.write(0);
        for (String part : host.split("\\.")) {
          out.write(Integer.parseInt(part));
        }
      } else {
        byte[] h = host.getBytes(StandardCharsets.US_ASCII);
        out.write(h.length);
        out.writeBytes(h);
      }
      out.write(address.port() >>> 8);
      out.write(address.port());
    }
    out.writeBytes(digestOf(hostKey));
    out.writeBytes(id);
    out.writeBytes(secret);
    long q = quotaBytes;
    while ((q & ~0x7FL) != 0) {
      out.write((int) (q & 0x7F) | 0x80);
      q >>>= 7;
    }
    out.write((int) q);
    long e = expires.getEpochSecond();
    out.write((int) (e >>> 24));
    out.write((int) (e >>> 16));
    out.write((int) (e >>> 8));
    out.write((int) e);
    byte[] body = out.toByteArray();
    out.write(sha256(body), 0, CHECKSUM);
    byte[] payload = out.toByteArray();
    if (payload.length != length) {
      throw new IllegalStateException("payload is " + payload.length + " bytes, computed " + length);
    }
    return payload;
  }

  private static int payloadLength(String name, List<PartnerAddress> addresses, long quota) {
    int n = HEADER + 1 + name.getBytes(StandardCharsets.UTF_8).length + 1;
    for (PartnerAddress address : addresses) {
      String host = address.host();
      n += 1 + (IPV4.matcher(host).matches() ? 4 : host.length()) + 2;
    }
    n += DIGEST + ID_BYTES + SECRET_BYTES;
    n += Math.max(1, (64 - Long.numberOfLeadingZeros(quota) + 6) / 7);
    return n + 4 + CHECKSUM;
  }

  private static Invitation decodeFields(byte[] payload) {
    Reader in = new Reader(payload, HEADER, payload.length - CHECKSUM);
    int nameLength = in.u8();
    if (nameLength < 1 || nameLength > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("name length " + nameLength);
    }
    String name = in.ascii(nameLength);
    int count = in.u8();
    if (count < 1 || count > MAX_ADDRESSES) {
      throw new IllegalArgumentException("address count " + count);
    }
    List<PartnerAddress> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int kind = in.u8();
      String host;
      if (kind == 0) {
        host = in.u8() + "." + in.u8() + "." + in.u8() + "." + in.u8();
      } else if (kind <= 253) {
        host = in.ascii(kind);
        if (IPV4.matcher(host).matches()) {
          throw new IllegalArgumentException("IPv4 address written as text");
        }
      } else {
        throw new IllegalArgumentException("address kind " + kind);
      }
      int port = in.u8() << 8 | in.u8();
      PartnerAddress address = new PartnerAddress(host, port);
      if (!address.host().equals(host)) {
        throw new IllegalArgumentException("host name not in lower case");
      }
      addresses.add(address);
    }
    HostKeyFingerprint hostKey =
        new HostKeyFingerprint("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(in.bytes(DIGEST)));
    byte[] id = in.bytes(ID_BYTES);
    byte[] secret = in.bytes(SECRET_BYTES);
    long quota = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift > 56) {
        throw new IllegalArgumentException("quota longer than 9 bytes");
      }
      int b = in.u8();
      quota |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw new IllegalArgumentException("quota not minimally encoded");
        }
        break;
      }
    }
    long expiry = (long) in.u8() << 24 | in.u8() << 16 | in.u8() << 8 | in.u8();
    if (!in.atEnd()) {
      throw new IllegalArgumentException((in.end - in.position) + " bytes left over");
    }
    return new Invitation(name, addresses, hostKey, id, secret, quota, Instant.ofEpochSecond(expiry));
  }

  /** Reads fields up to {@code end}; running past it means the declared lengths do not fit. */
  private static final class Reader {
    private final byte[] bytes;
    private int position;
    private final int end;

    Reader(byte[] bytes, int position, int end) {
      this.bytes = bytes;
      this.position = position;
      this.end = end;
    }

    int u8() {
      need(1);
      return bytes[position++] & 0xff;
    }

    byte[] bytes(int n) {
      need(n);
      byte[] b = Arrays.copyOfRange(bytes, position, position + n);
      position += n;
      return b;
    }

    String ascii(int n) {
      byte[] b = bytes(n);
      for (byte x : b) {
        if (x < 0x21 || x > 0x7e) {
          throw new IllegalArgumentException("a character outside printable ASCII");
        }
      }
      return new String(b, StandardCharsets.US_ASCII);
    }

    boolean atEnd() {
      return position == end;
    }

    private void need(int n) {
      if (end - position < n) {
        throw new IllegalArgumentException("fields run past the end");
      }
    }
  }

  private static byte[] digestOf(HostKeyFingerprint fingerprint) {
    byte[] digest = Base64.getDecoder().decode(fingerprint.value().substring("SHA256:".length()));
    if (digest.length != DIGEST) {
      throw new IllegalStateException("a SHA256 fingerprint holds 32 bytes");
    }
    return digest;
  }

  private static boolean checksumMatches(byte[] payload) {
    int bodyLength = payload.length - CHECKSUM;
    byte[] expected = Arrays.copyOf(sha256(Arrays.copyOf(payload, bodyLength)), CHECKSUM);
    return MessageDigest.isEqual(expected, Arrays.copyOfRange(payload, bodyLength, payload.length));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Number of unpadded base32 characters for {@code bytes} bytes. */
  private static int base32Length(int bytes) {
    return (bytes * 8 + 4) / 5;
  }

  /**
   * The whole bytes {@code base32} (valid characters, any length, no padding) holds; bits of a final
   * partial byte are dropped.
   */
  private static byte[] decodeBase32(String base32) {
    int wholeBytes = base32.length() * 5 / 8;
    StringBuilder padded = new StringBuilder(base32);
    while (padded.length() % 8 != 0) {
      padded.append('A'); // zero bits, so the decoded prefix is exactly what the text holds
    }
    return Arrays.copyOf(Base32.decode(padded.toString()), wholeBytes);
  }

  private static String canonicalBase32(byte[] bytes) {
    String s = Base32.toBase32String(bytes);
    int end = s.indexOf('=');
    return end < 0 ? s : s.substring(0, end);
  }

  private static InvitationCodeException notAnInvitation(String why) {
    return new InvitationCodeException(Reason.NOT_AN_INVITATION,
        "this is not a selfstorage invitation code: " + why);
  }

  private static InvitationCodeException garbled(String why) {
    return new InvitationCodeException(Reason.GARBLED, "the code has a typo or was changed: " + why
        + "; compare it character by character with the original, or ask for a new one");
  }

  private static InvitationCodeException unsupportedVersion() {
    return new InvitationCodeException(Reason.UNSUPPORTED_VERSION,
        "this invitation code was made by a newer selfstorage; upgrade selfstorage to use it");
  }
}
