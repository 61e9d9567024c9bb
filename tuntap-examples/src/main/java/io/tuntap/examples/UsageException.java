// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

/** The command line is wrong; the tool prints the message and the command's usage, and exits with status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
