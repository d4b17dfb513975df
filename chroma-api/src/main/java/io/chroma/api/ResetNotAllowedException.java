package io.chroma.api;

/** {@link ChromaClient#reset()} on a client or server not configured to allow it. */
public class ResetNotAllowedException extends ChromaException {
    public static final String MESSAGE = "Resetting is not allowed by this configuration (to enable it, set "
            + "`allow_reset` to `True` in your Settings() or include `ALLOW_RESET=TRUE` in your environment variables)";

    public ResetNotAllowedException() {
        super("ChromaError", MESSAGE);
    }

    public ResetNotAllowedException(String message) {
        super("ChromaError", message);
    }
}
