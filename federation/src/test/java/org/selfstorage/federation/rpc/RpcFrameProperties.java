package org.selfstorage.federation.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * RPC frames come from partners and from strangers still pairing: any bytes, in any slicing, leave
 * the frame reader in a defined state without sizing a buffer by a declared length, and any frame
 * content is parsed to JSON or refused with an IOException.
 */
class RpcFrameProperties {
  @Property(tries = 300)
  void arbitraryBytes_inArbitrarySlices_endInADefinedState(@ForAll @Size(max = 2000) byte[] bytes,
      @ForAll @IntRange(min = 1, max = 64) int slice, @ForAll @IntRange(min = 0, max = 1 << 20) int max) {
    FrameReader r = new FrameReader(max);
    for (int off = 0; off < bytes.length; off += slice) {
      FrameReader.State s = r.feed(bytes, off, Math.min(slice, bytes.length - off));
      assertEquals(r.state(), s);
    }
    if (bytes.length >= 4) {
      long declared = ByteBuffer.wrap(bytes, 0, 4).getInt() & 0xffffffffL;
      FrameReader.State expected = declared > max ? FrameReader.State.TOO_LARGE
          : bytes.length - 4 >= declared ? FrameReader.State.COMPLETE : FrameReader.State.NEED_MORE;
      assertEquals(expected, r.state(), "declared " + declared + ", max " + max + ", got " + bytes.length);
      if (expected == FrameReader.State.COMPLETE) {
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 4, 4 + (int) declared), r.frame());
        assertEquals(bytes.length - 4 - declared, r.extraBytes());
      }
    } else {
      assertEquals(FrameReader.State.NEED_MORE, r.state());
    }
  }

  @Property(tries = 100)
  void hugeDeclaredLengths_areTooLarge_beforeAnyBody(@ForAll @IntRange(min = RpcProtocol.MAX_FRAME + 1) int declared) {
    FrameReader r = new FrameReader(RpcProtocol.MAX_FRAME);
    byte[] head = ByteBuffer.allocate(4).putInt(declared).array();
    assertEquals(FrameReader.State.TOO_LARGE, r.feed(head, 0, 4));
    // negative as a signed int is a length above 2 GiB: also too large
    assertEquals(FrameReader.State.TOO_LARGE, new FrameReader(RpcProtocol.MAX_FRAME).feed(
        ByteBuffer.allocate(4).putInt(-Math.abs(declared)).array(), 0, 4));
  }

  @Property(tries = 300)
  void arbitraryFrameContent_isJsonOrAnIOException(@ForAll @Size(max = 500) byte[] json) {
    try {
      assertTrue(RpcProtocol.parse(json) != null);
    } catch (IOException refused) {
      // the one allowed refusal
    } catch (RuntimeException | StackOverflowError e) {
      fail("a frame must parse or be refused with IOException, not " + e, e);
    }
  }

  @Property(tries = 30)
  void deepNesting_isRefusedNotAStackOverflow(@ForAll @IntRange(min = 1, max = 100_000) int depth,
      @ForAll boolean arrays) {
    String open = arrays ? "[" : "{\"a\":";
    String close = arrays ? "]" : "}";
    byte[] json = (open.repeat(depth) + "1" + close.repeat(depth)).getBytes(StandardCharsets.UTF_8);
    try {
      RpcProtocol.parse(json);
    } catch (IOException refused) {
      return;
    } catch (RuntimeException | StackOverflowError e) {
      fail("nesting " + depth + " deep must parse or be refused with IOException, not " + e, e);
    }
  }

  @Property(tries = 100)
  void anyStringValue_roundTripsThroughAFrame(@ForAll @StringLength(max = 200) String text) throws IOException {
    var node = JsonNodeFactory.instance.objectNode().put("message", text);
    byte[] framed = RpcProtocol.frame(node);
    FrameReader r = new FrameReader(RpcProtocol.MAX_FRAME);
    assertEquals(FrameReader.State.COMPLETE, r.feed(framed, 0, framed.length));
    try {
      assertEquals(node, RpcProtocol.parse(r.frame()));
    } catch (IOException e) {
      // a lone surrogate in the string is written by Jackson as invalid UTF-8, which parse refuses
      assertTrue(text.chars().anyMatch(ch -> Character.isSurrogate((char) ch)), "refused a frame we wrote ourselves: " + e);
    }
  }
}
