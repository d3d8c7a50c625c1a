package io.spoor.server.e2e;

import io.spoor.server.support.FirefoxBrowser;
import io.spoor.server.support.UiBrowser;

/** {@link WebUiEndToEndTest} in Debian's Firefox ESR, over WebDriver BiDi. */
class FirefoxWebUiEndToEndTest extends WebUiEndToEndTest {
    @Override
    UiBrowser newBrowser() {
        return new FirefoxBrowser();
    }
}
