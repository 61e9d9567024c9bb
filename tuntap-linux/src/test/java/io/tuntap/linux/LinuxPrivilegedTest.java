// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that opens real devices in throwaway network namespaces: it needs Linux, root, /dev/net/tun and
 * the {@code ip} command. Skipped, with the reason, where any is missing.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("privileged")
@ExtendWith(PrivilegedCondition.class)
@interface LinuxPrivilegedTest {
}
