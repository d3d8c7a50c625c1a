package io.spoor.server.receiver.otlp;

/** The body encoding of an OTLP export. gRPC is always protobuf. */
public enum WireFormat {
    PROTOBUF, JSON
}
