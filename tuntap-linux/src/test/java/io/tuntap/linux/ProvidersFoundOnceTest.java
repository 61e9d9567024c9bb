// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tuntap.TunTap;
import io.tuntap.spi.TunTapProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The providers are found once per process. Finding them on every call scanned the class path each time, and
 * at the descriptor limit that scan failed: an open then reported "no provider" instead of its own EMFILE.
 */
class ProvidersFoundOnceTest {

    @Test
    void everyCallSeesTheSameProviderInstances() {
        List<TunTapProvider> first = TunTap.providers();
        List<TunTapProvider> second = TunTap.providers();
        assertFalse(first.isEmpty(), "the Linux provider is on this class path");
        for (int i = 0; i < first.size(); i++) {
            assertSame(first.get(i), second.get(i), first.get(i).name());
        }
    }
}
