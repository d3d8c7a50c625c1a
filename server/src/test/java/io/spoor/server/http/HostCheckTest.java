package io.spoor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostCheckTest {

    @Test
    void onALoopbackBindingAnswersOnlyTheLoopbackNamesWithAnyPort() {
        HostCheck check = HostCheck.forBinding("127.0.0.1", List.of());
        assertThat(check.allows("localhost:16686")).isTrue();
        assertThat(check.allows("LOCALHOST")).isTrue();
        assertThat(check.allows("localhost.:9411")).isTrue();
        assertThat(check.allows("127.0.0.1:4317")).isTrue();
        assertThat(check.allows("127.0.0.2")).isTrue();
        assertThat(check.allows("[::1]:16686")).isTrue();
        assertThat(check.allows("[::1]")).isTrue();
        assertThat(check.allows("rebound.attacker.example:16686")).isFalse();
        assertThat(check.allows("localhost.attacker.example")).isFalse();
        assertThat(check.allows("10.0.0.5:16686")).isFalse();
        assertThat(check.allows("[::2]:16686")).isFalse();
        assertThat(check.allows("[::1")).isFalse();
        assertThat(check.allows(null)).as("no Host: not a browser").isTrue();
        assertThat(HostCheck.forBinding("localhost", List.of()).allows("attacker.example")).isFalse();
        assertThat(HostCheck.forBinding("::1", List.of()).allows("attacker.example")).isFalse();
    }

    @Test
    void onAnyOtherBindingAnswersEveryHostUnlessTheyAreListed() {
        assertThat(HostCheck.forBinding("0.0.0.0", List.of()).allows("spoor.example:16686")).isTrue();
        HostCheck listed = HostCheck.forBinding("0.0.0.0", List.of("Spoor.Example", "tracing.internal"));
        assertThat(listed.allows("spoor.example:16686")).isTrue();
        assertThat(listed.allows("tracing.internal")).isTrue();
        assertThat(listed.allows("localhost:16686")).as("the loopback names always").isTrue();
        assertThat(listed.allows("attacker.example")).isFalse();
        assertThat(HostCheck.forBinding("127.0.0.1", List.of("*")).allows("attacker.example")).isTrue();
        assertThat(HostCheck.forBinding("127.0.0.1", List.of("proxy.example")).allows("proxy.example:80")).isTrue();
    }
}
