package org.selfstorage.agent;

import java.time.Instant;
import java.util.List;

/**
 * A webhook as shown to users. The URL is masked (query, user info and path after the first
 * segment), since it may carry a token.
 *
 * @param events the event codes it is told about; empty for every event
 */
public record WebhookInfo(long id, String url, String format, String minSeverity, List<String> events,
    Instant addedAt) {}
