package io.spoor.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;

/**
 * Debian's headless Chromium driven through its chromedriver (installed by ui/install-browser.sh), with a fresh
 * profile, a 1280×800 window, and screenshots saved under server/target/ui-e2e/.
 */
public final class ChromiumBrowser implements UiBrowser {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    public ChromiumBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the UI tests need Debian's chromium and chromium-driver: run "
                    + "ui/install-browser.sh (./spoor test does) or apt-get install chromium chromium-driver");
        }
        try {
            profile = Files.createTempDirectory("spoor-chromium-");
            Files.createDirectories(ARTIFACTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 800));
    }

    @Override
    public String name() {
        return "chromium";
    }

    @Override
    public void open(String url) {
        driver.get(url);
    }

    @Override
    public void click(String css) {
        awaitElement(css).click();
    }

    @Override
    public void type(String css, String text) {
        awaitElement(css).sendKeys(text);
    }

    @Override
    public void select(String css, String value) {
        new Select(awaitElement(css)).selectByValue(value);
    }

    @Override
    public void press(String key) {
        driver.findElement(By.tagName("body")).sendKeys(key);
    }

    private <T> T await(Function<WebDriver, T> condition) {
        return new FluentWait<WebDriver>(driver).withTimeout(Duration.ofSeconds(30))
                .pollingEvery(Duration.ofMillis(50)).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(condition);
    }

    private WebElement awaitElement(String css) {
        return await(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    @Override
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Override
    public Path screenshot(String page) {
        Path to = ARTIFACTS.resolve(name() + "-" + page + ".png");
        try {
            Files.write(to, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** Console messages at SEVERE since the last call. */
    @Override
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp profile left behind is harmless
            }
        }
    }
}
