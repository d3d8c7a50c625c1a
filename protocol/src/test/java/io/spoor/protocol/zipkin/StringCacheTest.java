package io.spoor.protocol.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StringCacheTest {
    private final StringCache cache = new StringCache();

    private String of(String s) {
        char[] padded = ("<<" + s + ">>").toCharArray(); // the parser's buffer holds other text around the value
        return cache.of(padded, 2, s.length());
    }

    @Test
    void returnsOneInstancePerRepeatedShortValue() {
        String first = of("order-service");
        assertThat(first).isEqualTo("order-service");
        assertThat(of("order-service")).isSameAs(first);
        assertThat(of("GET")).isEqualTo("GET").isNotSameAs(first);
        assertThat(of("")).isEmpty();
        assertThat(of("größe ✓ 𝄞")).isEqualTo("größe ✓ 𝄞");
        assertThat(of("größe ✓ 𝄞")).isSameAs(of("größe ✓ 𝄞"));
    }

    @Test
    void neverReturnsAnotherValueWhateverCollides() {
        // far more distinct values than slots, many with equal lengths: every answer must equal its input
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            values.add("u-" + i);
        }
        values.add("Aa"); // "Aa" and "BB" have the same String.hashCode
        values.add("BB");
        for (int round = 0; round < 2; round++) {
            for (String v : values) {
                assertThat(of(v)).isEqualTo(v);
            }
        }
    }

    @Test
    void buildsLongValuesFreshEveryTime() {
        String sql = "select * from orders where id = ? and customer = ? order by created_at desc limit 10";
        assertThat(sql.length()).isGreaterThan(StringCache.MAX_CHARS);
        String a = of(sql);
        assertThat(a).isEqualTo(sql);
        assertThat(of(sql)).isEqualTo(sql).isNotSameAs(a);
    }
}
