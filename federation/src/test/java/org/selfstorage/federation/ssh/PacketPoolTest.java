package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.io.AbstractIoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.junit.jupiter.api.Test;

class PacketPoolTest {
  private static final int PACKET = 32 * 1024;
  private final PacketPool pool = new PacketPool(PACKET);

  /** A packet as our channel streams ask for one: while they write. */
  private Buffer packet(int payload) {
    return packet(SshConstants.SSH_MSG_CHANNEL_DATA, payload);
  }

  private Buffer packet(byte cmd, int payload) {
    Buffer[] made = new Buffer[1];
    try {
      pool.lending(new java.io.OutputStream() {
        @Override
        public void write(int b) {
          made[0] = pool.packet(cmd, payload);
        }
      }).write(0);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return made[0];
  }

  private Buffer packet() {
    return packet(12);
  }

  private static AbstractIoWriteFuture pending() {
    return new AbstractIoWriteFuture("test", null) {};
  }

  @Test
  void channelData_getsAPooledArray_withRoomForAFullPacket() {
    Buffer b = packet();
    assertTrue(b.array().length > PACKET + 12 + 64, "room for payload, headers, padding and tag");
    assertTrue(packet(12 + PACKET).array().length > 12 + PACKET + 64,
        "a full packet as a channel asks for it (channel number and length first)");
    assertNull(packet(12 + PACKET + 1), "larger than a packet: MINA's own buffer");
    assertNull(packet(SshConstants.SSH_MSG_CHANNEL_REQUEST, 12), "only channel data is pooled");
    assertNull(pool.packet(SshConstants.SSH_MSG_CHANNEL_DATA, 12),
        "outside our channel streams (MINA's SFTP code refills its packets): MINA's own buffer");
  }

  @Test
  void array_isLentAgain_onlyAfterTheWholePacketWasWritten() {
    Buffer b = packet();
    AbstractIoWriteFuture f = pending();
    pool.written(b, f);
    assertEquals(0, pool.kept(), "still on its way");
    assertNotSame(b.array(), packet().array());
    f.setValue(Boolean.TRUE);
    assertEquals(1, pool.kept());
    assertSame(b.array(), packet().array());
  }

  @Test
  void failedWrite_keepsNothing() {
    Buffer b = packet();
    AbstractIoWriteFuture f = pending();
    pool.written(b, f);
    f.setValue(new IOException("connection reset"));
    assertEquals(0, pool.kept(), "the transport may still hold a failed packet");
  }

  @Test
  void packetThatOutgrewItsArray_keepsNothing() {
    Buffer b = packet();
    b.putRawBytes(new byte[b.array().length + 1]);
    AbstractIoWriteFuture f = pending();
    pool.written(b, f);
    f.setValue(Boolean.TRUE);
    assertEquals(0, pool.kept());
  }

  @Test
  void buffersNotFromThePool_areNeverKept() {
    AbstractIoWriteFuture f = pending();
    pool.written(new org.apache.sshd.common.util.buffer.ByteArrayBuffer(PACKET + 512), f);
    f.setValue(Boolean.TRUE);
    assertEquals(0, pool.kept());
  }
}
