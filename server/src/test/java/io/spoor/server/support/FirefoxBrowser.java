package io.spoor.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Firefox ESR (installed by ui/install-browser.sh) driven over WebDriver BiDi, which Firefox serves
 * itself when started with {@code --remote-debugging-port}: a fresh profile, a 1280×800 viewport, console errors
 * collected from {@code log.entryAdded} events.
 */
public final class FirefoxBrowser implements UiBrowser {
    public static final Path FIREFOX = Path.of("/usr/bin/firefox-esr");
    private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebDriverBiDi bidi;
    private final String context;
    private final List<String> consoleErrors = Collections.synchronizedList(new ArrayList<>());
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    public FirefoxBrowser() {
        if (!Files.isExecutable(FIREFOX)) {
            throw new IllegalStateException("the UI tests need Debian's firefox-esr: run ui/install-browser.sh "
                    + "(./spoor test does) or apt-get install firefox-esr");
        }
        try {
            profile = Files.createTempDirectory("spoor-firefox-");
            Files.createDirectories(ARTIFACTS);
            // Firefox's remote agent applies its own recommended automation prefs; these only keep a closed
            // network from being asked for updates, telemetry and a default-browser check
            Files.writeString(profile.resolve("user.js"), String.join("\n",
                    "user_pref(\"app.update.disabledForTesting\", true);",
                    "user_pref(\"browser.shell.checkDefaultBrowser\", false);",
                    "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);",
                    "user_pref(\"toolkit.telemetry.enabled\", false);",
                    "user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");", ""));
            process = new ProcessBuilder(FIREFOX.toString(), "--headless", "--no-remote", "--profile",
                    profile.toString(), "--remote-debugging-port", "0", "--width", "1280", "--height", "800",
                    "about:blank").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            bidi = WebDriverBiDi.connect(URI.create(awaitEndpoint() + "/session"));
            bidi.onEvent("log.entryAdded", this::logged);
            bidi.send("session.subscribe", obj().set("events", WebDriverBiDi.JSON.createArrayNode()
                    .add("log.entryAdded")));
            context = bidi.send("browsingContext.getTree", obj()).path("contexts").get(0).path("context").asText();
            ObjectNode viewport = obj().put("context", context);
            viewport.set("viewport", obj().put("width", 1280).put("height", 800));
            bidi.send("browsingContext.setViewport", viewport);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Reads Firefox's output until it names its BiDi endpoint; keeps draining it afterwards so it never blocks. */
    private String awaitEndpoint() {
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            endpoint.completeExceptionally(new IllegalStateException("firefox exited: " + output));
        }, "firefox-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return endpoint.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("firefox did not start its WebDriver BiDi endpoint: " + output, e);
        }
    }

    private void logged(JsonNode entry) {
        if ("error".equals(entry.path("level").asText())) {
            consoleErrors.add(entry.path("type").asText() + ": " + entry.path("text").asText());
        }
    }

    private static ObjectNode obj() {
        return WebDriverBiDi.JSON.createObjectNode();
    }

    @Override
    public String name() {
        return "firefox";
    }

    @Override
    public void open(String url) {
        bidi.send("browsingContext.navigate", obj().put("context", context).put("url", url).put("wait", "complete"));
    }

    @Override
    public Object js(String body, Object... args) {
        return value(call("function() {\n" + body + "\n}", "none", args));
    }

    /** Calls a function in the page; answers its RemoteValue, or throws the page's exception. */
    private JsonNode call(String function, String ownership, Object... args) {
        ObjectNode params = obj().put("functionDeclaration", function).put("awaitPromise", true)
                .put("resultOwnership", ownership);
        params.set("target", obj().put("context", context));
        ArrayNode arguments = params.putArray("arguments");
        for (Object a : args) {
            arguments.add(localValue(a));
        }
        JsonNode result = bidi.send("script.callFunction", params);
        if ("exception".equals(result.path("type").asText())) {
            throw new IllegalStateException("script threw: " + result.path("exceptionDetails").path("text").asText());
        }
        return result.path("result");
    }

    private static ObjectNode localValue(Object a) {
        if (a == null) {
            return obj().put("type", "null");
        }
        if (a instanceof String s) {
            return obj().put("type", "string").put("value", s);
        }
        if (a instanceof Boolean b) {
            return obj().put("type", "boolean").put("value", b);
        }
        if (a instanceof Number n) {
            return obj().put("type", "number").put("value", n.doubleValue());
        }
        throw new IllegalArgumentException("only strings, numbers and booleans pass to the page: " + a);
    }

    /** A BiDi RemoteValue as the plain Java value Selenium would give for the same script. */
    static Object value(JsonNode remote) {
        JsonNode v = remote.path("value");
        return switch (remote.path("type").asText()) {
            case "string" -> v.asText();
            case "boolean" -> v.asBoolean();
            case "number" -> v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && !v.isBigDecimal()
                    ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble() : v.asText();
            case "array", "set", "nodelist", "htmlcollection" -> {
                List<Object> list = new ArrayList<>();
                v.forEach(item -> list.add(value(item)));
                yield list;
            }
            case "object", "map" -> {
                Map<String, Object> map = new LinkedHashMap<>();
                v.forEach(pair -> map.put(pair.get(0).isTextual() ? pair.get(0).asText()
                        : String.valueOf(value(pair.get(0))), value(pair.get(1))));
                yield map;
            }
            case "null", "undefined" -> null;
            default -> remote.toString();
        };
    }

    /** The BiDi reference of the first element matching {@code css}, scrolled into view, once it exists. */
    private String element(String css) {
        awaitJs("return document.querySelector(arguments[0]) !== null", css);
        JsonNode node = call("function(css) { const e = document.querySelector(css);"
                + " e.scrollIntoView({block: 'center', inline: 'center'}); return e; }", "root", css);
        return node.path("sharedId").asText();
    }

    private void perform(ObjectNode source) {
        ObjectNode params = obj().put("context", context);
        params.putArray("actions").add(source);
        bidi.send("input.performActions", params);
    }

    @Override
    public void click(String css) {
        ObjectNode pointer = obj().put("type", "pointer").put("id", "mouse");
        pointer.set("parameters", obj().put("pointerType", "mouse"));
        ObjectNode move = obj().put("type", "pointerMove").put("x", 0).put("y", 0);
        move.set("origin", obj().put("type", "element").set("element", obj().put("sharedId", element(css))));
        pointer.putArray("actions").add(move).add(obj().put("type", "pointerDown").put("button", 0))
                .add(obj().put("type", "pointerUp").put("button", 0));
        perform(pointer);
    }

    @Override
    public void type(String css, String text) {
        click(css);
        keys(text);
    }

    @Override
    public void press(String key) {
        keys(key);
    }

    private void keys(String text) {
        ObjectNode keyboard = obj().put("type", "key").put("id", "keyboard");
        ArrayNode actions = keyboard.putArray("actions");
        text.codePoints().forEach(cp -> {
            String k = Character.toString(cp);
            actions.add(obj().put("type", "keyDown").put("value", k));
            actions.add(obj().put("type", "keyUp").put("value", k));
        });
        perform(keyboard);
    }

    /**
     * WebDriver cannot click inside a native drop-down list (neither driver does it as a user would), so the option is
     * chosen the way Selenium's {@code Select} ends up doing it: set, then the input and change events the page
     * listens to.
     */
    @Override
    public void select(String css, String value) {
        awaitJs("return document.querySelector(arguments[0]) !== null", css);
        Object found = js("const s = document.querySelector(arguments[0]);"
                + " if (![...s.options].some(o => o.value === arguments[1])) return false;"
                + " s.value = arguments[1];"
                + " s.dispatchEvent(new Event('input', {bubbles: true}));"
                + " s.dispatchEvent(new Event('change', {bubbles: true})); return true;", css, value);
        if (!Boolean.TRUE.equals(found)) {
            throw new AssertionError("no option " + value + " in " + css);
        }
    }

    @Override
    public Path screenshot(String page) {
        Path to = ARTIFACTS.resolve(name() + "-" + page + ".png");
        String png = bidi.send("browsingContext.captureScreenshot", obj().put("context", context))
                .path("data").asText();
        try {
            Files.write(to, Base64.getDecoder().decode(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    @Override
    public List<String> consoleErrors() {
        synchronized (consoleErrors) {
            List<String> copy = List.copyOf(consoleErrors);
            consoleErrors.clear();
            return copy;
        }
    }

    @Override
    public void close() {
        try {
            bidi.close();
        } finally {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp profile left behind is harmless
            }
        }
    }
}
