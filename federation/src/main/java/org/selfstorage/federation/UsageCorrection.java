package org.selfstorage.federation;

import java.nio.file.Path;

/**
 * A partner's hosted directory whose byte count did not match the disk when it was measured again:
 * files were added, changed or removed on the host outside selfstorage. The count now follows the
 * disk (see {@link AgentServer#recountUsage}).
 *
 * @param root the partner's hosted directory
 * @param counted the bytes the count said
 * @param onDisk the bytes its files take now, the count from now on
 */
public record UsageCorrection(Path root, long counted, long onDisk) {}
