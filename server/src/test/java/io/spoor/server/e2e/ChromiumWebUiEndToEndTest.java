package io.spoor.server.e2e;

import io.spoor.server.support.ChromiumBrowser;
import io.spoor.server.support.UiBrowser;

/** {@link WebUiEndToEndTest} in Debian's Chromium, through chromedriver. */
class ChromiumWebUiEndToEndTest extends WebUiEndToEndTest {
    @Override
    UiBrowser newBrowser() {
        return new ChromiumBrowser();
    }
}
