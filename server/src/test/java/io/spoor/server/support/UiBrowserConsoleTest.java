package io.spoor.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The UI tests' "no console errors" check is only worth something if each driver really reports what a page logs:
 * this proves both see a console.error and an uncaught exception, and forget them once read.
 */
class UiBrowserConsoleTest {
    static Stream<Supplier<UiBrowser>> browsers() {
        return Stream.of(ChromiumBrowser::new, FirefoxBrowser::new);
    }

    @ParameterizedTest
    @MethodSource("browsers")
    void consoleErrorsReportLoggedErrorsAndUncaughtExceptionsOnce(Supplier<UiBrowser> start) {
        try (UiBrowser browser = start.get()) {
            browser.open("data:text/html,<title>t</title><script>console.error('spoor-logged');"
                    + "setTimeout(() => { throw new Error('spoor-thrown'); }, 0);</script>");
            List<String> seen = new ArrayList<>();
            browser.await("both errors reported", () -> {
                seen.addAll(browser.consoleErrors());
                return String.join("\n", seen).contains("spoor-logged") && String.join("\n", seen)
                        .contains("spoor-thrown");
            });
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }
}
