package io.spoor.protocol.zipkin;

import java.util.ArrayList;
import java.util.List;

/** One Zipkin v2 span as read from JSON or proto3, before it becomes a model span. Reused across spans of a report. */
final class ZipkinFields {
    long traceIdHigh;
    long traceIdLow;
    boolean hasTraceId;
    long id;
    long parentId;
    String name = "";
    String kind = "";
    long timestampMicros;
    boolean hasTimestamp;
    long durationMicros;
    final Endpoint local = new Endpoint();
    final Endpoint remote = new Endpoint();
    final List<String> annotationValues = new ArrayList<>();
    final List<Long> annotationTimestamps = new ArrayList<>();
    final List<String> tagKeys = new ArrayList<>();
    final List<String> tagValues = new ArrayList<>();
    boolean debug;
    boolean shared;

    void reset() {
        traceIdHigh = 0;
        traceIdLow = 0;
        hasTraceId = false;
        id = 0;
        parentId = 0;
        name = "";
        kind = "";
        timestampMicros = 0;
        hasTimestamp = false;
        durationMicros = 0;
        local.reset();
        remote.reset();
        annotationValues.clear();
        annotationTimestamps.clear();
        tagKeys.clear();
        tagValues.clear();
        debug = false;
        shared = false;
    }

    static final class Endpoint {
        String serviceName = "";
        String ipv4 = "";
        String ipv6 = "";
        int port;

        void reset() {
            serviceName = "";
            ipv4 = "";
            ipv6 = "";
            port = 0;
        }

        boolean isEmpty() {
            return serviceName.isEmpty() && ipv4.isEmpty() && ipv6.isEmpty() && port == 0;
        }

        String ip() {
            return !ipv6.isEmpty() ? ipv6 : ipv4;
        }
    }
}
