package io.spoor.server.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ServerCacheControl;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;

/**
 * Serves the web UI (the spoor-ui jar's {@code io/spoor/ui/static}) on the API port. Hashed bundles under
 * {@code /assets/} are cached for good; {@code index.html} is served for every page URL of the single-page app
 * ({@code /}, {@code /search}, {@code /trace/*}, {@code /services}) so that deep links and reloads work, and is
 * never cached so that an upgraded server's UI is picked up.
 */
public final class WebUi {
    static final String ROOT = "io/spoor/ui/static";

    private WebUi() {
    }

    public static void bind(ServerBuilder sb) {
        ClassLoader cl = WebUi.class.getClassLoader();
        HttpService index;
        if (cl.getResource(ROOT + "/index.html") == null) {
            // a server built without the ui module (e.g. from an IDE): say so instead of a bare 404
            index = (ctx, req) -> HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8,
                    "The web UI is not in this build (the spoor-ui module was not built); the API is at /api/v1.");
        } else {
            index = HttpFile.builder(cl, ROOT + "/index.html")
                    .cacheControl(ServerCacheControl.REVALIDATED)
                    .setHeader(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff")
                    .build().asService();
        }
        sb.service("/", index);
        sb.service("/search", index);
        sb.service("/services", index);
        sb.service("prefix:/trace/", index);
        sb.serviceUnder("/assets/", FileService.builder(cl, ROOT + "/assets")
                .cacheControl(ServerCacheControl.IMMUTABLE).build());
    }
}
