package io.spoor.server.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses requests whose {@code Host} (HTTP/1) or {@code :authority} (HTTP/2, gRPC) names a host Spoor does not
 * serve: the defence against DNS rebinding, where a web page the user opens re-points its own name at 127.0.0.1
 * and then reads the loopback-bound Spoor as "same origin" — its requests still carry the page's host name,
 * which this check refuses. One decorator, applied to every listener (OTLP/gRPC, OTLP/HTTP, Zipkin, API).
 *
 * <p>Which hosts: the configured {@code spoor.http.allowed_hosts} (names, any port; {@code *} = any) plus the
 * loopback names ({@code localhost}, loopback IP literals such as {@code 127.0.0.1} and {@code [::1]}), which no
 * rebinding page can send. With nothing configured, a server bound to a loopback address answers the loopback
 * names only, and one bound to any other address answers every host (it is meant to be reached under names
 * Spoor cannot know; list them to close it). A request without a host (HTTP/1.0) is answered: browsers always
 * send one.
 */
public final class HostCheck implements DecoratingHttpServiceFunction {
    private static final Logger log = LoggerFactory.getLogger(HostCheck.class);

    private final boolean anyHost;
    private final Set<String> allowed;

    private HostCheck(boolean anyHost, Set<String> allowed) {
        this.anyHost = anyHost;
        this.allowed = allowed;
    }

    /** The check for a server bound to {@code bindAddress} with {@code configured} allowed hosts (may be empty). */
    public static HostCheck forBinding(String bindAddress, List<String> configured) {
        Set<String> names = configured.stream().map(HostCheck::normalise).collect(Collectors.toUnmodifiableSet());
        boolean any = names.contains("*") || names.isEmpty() && !isLoopback(bindAddress);
        return new HostCheck(any, names);
    }

    /** Whether a request naming {@code authority} ({@code host[:port]}, may be null) is answered. */
    public boolean allows(String authority) {
        if (anyHost || authority == null || authority.isEmpty()) {
            return true;
        }
        String host = normalise(hostOf(authority));
        return allowed.contains(host) || isLoopbackName(host);
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        String authority = req.headers().authority();
        if (allows(authority)) {
            return delegate.serve(ctx, req);
        }
        log.debug("refused a request for host '{}' on port {}", authority, ctx.localAddress().getPort());
        String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType != null && contentType.startsWith("application/grpc")) {
            // gRPC clients read the status from grpc-status; PERMISSION_DENIED (7), a message without the host
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                    .contentType(MediaType.parse(contentType)).add("grpc-status", "7")
                    .add("grpc-message", "host%20not%20served%20here%3B%20see%20spoor.http.allowed_hosts").build());
        }
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.MISDIRECTED_REQUEST)
                        .contentType(MediaType.PLAIN_TEXT_UTF_8).set(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff")
                        .build(),
                com.linecorp.armeria.common.HttpData.ofUtf8("host '" + printable(hostOf(authority))
                        + "' is not served here; add it to spoor.http.allowed_hosts (docs/configuration.md)"));
    }

    /** The host part of {@code host[:port]} or {@code [v6]:port}. */
    static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    private static String normalise(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** {@code localhost} or a loopback IP literal; never a DNS lookup (a lookup is what rebinding controls). */
    static boolean isLoopbackName(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!NetUtil.isValidIpV4Address(literal) && !NetUtil.isValidIpV6Address(literal)) {
            return false;
        }
        InetAddress a = NetUtil.createInetAddressFromIpAddressString(literal);
        return a != null && a.isLoopbackAddress();
    }

    private static boolean isLoopback(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // the server will fail to bind anyway
        }
    }

    private static String printable(String s) {
        String cut = Parameters.quote(s);
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}
