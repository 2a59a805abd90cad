package org.selfstorage.federation.ssh;

import java.util.List;
import java.util.function.Function;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.compression.Compression;
import org.apache.sshd.common.helpers.AbstractFactoryManager;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;

/**
 * The algorithm allow-list both ends use. Key exchange: hybrid post-quantum (where the installed
 * Bouncy Castle offers it) and curve25519, nothing with finite-field or NIST-curve groups; strict key
 * exchange ({@code kex-strict-*-v00@openssh.com}, against Terrapin) is added by MINA to every proposal.
 * Ciphers: AES-GCM first (hardware AES; ChaCha20 is slow on JDK 17), ChaCha20-Poly1305 last for
 * clients without AES-GCM. MACs only matter for the non-AEAD case, which the list excludes; SHA-2 ETM
 * only. Host keys and user keys: ssh-ed25519 only. No compression.
 */
final class SshAlgorithms {
  private SshAlgorithms() {}

  static final List<BuiltinDHFactories> KEX = List.of(
      BuiltinDHFactories.mlkem768x25519,
      BuiltinDHFactories.sntrup761x25519,
      BuiltinDHFactories.curve25519,
      BuiltinDHFactories.curve25519_libssh);

  static final List<BuiltinCiphers> CIPHERS = List.of(
      BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.cc20p1305_openssh);

  static List<KeyExchangeFactory> keyExchanges(Function<DHFactory, KeyExchangeFactory> dh2kex) {
    return NamedFactory.setUpTransformedFactories(false, KEX, dh2kex);
  }

  static List<NamedFactory<Cipher>> ciphers() {
    return List.copyOf(NamedFactory.setUpBuiltinFactories(false, CIPHERS));
  }

  static List<NamedFactory<Mac>> macs() {
    return List.copyOf(NamedFactory.setUpBuiltinFactories(false, List.of(BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm)));
  }

  static List<NamedFactory<Signature>> signatures() {
    return List.copyOf(NamedFactory.setUpBuiltinFactories(false, List.of(BuiltinSignatures.ed25519)));
  }

  static List<NamedFactory<Compression>> compressions() {
    return List.of(BuiltinCompressions.none);
  }

  static void apply(AbstractFactoryManager m, Function<DHFactory, KeyExchangeFactory> dh2kex) {
    m.setKeyExchangeFactories(keyExchanges(dh2kex));
    m.setCipherFactories(ciphers());
    m.setMacFactories(macs());
    m.setSignatureFactories(signatures());
    m.setCompressionFactories(compressions());
  }
}
