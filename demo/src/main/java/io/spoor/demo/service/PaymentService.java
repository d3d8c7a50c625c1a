package io.spoor.demo.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.spoor.demo.service.HttpService.HttpError;
import io.spoor.demo.service.HttpService.Request;
import io.spoor.demo.service.HttpService.Response;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charges cards. The fraud check is the shop's slow dependency (an external scoring call, 80–250 ms);
 * the test card {@value #DECLINED_CARD} is always declined: the {@code charge card} span records the
 * exception and ends with status ERROR, and the service answers 402.
 */
public final class PaymentService {
    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);
    public static final String DECLINED_CARD = "4000000000000002";
    private final Tracer tracer = GlobalOpenTelemetry.getTracer("io.spoor.demo.payment", "1.0");

    public static void main(String[] args) throws Exception {
        ServiceEnv.exitWithParent();
        PaymentService p = new PaymentService();
        new HttpService("payment-service").route("POST", "/charge", p::charge).start(ServiceEnv.bind(), ServiceEnv.port());
    }

    /** A card the issuer refused. */
    static final class CardDeclinedException extends Exception {
        CardDeclinedException(String message) {
            super(message);
        }
    }

    Response charge(Request request) throws InterruptedException {
        JsonNode body = request.body();
        String orderId = body.path("orderId").asText();
        long amount = body.path("amountCents").asLong();
        String card = body.path("card").asText("");
        Span.current().setAttribute("order.id", orderId);
        fraudCheck(orderId, amount);
        Span span = tracer.spanBuilder("charge card").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            String chargeId = "ch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            span.setAttribute("order.id", orderId);
            span.setAttribute("payment.charge_id", chargeId);
            span.setAttribute("payment.amount_cents", amount);
            span.setAttribute("payment.card_last4", card.length() >= 4 ? card.substring(card.length() - 4) : card);
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 40)); // the acquirer's round trip
            if (DECLINED_CARD.equals(card)) {
                throw new CardDeclinedException("card ending " + card.substring(card.length() - 4) + " was declined by the issuer (insufficient_funds)");
            }
            log.info("charged {} cents for order {} as {}", amount, orderId, chargeId);
            return Response.ok(HttpService.JSON.createObjectNode().put("chargeId", chargeId).put("amountCents", amount));
        } catch (CardDeclinedException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            log.warn("payment for order {} declined: {}", orderId, e.getMessage());
            throw new HttpError(402, "card_declined", e.getMessage());
        } finally {
            span.end();
        }
    }

    private void fraudCheck(String orderId, long amount) throws InterruptedException {
        Span span = tracer.spanBuilder("fraud check").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            span.setAttribute("order.id", orderId);
            span.setAttribute("peer.service", "fraud-scoring-api");
            long ms = ThreadLocalRandom.current().nextLong(80, 250);
            Thread.sleep(ms); // the slow dependency
            double score = ThreadLocalRandom.current().nextDouble(0, 0.3);
            span.setAttribute("fraud.score", score);
            log.info("fraud score {} for order {} ({} cents)", String.format("%.2f", score), orderId, amount);
        } finally {
            span.end();
        }
    }
}
