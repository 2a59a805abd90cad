package org.selfstorage.federation.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The {@code selfstorage-rpc@selfstorage} subsystem: one call per channel, JSON in length-prefixed
 * frames.
 *
 * <pre>
 * frame    = u32 length (big-endian) | length bytes of JSON in strict UTF-8; length at most 1 MiB (MAX_FRAME)
 * request  = {"method": "pair", "params": {...}}     params optional (an empty object), else an object
 * reply    = {"result": any JSON value}
 *          | {"error": {"code": "INVITATION_USED", "message": "..."}}
 * </pre>
 *
 * The client opens a channel, sends one request frame and waits; the server answers one reply frame
 * and closes the channel. A declared length above {@link #MAX_FRAME} is refused before anything is
 * allocated: the server answers {@code BAD_REQUEST}, the client fails the call. A truncated frame
 * (end of file before its last byte), malformed JSON, duplicate keys, trailing data after the JSON
 * value, nesting deeper than {@link #MAX_DEPTH}, a missing or invalid method, or params that are not
 * an object are answered {@code BAD_REQUEST}. A guest (a key with no agreement) may call only
 * {@link #GUEST_METHOD}; anything else is answered {@code NOT_PAIRED}. A handler failure other than
 * an {@code RpcException} is answered {@code INTERNAL} with a generic message; the details stay in
 * the server's log. Bytes after the request frame are ignored.
 */
public final class RpcProtocol {
  public static final String SUBSYSTEM = "selfstorage-rpc@selfstorage";
  /** The largest frame (the JSON, without its 4-byte length) either side sends or accepts. */
  public static final int MAX_FRAME = 1 << 20;
  /**
   * A guest's request (a key with no agreement: {@code pair} only, a few hundred bytes) is at most
   * this long: half-sent frames of up to {@link #MAX_FRAME} on every channel of 60 guest sessions
   * would take gigabytes of the agent's memory.
   */
  public static final int MAX_GUEST_FRAME = 16 << 10;
  public static final int MAX_DEPTH = 64;
  /** The one method a guest may call. */
  public static final String GUEST_METHOD = "pair";
  /** The longest error message either side passes on, in characters. */
  public static final int MAX_MESSAGE = 4096;

  public static final String BAD_REQUEST = "BAD_REQUEST";
  public static final String NOT_PAIRED = "NOT_PAIRED";
  public static final String INTERNAL = "INTERNAL";
  public static final String BUSY = "BUSY";

  private static final Pattern METHOD = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

  static final ObjectMapper JSON = JsonMapper.builder(new JsonFactoryBuilder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private RpcProtocol() {}

  public static boolean isValidMethod(String method) {
    return method != null && METHOD.matcher(method).matches();
  }

  /** The request object for a call. */
  public static ObjectNode request(String method, JsonNode params) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("method", method);
    o.set("params", params == null ? JsonNodeFactory.instance.objectNode() : params);
    return o;
  }

  public static ObjectNode result(JsonNode result) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("result", result == null ? JsonNodeFactory.instance.nullNode() : result);
    return o;
  }

  public static ObjectNode error(String code, String message) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ObjectNode e = o.putObject("error");
    e.put("code", code);
    e.put("message", clean(message));
    return o;
  }

  /**
   * A frame: the length, then the JSON.
   *
   * @throws IllegalArgumentException if the JSON is longer than {@link #MAX_FRAME}
   */
  public static byte[] frame(JsonNode value) {
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
    if (json.length > MAX_FRAME) {
      throw new IllegalArgumentException("an RPC frame is at most " + MAX_FRAME + " bytes, this one " + json.length);
    }
    return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
  }

  /**
   * Parses the JSON of one frame (without its length), strictly: the bytes must be valid UTF-8 (no
   * overlong forms or lone surrogates, which the JSON parser alone would accept).
   */
  public static JsonNode parse(byte[] json) throws IOException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException("the frame is not valid UTF-8", e);
    }
    JsonNode n = JSON.readTree(text);
    if (n == null || n.isMissingNode()) {
      throw new IOException("empty frame");
    }
    return n;
  }

  /** A message fit to show: no control characters, at most {@link #MAX_MESSAGE} characters. */
  public static String clean(String message) {
    if (message == null) {
      return "";
    }
    String m = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    StringBuilder b = new StringBuilder(m.length());
    m.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
        || Character.getType(c) == Character.FORMAT ? ' ' : c));
    return b.toString();
  }
}
