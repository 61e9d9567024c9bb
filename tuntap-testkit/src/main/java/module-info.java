// SPDX-License-Identifier: Apache-2.0
/**
 * The tuntap test kit: packet builders and parsers, an echo responder, an in-memory device pair that needs no
 * privileges, and the contract suite that every backend passes.
 */
module io.tuntap.testkit {
    requires transitive io.tuntap.api;
    requires com.google.common;
    requires transitive org.junit.jupiter.api;
    // ThreadAllocations reads the per-thread allocation counters.
    requires jdk.management;
    // JUnit's classes carry @API annotations: javac reads them while compiling the contract and warns when it
    // cannot resolve the annotation's module, which JUnit requires only statically.
    requires static org.apiguardian.api;

    exports io.tuntap.testkit;

    // JUnit runs the contract's inherited test methods reflectively.
    opens io.tuntap.testkit to org.junit.platform.commons;
}
