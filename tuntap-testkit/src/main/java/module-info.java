// SPDX-License-Identifier: Apache-2.0
/**
 * The tuntap test kit: packet builders and parsers, an echo responder, an in-memory device pair that needs no
 * privileges, and the contract suite that every backend passes.
 */
module io.tuntap.testkit {
    requires transitive io.tuntap.api;
    requires com.google.common;
    requires transitive org.junit.jupiter.api;
    requires org.junit.jupiter.params;

    exports io.tuntap.testkit;

    // JUnit runs the contract's inherited test methods reflectively.
    opens io.tuntap.testkit to org.junit.platform.commons;
}
