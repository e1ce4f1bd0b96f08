package org.multiverse.scramble.host.guest;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * What the guest-boot test needs from the machine. Under {@code CI=true} a missing piece is a
 * failure that names the package to install; elsewhere the test is skipped with that reason.
 */
final class Prerequisites {

  private Prerequisites() {}

  static void require(boolean present, String whatToInstall) {
    if (!present && "true".equals(System.getenv("CI"))) {
      fail("guest boot test: " + whatToInstall + " (CI=true, so this fails instead of skipping)");
    }
    Assumptions.assumeTrue(present, "guest boot test skipped: " + whatToInstall);
  }
}
