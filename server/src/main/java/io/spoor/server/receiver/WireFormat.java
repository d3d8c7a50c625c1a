package io.spoor.server.receiver;

/** The body encoding of an OTLP export. gRPC is always protobuf. */
public enum WireFormat {
    PROTOBUF, JSON
}
