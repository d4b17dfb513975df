package io.chroma.client;

/** Where a token goes, as in Chroma's clients ({@code chroma_auth_token_transport_header}). */
public enum TokenHeader {
    /** {@code Authorization: Bearer <token>} */
    AUTHORIZATION,
    /** {@code X-Chroma-Token: <token>} */
    X_CHROMA_TOKEN
}
