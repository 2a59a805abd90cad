package org.selfstorage.agent;

import java.time.Instant;
import java.util.List;

/** A new invitation: the code to give to the person who joins, and its terms. */
public record InvitationInfo(String code, String inviter, List<String> addresses, long quotaBytes, Instant expires) {
  @Override
  public String toString() {
    return "InvitationInfo[" + inviter + ", quota " + quotaBytes + ", expires " + expires + "]";
  }
}
