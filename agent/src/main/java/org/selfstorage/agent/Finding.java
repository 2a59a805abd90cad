package org.selfstorage.agent;

/** Something worth knowing: what is wrong, why it matters, and the command that fixes it. */
public record Finding(String code, String severity, String what, String why, String fix) {}
