/** Which snapshots a retention policy keeps, and why: pure functions over snapshot times. */
package org.selfstorage.agent.retention;
