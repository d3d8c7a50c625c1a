package io.spoor.server.receiver;

/**
 * A request body as the receiver core reads it: {@code array[offset, offset + length)}, valid until
 * {@link #release()}. A pooled network buffer is decoded in place and handed back to its pool by {@code release};
 * a plain array needs no release.
 */
public record RequestBody(byte[] array, int offset, int length, Runnable releaser) {

    public static RequestBody of(byte[] array) {
        return new RequestBody(array, 0, array.length, null);
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public void release() {
        if (releaser != null) {
            releaser.run();
        }
    }
}
