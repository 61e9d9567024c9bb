// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.DeviceMode;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * The invocations of an {@link EachMode} test: one per mode, each resolving the {@link DeviceMode} parameter.
 * Public only because JUnit must reach it through the annotation; use {@link EachMode}.
 */
public final class EachModeInvocations implements TestTemplateInvocationContextProvider {
    /** Made by JUnit, for {@link EachMode}. */
    public EachModeInvocations() {
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(EachMode.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        return Arrays.stream(method.getAnnotation(EachMode.class).value()).map(Invocation::new);
    }

    /** One run of the template, in one mode. */
    private static final class Invocation implements TestTemplateInvocationContext, ParameterResolver {
        private final DeviceMode mode;

        Invocation(DeviceMode mode) {
            this.mode = mode;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return mode.name();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == DeviceMode.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return mode;
        }
    }
}
