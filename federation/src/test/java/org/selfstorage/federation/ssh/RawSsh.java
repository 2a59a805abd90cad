package org.selfstorage.federation.ssh;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.selfstorage.crypto.Identity;

/** Plain MINA clients and raw sockets for probing the server as an adversary would. */
final class RawSsh {
  private RawSsh() {}

  /** A MINA client with its defaults (not ours), pinned to the test host key. */
  static SshClient client() {
    SshClient c = SshClient.setUpDefaultClient();
    c.setServerKeyVerifier(new RequiredServerKeyVerifier(TestAgents.HOST.keyPair().getPublic()));
    c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    c.start();
    return c;
  }

  static ClientSession connect(SshClient c, int port) throws IOException {
    return c.connect("anyone", "127.0.0.1", port).verify(Duration.ofSeconds(5)).getSession();
  }

  static ClientSession login(SshClient c, int port, Identity... keys) throws IOException {
    ClientSession s = connect(c, port);
    for (Identity k : keys) {
      s.addPublicKeyIdentity(k.keyPair());
    }
    s.auth().verify(Duration.ofSeconds(5));
    return s;
  }

  static ClientSession login(SshClient c, int port, java.security.KeyPair... keys) throws IOException {
    ClientSession s = connect(c, port);
    for (java.security.KeyPair k : keys) {
      s.addPublicKeyIdentity(k);
    }
    s.auth().verify(Duration.ofSeconds(5));
    return s;
  }

  /** The name-lists of the server's first KEXINIT, read off a raw socket: kex, host key, ciphers, ... */
  static List<List<String>> serverKexInit(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream o = s.getOutputStream();
      o.write("SSH-2.0-probe\r\n".getBytes(StandardCharsets.US_ASCII));
      o.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      String line;
      do {
        line = readLine(in);
      } while (!line.startsWith("SSH-"));
      int len = in.readInt();
      int pad = in.readUnsignedByte();
      byte[] payload = new byte[len - pad - 1];
      in.readFully(payload);
      ByteBuffer b = ByteBuffer.wrap(payload);
      if (b.get() != 20) {
        throw new IOException("expected KEXINIT");
      }
      b.position(b.position() + 16);
      List<List<String>> lists = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        byte[] n = new byte[b.getInt()];
        b.get(n);
        String text = new String(n, StandardCharsets.US_ASCII);
        lists.add(text.isEmpty() ? List.of() : Arrays.asList(text.split(",")));
      }
      return lists;
    }
  }

  static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }
}
