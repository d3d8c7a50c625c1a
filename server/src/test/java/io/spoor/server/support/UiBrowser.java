package io.spoor.server.support;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the UI's end-to-end tests do with a browser, so that one test runs unchanged in Chromium (through
 * chromedriver) and Firefox (through WebDriver BiDi). Reading the page goes through JavaScript, which both run the
 * same way; clicks, typing and keys are real input events sent by the driver.
 */
public interface UiBrowser extends AutoCloseable {
    /** WebDriver's code points for special keys, understood by both drivers. */
    String ARROW_UP = "\uE013";
    String ARROW_DOWN = "\uE015";
    String ENTER = "\uE007";

    /** Where screenshots and performance figures go (server/target/ui-e2e/ when Maven runs the tests). */
    Path ARTIFACTS = Path.of("target", "ui-e2e");

    /** "chromium" or "firefox": prefixes screenshots, names failures. */
    String name();

    /** Loads {@code url} and waits for its load event. */
    void open(String url);

    /**
     * Runs {@code body} as a function body ({@code arguments[i]} are the args: strings, numbers, booleans) and
     * returns its result as Java values: String, Long or Double, Boolean, List, Map, or null.
     */
    Object js(String body, Object... args);

    /** A real mouse click in the middle of the first element matching {@code css}, waiting for it to exist. */
    void click(String css);

    /** Focuses the first element matching {@code css} and types {@code text} key by key. */
    void type(String css, String text);

    /** Chooses the option with {@code value} in the {@code <select>} matching {@code css}. */
    void select(String css, String value);

    /** Presses and releases a key (a character or one of the constants above) on the focused page. */
    void press(String key);

    /** Saves a PNG of the viewport under server/target/ui-e2e/ as {@code <name()>-<page>.png}. */
    Path screenshot(String page);

    /** Console errors and uncaught exceptions the pages logged since the last call. */
    List<String> consoleErrors();

    @Override
    void close();

    default String currentUrl() {
        return (String) js("return location.href");
    }

    /** Polls (every 50 ms, for up to 30 s) until {@code body} returns something other than null or false. */
    default Object awaitJs(String body, Object... args) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            Object v = js(body, args);
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name() + ": still false after 30 s: " + body + " " + List.of(args));
            }
            sleep(50);
        }
    }

    default void await(String description, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name() + ": still not true after 30 s: " + description);
            }
            sleep(50);
        }
    }

    /** The rendered text ({@code innerText}) of the first element matching {@code css}, once it exists. */
    default String text(String css) {
        return (String) awaitJs("const e = document.querySelector(arguments[0]); return e ? e.innerText : null", css);
    }

    /** The rendered text of every element matching {@code css}, in document order. */
    @SuppressWarnings("unchecked")
    default List<String> texts(String css) {
        return (List<String>) js("return [...document.querySelectorAll(arguments[0])].map(e => e.innerText)", css);
    }

    /** Attribute {@code attr} of every element matching {@code css} (null where absent). */
    @SuppressWarnings("unchecked")
    default List<String> attributes(String css, String attr) {
        return (List<String>) js(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]))", css, attr);
    }

    /** Attribute {@code attr} of the first element matching {@code css}, once the element exists. */
    default String attribute(String css, String attr) {
        Object v = awaitJs("const e = document.querySelector(arguments[0]);"
                + " return e ? [e.getAttribute(arguments[1])] : null", css, attr);
        return (String) ((List<?>) v).get(0);
    }

    default int count(String css) {
        return ((Number) js("return document.querySelectorAll(arguments[0]).length", css)).intValue();
    }

    default void awaitCount(String css, int n) {
        awaitJs("return document.querySelectorAll(arguments[0]).length === arguments[1]", css, n);
    }

    default void waitFor(String css) {
        awaitJs("return document.querySelector(arguments[0]) !== null", css);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
