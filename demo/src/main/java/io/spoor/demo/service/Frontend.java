package io.spoor.demo.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.spoor.demo.service.HttpService.HttpError;
import io.spoor.demo.service.HttpService.Request;
import io.spoor.demo.service.HttpService.Response;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's edge: {@code POST /checkout} validates the cart and places the order with order-service.
 * A downstream failure is passed on with its status, so the caller sees which step failed.
 */
public final class Frontend {
    private static final Logger log = LoggerFactory.getLogger(Frontend.class);
    private final Downstream orders;

    Frontend(Downstream orders) {
        this.orders = orders;
    }

    public static void main(String[] args) throws Exception {
        ServiceEnv.exitWithParent();
        Frontend f = new Frontend(new Downstream("order-service", ServiceEnv.require("DEMO_ORDER_URL"), Duration.ofSeconds(10)));
        new HttpService("frontend").route("POST", "/checkout", f::checkout).start(ServiceEnv.bind(), ServiceEnv.port());
    }

    Response checkout(Request request) {
        JsonNode cart = request.body();
        validate(cart.path("items").size(), cart.path("customerId").asText(""));
        log.info("checkout for customer {} with {} items", cart.path("customerId").asText(), cart.path("items").size());
        Downstream.Answer answer = orders.post("/orders", cart);
        if (!answer.ok()) {
            log.warn("checkout failed: order-service answered {} ({})", answer.status(), answer.errorMessage());
            return new Response(answer.status(), answer.body());
        }
        String orderId = answer.body().path("orderId").asText();
        Span.current().setAttribute("order.id", orderId);
        ObjectNode receipt = receipt(answer.body());
        log.info("order {} placed, total {} cents", orderId, answer.body().path("totalCents").asLong());
        return Response.ok(receipt);
    }

    @WithSpan("validate cart")
    void validate(@SpanAttribute("cart.items") int items, @SpanAttribute("customer.id") String customer) {
        if (items == 0) {
            throw new HttpError(400, "empty_cart", "the cart is empty");
        }
        if (customer.isBlank()) {
            throw new HttpError(400, "no_customer", "customerId is missing");
        }
    }

    @WithSpan("render receipt")
    ObjectNode receipt(JsonNode order) {
        ObjectNode r = HttpService.JSON.createObjectNode();
        r.put("orderId", order.path("orderId").asText());
        r.put("status", order.path("status").asText());
        r.put("totalCents", order.path("totalCents").asLong());
        r.put("chargeId", order.path("chargeId").asText());
        r.put("message", "Thank you for your order!");
        return r;
    }
}
