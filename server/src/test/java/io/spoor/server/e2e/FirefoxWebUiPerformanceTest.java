package io.spoor.server.e2e;

import io.spoor.server.support.FirefoxBrowser;
import io.spoor.server.support.UiBrowser;

/** {@link WebUiPerformanceTest} in Debian's Firefox ESR, over WebDriver BiDi. */
class FirefoxWebUiPerformanceTest extends WebUiPerformanceTest {
    @Override
    UiBrowser newBrowser() {
        return new FirefoxBrowser();
    }
}
