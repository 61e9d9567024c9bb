// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.DeviceMode;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test method once per device mode, passing the {@link DeviceMode} as its parameter, with the mode as the
 * name of each run. Made of {@code junit-jupiter-api} alone, so the test kit needs no other JUnit artifact.
 *
 * <pre>{@code
 * @EachMode
 * void opens(DeviceMode mode) throws Exception {
 *     // runs twice: [TUN] and [TAP]
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(EachModeInvocations.class)
public @interface EachMode {
    /**
     * The modes to run the test in, in this order.
     *
     * @return the modes; both by default
     */
    DeviceMode[] value() default {DeviceMode.TUN, DeviceMode.TAP};
}
