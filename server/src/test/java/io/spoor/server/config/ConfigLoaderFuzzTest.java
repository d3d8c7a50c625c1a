package io.spoor.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spoor.pipeline.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;

/**
 * Any text as the configuration file: a {@link ConfigFile}, or a {@link ConfigException} (the one-line start-up
 * error) — never another exception, a stack overflow or a hang. Seeds: the examples of docs/configuration.md and the
 * files of ConfigLoaderTest; the dictionary holds the keys, so that mutations build configurations.
 */
class ConfigLoaderFuzzTest {
    static final LongAdder RUNS = new LongAdder();

    @AfterAll
    static void report() {
        System.out.println("fuzz: ConfigLoaderFuzzTest ran " + RUNS.sum() + " inputs");
    }

    @DictionaryEntries({"receivers:", "otlp:", "protocols:", "grpc:", "http:", "endpoint:", "processors:",
            "exporters:", "service:", "pipelines:", "traces:", "memory_limiter:", "limit_mib:", "batch:",
            "timeout:", "send_batch_size:", "probabilistic_sampler:", "sampling_percentage:", "tail_sampling:",
            "decision_wait:", "policies:", "type:", "latency", "status_code", "composite", "and", "spoor:",
            "storage:", "retention:", "fsync:", "query:", "${env:", "${env:SET_A}", "${UNSET:-x}", "$$", "&a", "*a",
            "<<:", "- ", "limits:", "attribute_count_limit:", "max_bytes_per_trace:", "{", "}", "[", "]", "7d", "200ms", "otlphttp:", "sending_queue:", "retry_on_failure:"})
    @FuzzTest
    void parsesAnyTextIntoAConfigOrAConfigException(byte[] input) {
        RUNS.increment();
        String yaml = new String(input, StandardCharsets.UTF_8);
        ConfigFile config;
        try {
            config = ConfigLoader.parse(yaml, name -> name.startsWith("SET_") ? "4318" : null);
        } catch (ConfigException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        }
        assertThat(config.pipeline().exporters()).isNotEmpty();
        assertThat(config.pipeline().processors()).doesNotContainNull();
    }
}
