package io.agentwire.protocol.envelope;

import io.agentwire.core.ErrorCode;

/** What {@link EnvelopeCodec#decode} makes of one text frame: an envelope, or why it is not one. */
public sealed interface EnvelopeDecodeResult {

    record Ok(Envelope envelope) implements EnvelopeDecodeResult { }

    /**
     * @param field the offending field, or null when the message as a whole is wrong
     * @param detail a human explanation, safe to send to the client
     */
    record Invalid(ErrorCode code, String field, String detail) implements EnvelopeDecodeResult { }
}
