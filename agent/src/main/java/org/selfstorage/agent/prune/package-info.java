/** Prune: forget blobs no snapshot references, delete or repack the packs that held them. */
package org.selfstorage.agent.prune;
