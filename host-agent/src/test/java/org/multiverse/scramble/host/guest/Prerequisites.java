package org.multiverse.scramble.host.guest;

import org.multiverse.scramble.protocol.testkit.Prerequisite;

/**
 * What the guest-boot test needs from the machine. Under {@code CI=true} a missing piece is a
 * failure that names the package to install; elsewhere the test is skipped with that reason.
 */
final class Prerequisites {

  private Prerequisites() {}

  static void require(boolean present, String whatToInstall) {
    Prerequisite.require(present, "guest boot test: " + whatToInstall);
  }
}
