// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test (or every test of a class) that opens real devices: it runs where this process can really create one,
 * and is skipped elsewhere with the library's own reason (its diagnostics, the missing privilege and how to get
 * it). Real means: a backend serves the modes here, its availability says this process may create devices (on
 * Linux the effective capability set has CAP_NET_ADMIN, which root has; on Windows, an elevated process where the
 * backend says so), the backend offers the capabilities asked for, and the witness programs named are installed.
 *
 * <p>It also gives the test a {@link TestNetwork} parameter: a fresh network per test (per class for a
 * {@code @BeforeAll} method's parameter), removed with its devices afterwards. See {@link RealDevices} for unique
 * names and reading until a packet comes, and {@link EventQueue} for events.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealDeviceCondition.class)
@ExtendWith(TestNetworkExtension.class)
public @interface RequiresRealDevice {
    /**
     * The device modes the test opens.
     *
     * @return the modes; TUN by default
     */
    DeviceMode[] value() default {DeviceMode.TUN};

    /**
     * Capabilities the test needs, in each of its modes.
     *
     * @return the capabilities; none by default
     */
    Capability[] capabilities() default {};

    /**
     * Programs the test runs as witnesses (with {@link TestNetwork#exec}), looked for on the {@code PATH}.
     *
     * @return the program names; none by default
     */
    String[] programs() default {};
}
