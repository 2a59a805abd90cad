/**
 * Content-defined chunking: cuts a file into chunks whose boundaries depend on the content, so an
 * insertion or deletion changes only the chunks around it.
 *
 * <p>{@link org.selfstorage.agent.chunk.Chunker} decides where one chunk ends (FastCDC);
 * {@link org.selfstorage.agent.chunk.ChunkReader} streams a file through it with a reusable
 * buffer (two for a large file, one being filled on another thread while the other is cut) and
 * hands each chunk to a {@link org.selfstorage.agent.chunk.ChunkSink}. The boundaries
 * are part of the repository format: see {@code docs/codec-formats.md}.
 */
package org.selfstorage.agent.chunk;
