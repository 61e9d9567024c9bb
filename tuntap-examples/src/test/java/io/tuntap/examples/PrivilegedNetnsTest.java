// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that creates network namespaces and TUN devices: it runs only on Linux as root with
 * {@code /dev/net/tun} and the named programs present, and is otherwise skipped with the reason. Tagged
 * {@code privileged}, which the unit-test run excludes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("privileged")
@ExtendWith(PrivilegedNetnsCondition.class)
@interface PrivilegedNetnsTest {
    /** The programs the test runs; a missing one skips it. */
    String[] programs() default {"ip", "ping"};
}
