package io.spoor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceIdTest {

    @Test
    void roundTripsThroughHexAndBytes() {
        TraceId id = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(id.toHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(TraceId.fromBytes(id.toBytes())).isEqualTo(id);
    }

    @Test
    void acceptsUpperCaseHex() {
        assertThat(TraceId.fromHex("4BF92F3577B34DA6A3CE929D0E0E4736").toHex())
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void readsZipkin64BitIdsAsLowHalf() {
        TraceId id = TraceId.fromHex("a3ce929d0e0e4736");
        assertThat(id.high()).isZero();
        assertThat(id.toHex()).isEqualTo("0000000000000000a3ce929d0e0e4736");
    }

    @Test
    void allZeroIdIsInvalid() {
        assertThat(new TraceId(0, 0).isValid()).isFalse();
        assertThat(new TraceId(0, 1).isValid()).isTrue();
    }

    @Test
    void rejectsWrongLengthsAndNonHex() {
        assertThatThrownBy(() -> TraceId.fromHex("abc")).hasMessageContaining("32 hex");
        assertThatThrownBy(() -> TraceId.fromHex("zz" + "0".repeat(30))).hasMessageContaining("not a hex");
        assertThatThrownBy(() -> TraceId.fromBytes(new byte[8])).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> SpanId.fromHex("123")).hasMessageContaining("16 hex");
    }

    @Test
    void spanIdRoundTripsThroughHexAndBytes() {
        long id = SpanId.fromHex("00f067aa0ba902b7");
        assertThat(SpanId.toHex(id)).isEqualTo("00f067aa0ba902b7");
        assertThat(SpanId.fromBytes(SpanId.toBytes(id))).isEqualTo(id);
    }
}
