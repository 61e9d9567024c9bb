// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.testkit.TestNetwork;
import java.io.IOException;

/** What the kernel's own tool, {@code ip}, sees of a test network's interfaces: a witness, not the library. */
final class Links {
    private Links() {
    }

    /** True if an interface of that name exists in the network. */
    static boolean exists(TestNetwork net, String link) throws IOException {
        return net.exec("ip", "link", "show", "dev", link).exitCode() == 0;
    }

    /** The number of interfaces in the network (lo included). */
    static int count(TestNetwork net) throws IOException {
        return (int) net.exec("ip", "-o", "link", "show").output().lines().count();
    }
}
