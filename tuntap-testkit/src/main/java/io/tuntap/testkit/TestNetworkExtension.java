// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.DevicePermissionException;
import io.tuntap.TunTapException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Gives {@link TestNetwork} parameters to tests, {@code @BeforeEach} and {@code @BeforeAll} methods: one network
 * per test (shared by its {@code @BeforeEach} methods), or per class for {@code @BeforeAll}; closed after the test
 * or the class. Where the process may not make one (on Linux without CAP_SYS_ADMIN), the test is aborted with the
 * reason. Registered by {@link RequiresRealDevice}; public only because JUnit reaches it through the annotation.
 */
public final class TestNetworkExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(TestNetworkExtension.class);
    private static final String KEY = "network";

    /** Made by JUnit, for {@link RequiresRealDevice}. */
    public TestNetworkExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestNetwork.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(STORE);
        TestNetwork network = store.get(KEY, TestNetwork.class);
        if (network == null) {
            try {
                network = TestNetwork.create();
            } catch (DevicePermissionException e) {
                throw new TestAbortedException("cannot make a network of its own for this test: " + e.getMessage(), e);
            } catch (TunTapException e) {
                throw new ParameterResolutionException("cannot make a TestNetwork: " + e.getMessage(), e);
            }
            store.put(KEY, network);
        }
        return network;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeIn(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeIn(context);
    }

    private static void closeIn(ExtensionContext context) {
        TestNetwork network = context.getStore(STORE).remove(KEY, TestNetwork.class);
        if (network != null) {
            network.close();
        }
    }
}
