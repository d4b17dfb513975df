package io.chroma.server.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The per-request trace id: taken from the {@code chroma-trace-id} request header when it is a sane token (1 to
 * 128 characters from {@code [A-Za-z0-9._:-]}, so a header cannot inject spaces, quotes or line breaks into a log
 * line), else from a W3C {@code traceparent}, otherwise generated; echoed in the response header of the same name
 * and put in the logging MDC under {@code trace_id}.
 */
public final class TraceId {

    /** Request and response header carrying the trace id. */
    public static final String HEADER = "chroma-trace-id";
    /** W3C Trace Context header; its trace-id is used when {@link #HEADER} is absent. */
    public static final String TRACEPARENT = "traceparent";
    /** MDC key: log patterns show it with {@code %X{trace_id}}. */
    public static final String MDC_KEY = "trace_id";
    /** Longer given ids are replaced: an id is for correlating lines, not for carrying data into logs. */
    static final int MAX_LENGTH = 128;

    private TraceId() {
    }

    /**
     * The id for a request: its {@code chroma-trace-id} when acceptable, else the trace-id of a well-formed W3C
     * {@code traceparent} (so lines correlate with a client's OpenTelemetry trace), else a fresh one.
     */
    public static String of(String chromaTraceId, String traceparent) {
        if (isAcceptable(chromaTraceId)) {
            return chromaTraceId;
        }
        String w3c = w3cTraceId(traceparent);
        return w3c != null ? w3c : generate();
    }

    /** {@code 00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>}, trace-id not all zeros; else null. */
    static String w3cTraceId(String traceparent) {
        if (traceparent == null || traceparent.length() < 55 || traceparent.charAt(2) != '-'
                || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-') {
            return null;
        }
        String id = traceparent.substring(3, 35);
        boolean nonZero = false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
            nonZero |= c != '0';
        }
        return nonZero ? id : null;
    }

    static boolean isAcceptable(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * 32 lower-case hex digits, the shape of a W3C trace-id, so the id can be handed to a tracing system later.
     * ThreadLocalRandom, not SecureRandom: the id correlates log lines, it guards nothing, and this is on every
     * request.
     */
    static String generate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = r.nextLong();
        long lo = r.nextLong();
        if (hi == 0 && lo == 0) {
            lo = 1; // all zeros is W3C's "invalid" trace id
        }
        char[] out = new char[32];
        hex(hi, out, 0);
        hex(lo, out, 16);
        return new String(out);
    }

    private static void hex(long v, char[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = Character.forDigit((int) (v & 0xF), 16);
            v >>>= 4;
        }
    }
}
