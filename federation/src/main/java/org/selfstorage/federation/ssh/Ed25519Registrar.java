package org.selfstorage.federation.ssh;

import java.security.KeyFactory;
import java.security.Provider;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.util.security.AbstractSecurityProviderRegistrar;
import org.apache.sshd.common.util.security.SunJCESecurityProviderRegistrar;
import org.apache.sshd.common.util.security.eddsa.bouncycastle.BouncyCastleEdDSASupport;
import org.apache.sshd.common.util.security.eddsa.generic.EdDSASupport;

/**
 * Gives MINA SSHD Bouncy Castle's Ed25519 keys and nothing else of Bouncy Castle. MINA's own Bouncy
 * Castle registrar instantiates the whole {@code BouncyCastleProvider} (about 900 classes, some 8
 * MB of a JVM's memory: the mesh owner's peak went from 301-318 to 296-306 MB without it) and
 * makes it MINA's first choice for every algorithm. Without it MINA takes everything else from the
 * JDK: AES-GCM, SHA-2, X25519 and the Ed25519 signature itself (SunEC, which accepts Bouncy
 * Castle's keys: they implement {@code EdECPrivateKey}); Bouncy Castle's own signature class is
 * not used because it, too, instantiates the whole provider. The post-quantum key exchanges use
 * Bouncy Castle's classes directly, without a provider, and stay. Ed25519RegistrarTest checks it in
 * a JVM of its own.
 */
public final class Ed25519Registrar extends AbstractSecurityProviderRegistrar {
  /** MINA's system property naming the registrars it uses, in order. */
  static final String REGISTRARS = "org.apache.sshd.security.registrars";

  private static final Provider PROVIDER = new Ed25519Keys();

  /** Made by MINA, by name, from {@link #REGISTRARS}. */
  public Ed25519Registrar() {
    super("selfstorage-ed25519");
  }

  /**
   * Makes MINA use the JDK and this registrar only. MINA reads the property once per JVM, when it
   * first needs an algorithm, so this is called before a client or server is set up; an explicit
   * choice of registrars (the property given on the command line) is left alone.
   */
  static void install() {
    if (System.getProperty(REGISTRARS) == null) {
      System.setProperty(REGISTRARS, SunJCESecurityProviderRegistrar.class.getName() + "," + Ed25519Registrar.class.getName());
    }
  }

  @Override
  public boolean isSupported() {
    return true;
  }

  @Override
  public boolean isNamedProviderUsed() {
    return false; // used as an instance, never registered with the JDK under its name
  }

  @Override
  public Provider getSecurityProvider() {
    return PROVIDER;
  }

  @Override
  public boolean isSecurityEntitySupported(Class<?> entityType, String name) {
    return KeyFactory.class.isAssignableFrom(entityType) && PROVIDER.getService("KeyFactory", name) != null;
  }

  @Override
  public Optional<EdDSASupport<?, ?>> getEdDSASupport() {
    return Optional.of(new BouncyCastleEdDSASupport());
  }

  /** Bouncy Castle's Ed25519 key factory, under the names MINA asks for. */
  private static final class Ed25519Keys extends Provider {
    private static final long serialVersionUID = 1L;
    private static final String SPI = "org.bouncycastle.jcajce.provider.asymmetric.edec.KeyFactorySpi$";

    Ed25519Keys() {
      super("selfstorage-ed25519", "1", "Ed25519 keys from Bouncy Castle");
      putService(new Service(this, "KeyFactory", "Ed25519", SPI + "Ed25519", List.of(), null));
      putService(new Service(this, "KeyFactory", "EdDSA", SPI + "EdDSA", List.of(), null));
    }
  }
}
