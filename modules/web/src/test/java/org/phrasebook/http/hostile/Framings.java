package org.phrasebook.http.hostile;

import java.util.Optional;

/** Bodies whose framing the server must refuse, whatever they contain (RFC 9112 section 6). */
final class Framings {

    private Framings() {
    }

    /** Framing Jetty must refuse before the app sees the request. */
    static Optional<Expectation> malformed(RawRequest request) {
        return switch (request.framing()) {
            case CONFLICTING_LENGTHS -> Optional.of(Expectation.refused(
                    "two different Content-Length values are an unrecoverable framing error", 400));
            case GARBAGE_LENGTH -> Optional.of(Expectation.refused("a Content-Length that is not a number", 400));
            default -> Optional.empty();
        };
    }

    /** A body that ends before its Content-Length, for an app that reads it: the client's fault. */
    static Expectation cutShort(RawRequest request, int maxBodyBytes) {
        Expectation cut = Expectation.refused("the body ended before its Content-Length: nothing to add", 400, 408);
        // The declared length alone may already be too large.
        return request.body().length + 10 > maxBodyBytes ? cut.orRefused("declared body over 16 KiB", 413) : cut;
    }

    /** Transfer-Encoding with Content-Length: chunked wins, or the server refuses (RFC 9112 6.3). */
    static Expectation allowingAmbiguity(RawRequest request, Expectation asChunked) {
        return request.framing() == RawRequest.Framing.CHUNKED_AND_LENGTH
                ? asChunked.orRefused("Transfer-Encoding together with Content-Length may be refused", 400)
                : asChunked;
    }
}
