// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that plumbs real tun/tap interfaces: it needs Solaris or illumos, root in the global zone, and the
 * STREAMS tun/tap driver. Skipped, with the reason, where any is missing.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("privileged")
@ExtendWith(SolarisPrivilegedCondition.class)
@interface SolarisPrivilegedTest {
}
