package io.spoor.model;

import java.util.Objects;

public record Status(StatusCode code, String message) {
    public static final Status UNSET = new Status(StatusCode.UNSET, "");

    public Status {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
    }

    public boolean isError() {
        return code == StatusCode.ERROR;
    }
}
