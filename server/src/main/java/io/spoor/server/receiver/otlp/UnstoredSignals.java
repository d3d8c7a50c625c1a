package io.spoor.server.receiver.otlp;

import io.spoor.protocol.otlp.OtlpDecodeException;
import io.spoor.protocol.otlp.OtlpSignalDecoder;
import io.spoor.server.receiver.ExportFailure;
import io.spoor.server.receiver.ExportResult;
import io.spoor.server.receiver.ReceiverMetrics;
import io.spoor.server.receiver.RequestBody;
import io.spoor.server.receiver.Signal;
import io.spoor.server.receiver.Transport;
import java.util.Arrays;

/**
 * OTLP metrics and logs: Spoor stores traces only, so a valid export is answered with a partial success that says
 * how many items were not stored (an SDK that exports all three signals to one endpoint then works), and a
 * malformed one with the same INVALID_ARGUMENT as a malformed trace export.
 */
final class UnstoredSignals {
    private final ReceiverMetrics metrics;

    UnstoredSignals(ReceiverMetrics metrics) {
        this.metrics = metrics;
    }

    ExportResult export(Transport transport, Signal signal, WireFormat format, RequestBody request) {
        byte[] body = request.offset() == 0 && request.length() == request.array().length ? request.array()
                : Arrays.copyOfRange(request.array(), request.offset(), request.offset() + request.length());
        request.release();
        int items;
        try {
            items = switch (signal) {
                case METRICS -> format == WireFormat.JSON ? OtlpSignalDecoder.countMetricDataPointsJson(body)
                        : OtlpSignalDecoder.countMetricDataPointsProtobuf(body);
                case LOGS -> format == WireFormat.JSON ? OtlpSignalDecoder.countLogRecordsJson(body)
                        : OtlpSignalDecoder.countLogRecordsProtobuf(body);
                case TRACES -> throw new IllegalArgumentException("traces are stored");
            };
        } catch (OtlpDecodeException e) {
            ExportFailure failure = ExportFailure.of(ExportFailure.Kind.MALFORMED, e.getMessage());
            metrics.failedRequest(transport, failure.kind());
            return new ExportResult.Failed(failure);
        }
        metrics.unstored(signal, items);
        if (items == 0) {
            return new ExportResult.Accepted(signal, 0, "");
        }
        return new ExportResult.Accepted(signal, items, message(signal, items));
    }

    static String message(Signal signal, long items) {
        return "Spoor stores traces only and does not store " + (signal == Signal.METRICS ? "metrics" : "logs")
                + " (yet): " + items + " " + signal.items() + " were not stored";
    }
}
