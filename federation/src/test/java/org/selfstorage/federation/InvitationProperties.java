package org.selfstorage.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Invitation codes are typed, pasted and mangled by people: whatever arrives, {@link
 * Invitation#parse} either refuses it with an {@link InvitationCodeException} or reads exactly the
 * invitation that was issued (the tolerated changes are case, whitespace and dashes). It never
 * throws anything else and never reads an invitation with different content.
 */
class InvitationProperties {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcz-01 \n\u0430\uff11\u200d";

  @Provide
  Arbitrary<Invitation> invitations() {
    Arbitrary<String> names = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1)
        .ofMaxLength(20);
    Arbitrary<byte[]> ids = Arbitraries.bytes().array(byte[].class).ofSize(Invitation.ID_BYTES);
    Arbitrary<byte[]> secrets = Arbitraries.bytes().array(byte[].class).ofSize(Invitation.SECRET_BYTES);
    Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofSize(32);
    Arbitrary<Integer> ports = Arbitraries.integers().between(1, 65535);
    Arbitrary<Long> quotas = Arbitraries.longs().between(1, 1L << 50);
    return Combinators.combine(names, ids, secrets, keys, ports, quotas).as((n, id, secret, key, port, quota) ->
        new Invitation(n, List.of(PartnerAddress.parse("127.0.0.9:" + port)), HostKeyFingerprint.ofPublicKey(key), id,
            secret, quota, Instant.parse("2031-02-03T04:05:06Z")));
  }

  @Property(tries = 200)
  void anyOneCharacterChanged_isRefusedOrReadsTheSameInvitation(@ForAll("invitations") Invitation invitation,
      @ForAll @IntRange(min = 0, max = 1000) int where, @ForAll @IntRange(min = 0, max = 4) int how,
      @ForAll @StringLength(min = 1, max = 1) String with) {
    String code = invitation.toCode();
    int at = where % code.length();
    String c = with.isEmpty() ? "A" : with;
    String mutated = switch (how) {
      case 0 -> code.substring(0, at) + c + code.substring(at + 1); // replace
      case 1 -> code.substring(0, at) + code.substring(at + 1); // delete
      case 2 -> code.substring(0, at) + c + code.substring(at); // insert
      case 3 -> at + 1 < code.length() // transpose neighbours
          ? code.substring(0, at) + code.charAt(at + 1) + code.charAt(at) + code.substring(at + 2) : code;
      default -> code.substring(0, at); // truncate
    };
    assertRefusedOrSame(code, mutated);
  }

  @Provide
  Arbitrary<String> alphabetChars() {
    return Arbitraries.of(ALPHABET.chars().mapToObj(ch -> String.valueOf((char) ch)).toList());
  }

  @Property(tries = 200)
  void severalCharactersChanged_isRefusedOrReadsTheSameInvitation(@ForAll("invitations") Invitation invitation,
      @ForAll("alphabetChars") String a, @ForAll("alphabetChars") String b,
      @ForAll @IntRange(min = 0, max = 1000) int i, @ForAll @IntRange(min = 0, max = 1000) int j) {
    StringBuilder s = new StringBuilder(invitation.toCode());
    s.replace(i % s.length(), i % s.length() + 1, a);
    s.replace(j % s.length(), j % s.length() + 1, b);
    assertRefusedOrSame(invitation.toCode(), s.toString());
  }

  @Property(tries = 300)
  void arbitraryText_isRefusedWithAnInvitationCodeException(@ForAll @StringLength(max = 5000) String text,
      @ForAll boolean withPrefix) {
    String code = withPrefix ? Invitation.PREFIX + text : text;
    try {
      Invitation.parse(code);
      // accepting random text would need a matching 4-byte checksum over a well-formed payload
      fail("random text read as an invitation: " + code);
    } catch (InvitationCodeException expected) {
      // the one allowed refusal
    } catch (RuntimeException e) {
      fail("an invitation code must be refused with InvitationCodeException, not " + e, e);
    }
  }

  private static void assertRefusedOrSame(String original, String mutated) {
    Invitation read;
    try {
      read = Invitation.parse(mutated);
    } catch (InvitationCodeException refused) {
      return;
    } catch (RuntimeException e) {
      fail("'" + mutated + "' must be refused with InvitationCodeException, not " + e, e);
      return;
    }
    assertEquals(original, read.toCode(), () -> "'" + mutated + "' was read as a different invitation");
  }
}
