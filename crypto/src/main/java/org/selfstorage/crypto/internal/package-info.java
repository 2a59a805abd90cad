/**
 * Implementation details of {@code org.selfstorage.crypto}. Nothing here is API: other modules
 * must not import this package. Some classes are public only because the API package, a
 * different Java package, calls them.
 */
package org.selfstorage.crypto.internal;
