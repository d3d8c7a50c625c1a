package io.spoor.server.e2e;

import io.spoor.server.support.ChromiumBrowser;
import io.spoor.server.support.UiBrowser;

/** {@link WebUiPerformanceTest} in Debian's Chromium, through chromedriver. */
class ChromiumWebUiPerformanceTest extends WebUiPerformanceTest {
    @Override
    UiBrowser newBrowser() {
        return new ChromiumBrowser();
    }
}
