// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParkingKeysTest {

    /** A watch that arms nothing: what the table does with it is what is looked at. */
    private static final class Watch extends Parking {
        Watch(int fd) {
            super(fd);
        }

        @Override
        protected int arm(int interest, boolean first) {
            return 0;
        }

        @Override
        protected void deregister() {
        }
    }

    @Test
    void anEventReachesTheWatchOfItsKeyAndNoOtherOrNoneOnceRemoved() {
        ParkingKeys keys = new ParkingKeys();
        Watch a = new Watch(10);
        Watch b = new Watch(11);
        int ka = keys.add(a);
        int kb = keys.add(b);
        assertNotEquals(ka, kb);
        keys.ready(kb, Parking.READABLE);
        assertTrue(b.takeFired(Parking.READABLE));
        assertFalse(a.takeFired(Parking.READABLE));
        keys.remove(kb);
        keys.ready(kb, Parking.READABLE);
        assertFalse(b.takeFired(Parking.READABLE), "removed: the late event finds nothing");
        keys.ready(-1, Parking.READABLE);
        keys.ready(1L << 40, Parking.READABLE);
        assertFalse(a.takeFired(Parking.READABLE), "keys out of range find nothing");
        Watch c = new Watch(12);
        assertEquals(kb, keys.add(c), "a freed key is used again");
    }

    @Test
    void theTableGrowsPastItsFirstSize() {
        ParkingKeys keys = new ParkingKeys();
        Watch[] watches = new Watch[200];
        for (int i = 0; i < watches.length; i++) {
            watches[i] = new Watch(i);
            assertEquals(i, keys.add(watches[i]));
        }
        keys.ready(199, Parking.WRITABLE);
        assertTrue(watches[199].takeFired(Parking.WRITABLE));
    }
}
