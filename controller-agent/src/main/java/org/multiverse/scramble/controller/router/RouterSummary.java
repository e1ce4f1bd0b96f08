package org.multiverse.scramble.controller.router;

/** One line of {@code router list}. */
public record RouterSummary(String name, String job, boolean up) {}
