package org.multiverse.scramble.controller.router;

/** Tor's bootstrap phase as Tor reports it ({@code torSaid} is its own text). */
public record TorStatus(int progress, String tag, String summary, String torSaid) {}
