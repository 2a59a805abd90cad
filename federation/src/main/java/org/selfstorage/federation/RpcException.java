package org.selfstorage.federation;

import java.util.regex.Pattern;

/**
 * An error answered by a partner's RPC handler, or raised by a local {@link RpcHandler} to answer
 * one. {@link #code()} is a stable upper-case code such as {@code INVITATION_USED}; the message is
 * for the user and says what to do. Codes the subsystem itself answers: {@code BAD_REQUEST} (a
 * malformed or oversized request), {@code NOT_PAIRED} (a guest called a method other than
 * {@code pair}), {@code UNKNOWN_METHOD}, {@code BUSY} (every handler thread is taken) and
 * {@code INTERNAL} (the handler failed; details are only in the answering agent's log).
 */
public class RpcException extends FederationException {
  private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  public RpcException(String code, String message) {
    this(code, message, null);
  }

  public RpcException(String code, String message, Throwable cause) {
    super(checkCode(code), message == null ? "" : message, cause);
  }

  /** Whether {@code code} is a valid error code: an upper-case letter, then up to 63 of A-Z, 0-9, _. */
  public static boolean isValidCode(String code) {
    return code != null && CODE.matcher(code).matches();
  }

  private static String checkCode(String code) {
    if (!isValidCode(code)) {
      throw new IllegalArgumentException("an RPC error code is [A-Z][A-Z0-9_]{0,63}, was " + code);
    }
    return code;
  }
}
