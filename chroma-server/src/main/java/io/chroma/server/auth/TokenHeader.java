package io.chroma.server.auth;

import java.util.Locale;

/** The header a token travels in. */
public enum TokenHeader {
    /** {@code Authorization: Bearer <token>} (the default). */
    AUTHORIZATION("Authorization"),
    /** {@code X-Chroma-Token: <token>}. */
    X_CHROMA_TOKEN("X-Chroma-Token");

    private final String headerName;

    TokenHeader(String headerName) {
        this.headerName = headerName;
    }

    /** The HTTP header name. */
    public String headerName() {
        return headerName;
    }

    /**
     * Accepts both spellings Chroma used: the enum names of 0.4 ({@code AUTHORIZATION}, {@code X_CHROMA_TOKEN})
     * and the header names the 0.5 docs show ({@code Authorization}, {@code X-Chroma-Token}), case-insensitively.
     *
     * @param value   blank means {@link #AUTHORIZATION}
     * @param setting named in the error message
     */
    public static TokenHeader parse(String value, String setting) {
        if (value == null || value.isBlank()) {
            return AUTHORIZATION;
        }
        String v = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        return switch (v) {
            case "AUTHORIZATION" -> AUTHORIZATION;
            case "X_CHROMA_TOKEN" -> X_CHROMA_TOKEN;
            default -> throw new AuthConfigurationException("Unknown token transport header '" + value.strip()
                    + "' in " + setting + "; expected Authorization or X-Chroma-Token");
        };
    }
}
