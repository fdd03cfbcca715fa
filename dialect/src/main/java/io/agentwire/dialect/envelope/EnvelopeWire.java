package io.agentwire.dialect.envelope;

import io.agentwire.core.WireFormat;
import io.agentwire.protocol.envelope.EnvelopeCodec;

/** The envelope wire format of a session event: encoded once per publication, shared by every connection. */
final class EnvelopeWire {
    /** The stored envelope with its {@code seq}, without the opening brace (see {@link EnvelopeCodec#sharedBody}). */
    static final WireFormat<byte[]> SESSION_EVENT = p -> EnvelopeCodec.sharedBody(p.data(), p.offset());

    private EnvelopeWire() { }
}
