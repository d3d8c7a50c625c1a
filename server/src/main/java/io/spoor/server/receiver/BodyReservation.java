package io.spoor.server.receiver;

import io.spoor.model.Span;
import io.spoor.pipeline.Admission;
import io.spoor.pipeline.TracesPipeline;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The memory one request holds, reserved with the pipeline's admission as its bytes arrive and while they are
 * inflated, and released when its spans are stored (or the request ends otherwise). The first reservation admits
 * the export; later ones grow it, so a body that turns out larger than announced is refused the moment it
 * crosses the limit rather than after it has been read whole.
 */
public final class BodyReservation {
    private final TracesPipeline pipeline;
    private Admission.Admitted admitted;
    private long reserved;
    private boolean done;

    public BodyReservation(TracesPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Makes sure at least {@code totalBytes} are reserved for this request. Null when they are; otherwise the
     * refusal, and what was reserved before stays reserved until {@link #cancel}. After {@link #cancel} (the request
     * ended meanwhile) nothing more is reserved.
     */
    public synchronized Admission.Refused reserveTotal(long totalBytes) {
        if (done || totalBytes <= reserved) {
            return null;
        }
        long more = totalBytes - reserved;
        Admission a = admitted == null ? pipeline.admit(more) : admitted.grow(more);
        if (a instanceof Admission.Refused refused) {
            return refused;
        }
        admitted = (Admission.Admitted) a;
        reserved = totalBytes;
        return null;
    }

    public synchronized long reserved() {
        return reserved;
    }

    /**
     * Hands the spans on; the reservation is released when they are stored. Fails (without submitting) when the
     * request was cancelled meanwhile, e.g. by its timeout.
     */
    public CompletableFuture<Void> submit(List<Span> spans) {
        Admission.Admitted a;
        synchronized (this) {
            if (done || admitted == null) {
                return CompletableFuture.failedFuture(new CancellationException(
                        "the request ended before its spans were submitted"));
            }
            done = true;
            a = admitted;
        }
        return a.submit(spans);
    }

    /** Releases what is reserved unless the spans were submitted; idempotent. */
    public void cancel() {
        Admission.Admitted a;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            a = admitted;
        }
        if (a != null) {
            a.cancel();
        }
    }
}
