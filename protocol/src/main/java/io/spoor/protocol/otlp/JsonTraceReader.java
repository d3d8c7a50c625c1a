package io.spoor.protocol.otlp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.SpanLink;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams an OTLP-JSON {@code ExportTraceServiceRequest} straight into model spans (no tree model).
 *
 * <p>JSON objects may list their fields in any order, but spans need their resource and scope. Senders write
 * {@code resource}/{@code scope} first, so spans are built with what is known when they arrive; when a
 * resource, scope or resource {@code schemaUrl} turns up later, the spans of that group are rebuilt once.
 */
final class JsonTraceReader {
    private static final String[] SPAN_KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
            "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
    private static final String[] STATUS_CODES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};
    private static final String MISSING_TRACE_ID = "traceId must be 32 hex characters, got 0";
    private static final String MISSING_SPAN_ID = "spanId must be 16 hex characters, got 0";

    private final JsonInput in;
    private final JsonParser p;
    private final List<Span> out = new ArrayList<>();
    private final Rejections rejections = new Rejections();
    /** Index of the next span within the current ResourceSpans, for rejection messages. */
    private int spanIndex;
    /** Result of the last {@link #readHexId}: the id's high and low 64 bits. */
    private long idHigh;
    private long idLow;
    /** Links dropped for bad ids by the last {@link #links} call. */
    private int badLinks;

    private JsonTraceReader(JsonInput in) {
        this.in = in;
        this.p = in.p;
    }

    static DecodedTraces decode(byte[] body) {
        JsonInput in = JsonInput.open(body);
        try (JsonParser ignored = in.p) {
            JsonTraceReader reader = new JsonTraceReader(in);
            if (in.startDocument()) {
                reader.request();
                in.endDocument();
            }
            return reader.rejections.result(reader.out);
        } catch (JsonProcessingException e) {
            throw in.malformed(e);
        } catch (IOException e) {
            throw new OtlpDecodeException("invalid JSON: " + e.getMessage(), e);
        }
    }

    private void request() throws IOException {
        for (String f; (f = in.nextField()) != null; ) {
            if ((f.equals("resourceSpans") || f.equals("resource_spans")) && in.isArray(f)) {
                for (int r = 0; in.nextObjectElement(f); r++) {
                    resourceSpans(r);
                }
            } else {
                in.skip();
            }
        }
    }

    private void resourceSpans(int r) throws IOException {
        int first = out.size();
        spanIndex = 0;
        Resource read = Resource.EMPTY; // attributes and dropped count; the schema URL is a field of ResourceSpans
        String schemaUrl = "";
        Resource resource = null; // built when the first spans need it
        boolean stale = false;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "resource" -> {
                    read = resource(f);
                    stale |= resource != null;
                }
                case "schemaUrl", "schema_url" -> {
                    schemaUrl = in.string(f);
                    stale |= resource != null;
                }
                case "scopeSpans", "scope_spans" -> {
                    if (in.isArray(f)) {
                        if (resource == null) {
                            resource = new Resource(read.attributes(), schemaUrl, read.droppedAttributesCount());
                        }
                        while (in.nextObjectElement(f)) {
                            scopeSpans(r, resource);
                        }
                    }
                }
                default -> in.skip();
            }
        }
        if (stale) {
            Resource late = new Resource(read.attributes(), schemaUrl, read.droppedAttributesCount());
            for (int i = first; i < out.size(); i++) {
                out.set(i, out.get(i).toBuilder().resource(late).build());
            }
        }
    }

    /** The {@code Resource} object: its attributes and dropped count (the schema URL is set by the caller). */
    private Resource resource(String field) throws IOException {
        Attributes attributes = Attributes.EMPTY;
        int dropped = 0;
        if (in.isObject(field)) {
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case "attributes" -> attributes = JsonAttributes.read(in, f);
                    case "droppedAttributesCount", "dropped_attributes_count" -> dropped = in.uint32(f);
                    default -> in.skip(); // entityRefs: not kept by the model
                }
            }
        }
        return new Resource(attributes, "", dropped);
    }

    private void scopeSpans(int r, Resource resource) throws IOException {
        int first = out.size();
        InstrumentationScope scope = null;
        boolean stale = false;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "scope" -> {
                    stale |= scope != null;
                    scope = scope(f);
                }
                case "spans" -> {
                    if (in.isArray(f)) {
                        if (scope == null) {
                            scope = InstrumentationScope.EMPTY;
                        }
                        while (in.nextObjectElement(f)) {
                            span(r, resource, scope);
                        }
                    }
                }
                default -> in.skip(); // schemaUrl of the scope: not kept by the model
            }
        }
        if (stale) {
            for (int i = first; i < out.size(); i++) {
                out.set(i, out.get(i).toBuilder().scope(scope).build());
            }
        }
    }

    private InstrumentationScope scope(String field) throws IOException {
        String name = "";
        String version = "";
        Attributes attributes = Attributes.EMPTY;
        int dropped = 0;
        if (in.isObject(field)) {
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case "name" -> name = in.string(f);
                    case "version" -> version = in.string(f);
                    case "attributes" -> attributes = JsonAttributes.read(in, f);
                    case "droppedAttributesCount", "dropped_attributes_count" -> dropped = in.uint32(f);
                    default -> in.skip();
                }
            }
        }
        InstrumentationScope scope = new InstrumentationScope(name, version, attributes, dropped);
        return scope.isEmpty() ? InstrumentationScope.EMPTY : scope;
    }

    private void span(int r, Resource resource, InstrumentationScope scope) throws IOException {
        int index = spanIndex++;
        TraceId traceId = null;
        long spanId = 0;
        long parentSpanId = 0;
        String traceIdProblem = MISSING_TRACE_ID;
        String spanIdProblem = MISSING_SPAN_ID;
        String parentProblem = null;
        String traceState = "";
        String name = "";
        int flags = 0;
        SpanKind kind = SpanKind.UNSPECIFIED;
        long start = 0;
        long end = 0;
        Attributes attributes = Attributes.EMPTY;
        int droppedAttributes = 0;
        List<SpanEvent> events = List.of();
        int droppedEvents = 0;
        List<SpanLink> links = List.of();
        int droppedLinks = 0;
        int linksWithBadIds = 0;
        Status status = Status.UNSET;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "traceId", "trace_id" -> {
                    traceIdProblem = readHexId(f, Ids.TRACE_ID_HEX, false);
                    traceId = traceIdProblem == null ? new TraceId(idHigh, idLow) : null;
                }
                case "spanId", "span_id" -> {
                    spanIdProblem = readHexId(f, Ids.SPAN_ID_HEX, false);
                    spanId = idLow;
                }
                case "parentSpanId", "parent_span_id" -> {
                    parentProblem = readHexId(f, Ids.SPAN_ID_HEX, true); // empty or all-zero: no parent
                    parentSpanId = idLow;
                }
                case "traceState", "trace_state" -> traceState = in.string(f);
                case "flags" -> flags = in.uint32(f);
                case "name" -> name = in.string(f);
                case "kind" -> kind = SpanKind.fromWire(in.enumValue(f, SPAN_KINDS));
                case "startTimeUnixNano", "start_time_unix_nano" -> start = in.uint64(f);
                case "endTimeUnixNano", "end_time_unix_nano" -> end = in.uint64(f);
                case "attributes" -> attributes = JsonAttributes.read(in, f);
                case "droppedAttributesCount", "dropped_attributes_count" -> droppedAttributes = in.uint32(f);
                case "events" -> events = events(f);
                case "droppedEventsCount", "dropped_events_count" -> droppedEvents = in.uint32(f);
                case "links" -> {
                    links = links(f);
                    linksWithBadIds = badLinks;
                }
                case "droppedLinksCount", "dropped_links_count" -> droppedLinks = in.uint32(f);
                case "status" -> status = status(f);
                default -> in.skip();
            }
        }
        String problem = traceIdProblem != null ? traceIdProblem : spanIdProblem != null ? spanIdProblem : parentProblem;
        if (problem != null) {
            rejections.reject(r, index, problem);
            return;
        }
        out.add(new Span(traceId, spanId, parentSpanId, traceState, flags, name, kind, start, end, attributes,
                droppedAttributes, events, droppedEvents, links, droppedLinks + linksWithBadIds, status, resource,
                scope));
    }

    private List<SpanEvent> events(String field) throws IOException {
        if (!in.isArray(field)) {
            return List.of();
        }
        List<SpanEvent> events = null;
        while (in.nextObjectElement(field)) {
            long time = 0;
            String name = "";
            Attributes attributes = Attributes.EMPTY;
            int dropped = 0;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case "timeUnixNano", "time_unix_nano" -> time = in.uint64(f);
                    case "name" -> name = in.string(f);
                    case "attributes" -> attributes = JsonAttributes.read(in, f);
                    case "droppedAttributesCount", "dropped_attributes_count" -> dropped = in.uint32(f);
                    default -> in.skip();
                }
            }
            if (events == null) {
                events = new ArrayList<>();
            }
            events.add(new SpanEvent(time, name, attributes, dropped));
        }
        return events == null ? List.of() : events;
    }

    /** Reads links; links with unusable ids are left out and counted in {@link #badLinks}. */
    private List<SpanLink> links(String field) throws IOException {
        badLinks = 0;
        if (!in.isArray(field)) {
            return List.of();
        }
        List<SpanLink> links = null;
        int bad = 0;
        while (in.nextObjectElement(field)) {
            TraceId traceId = null;
            long spanId = 0;
            boolean spanIdOk = false;
            String traceState = "";
            Attributes attributes = Attributes.EMPTY;
            int dropped = 0;
            int flags = 0;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case "traceId", "trace_id" ->
                            traceId = readHexId(f, Ids.TRACE_ID_HEX, false) == null ? new TraceId(idHigh, idLow) : null;
                    case "spanId", "span_id" -> {
                        spanIdOk = readHexId(f, Ids.SPAN_ID_HEX, false) == null;
                        spanId = idLow;
                    }
                    case "traceState", "trace_state" -> traceState = in.string(f);
                    case "attributes" -> attributes = JsonAttributes.read(in, f);
                    case "droppedAttributesCount", "dropped_attributes_count" -> dropped = in.uint32(f);
                    case "flags" -> flags = in.uint32(f);
                    default -> in.skip();
                }
            }
            if (traceId == null || !spanIdOk) {
                bad++;
                continue;
            }
            if (links == null) {
                links = new ArrayList<>();
            }
            links.add(new SpanLink(traceId, spanId, traceState, attributes, dropped, flags));
        }
        badLinks = bad;
        return links == null ? List.of() : links;
    }

    private Status status(String field) throws IOException {
        StatusCode code = StatusCode.UNSET;
        String message = "";
        if (in.isObject(field)) {
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case "code" -> code = StatusCode.fromWire(in.enumValue(f, STATUS_CODES));
                    case "message" -> message = in.string(f);
                    default -> in.skip(); // deprecated_code and anything newer
                }
            }
        }
        return code == StatusCode.UNSET && message.isEmpty() ? Status.UNSET : new Status(code, message);
    }

    /**
     * Reads a hex id of {@code hexLength} characters from the current string token, straight from Jackson's
     * character buffer. Sets {@link #idHigh}/{@link #idLow}; returns null when the id is usable, else the
     * problem (messages are only built for bad ids). With {@code optional}, empty and all-zero ids are usable
     * and read as 0 (a parent span id). A non-string value is a malformed request, not a bad id.
     */
    private String readHexId(String field, int hexLength, boolean optional) throws IOException {
        idHigh = 0;
        idLow = 0;
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw in.wrongType(field, "a hex string");
        }
        char[] chars = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        if (len == 0 && optional) {
            return null;
        }
        if (len != hexLength) {
            return field + " must be " + hexLength + " hex characters, got " + len;
        }
        if (!Ids.isHex(chars, off, len)) {
            return field + " must be hex, got \"" + new String(chars, off, len) + "\"";
        }
        if (hexLength == Ids.TRACE_ID_HEX) {
            idHigh = Ids.parseHex(chars, off, 16);
            idLow = Ids.parseHex(chars, off + 16, 16);
        } else {
            idLow = Ids.parseHex(chars, off, 16);
        }
        return idHigh == 0 && idLow == 0 && !optional ? field + " must not be all zero" : null;
    }
}
