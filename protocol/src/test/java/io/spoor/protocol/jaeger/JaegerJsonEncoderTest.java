package io.spoor.protocol.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class JaegerJsonEncoderTest {
    @Test
    void writesDroppedCountsAsOtelTagsOfSpanLogAndProcessOnlyWhenNotZero() throws Exception {
        TraceId id = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");
        Resource dropping = new Resource(Attributes.of("service.name", "checkout"), "", 4);
        Span dropped = Span.builder(id, 1).name("dropped").resource(dropping).droppedAttributesCount(3)
                .droppedEventsCount(2).droppedLinksCount(-1) // uint32 max
                .events(List.of(new SpanEvent(5, "e", Attributes.EMPTY, 7))).build();
        Span clean = Span.builder(id, 2).name("clean").events(List.of(new SpanEvent(5, "e", Attributes.EMPTY, 0)))
                .build();
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            JaegerJsonEncoder.writeTrace(g, new Trace(id, List.of(dropped, clean)), s -> List.of());
        }
        String json = out.toString();

        assertThat(json).contains("{\"key\":\"otel.dropped_attributes_count\",\"type\":\"int64\",\"value\":3}",
                "{\"key\":\"otel.dropped_events_count\",\"type\":\"int64\",\"value\":2}",
                "{\"key\":\"otel.dropped_links_count\",\"type\":\"int64\",\"value\":4294967295}",
                "{\"key\":\"otel.dropped_attributes_count\",\"type\":\"int64\",\"value\":7}",
                "{\"key\":\"otel.dropped_attributes_count\",\"type\":\"int64\",\"value\":4}");
        String cleanSpan = json.substring(json.indexOf("\"operationName\":\"clean\""));
        assertThat(cleanSpan.substring(0, cleanSpan.indexOf("processID"))).doesNotContain("otel.dropped");
    }
}
