package io.chroma.cli.internal.transfer;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Progress on stderr: a bar redrawn in place when stderr is a terminal; otherwise (a log file, a
 * CI job) a plain line every {@code intervalMillis}, since carriage returns make logs unreadable.
 */
final class Progress {
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final long intervalNanos;
    private final boolean quiet;
    private String label = "";
    private long total;
    private long done;
    private long started;
    private long lastShown;

    Progress(PrintWriter err, boolean terminal, long intervalMillis, boolean quiet) {
        this.err = err;
        this.terminal = terminal;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.quiet = quiet;
    }

    /**
     * Whether stderr is a terminal. Java can only ask about the console as a whole, so on Linux the
     * file descriptor itself is asked (a redirected stderr with a terminal stdout gets plain lines).
     */
    static boolean stderrIsTerminal() {
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(fd2)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (Exception e) {
                // fall through to the console check
            }
        }
        java.io.Console c = System.console();
        return c != null; // JDK 21 (our release level): non-null only for an interactive console
    }

    /** Starts counting one collection; {@code total < 0} when unknown. */
    void start(String label, long total) {
        this.label = label;
        this.total = total;
        this.done = 0;
        this.started = System.nanoTime();
        this.lastShown = started;
    }

    void advance(long n) {
        done += n;
        long now = System.nanoTime();
        if (quiet) {
            return;
        }
        if (terminal) {
            if (now - lastShown >= 100_000_000L) { // redraw at most 10 times a second
                lastShown = now;
                err.print("\r" + line(now));
                err.flush();
            }
        } else if (now - lastShown >= intervalNanos) {
            lastShown = now;
            err.println(line(now));
            err.flush();
        }
    }

    /** Ends the collection's progress with a final line (also when quiet: the summary is what scripts log). */
    void finish(String summary) {
        if (terminal && !quiet) {
            err.print("\r\033[K");
        }
        err.println(summary);
        err.flush();
    }

    long done() {
        return done;
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private String line(long now) {
        double secs = Math.max((now - started) / 1e9, 1e-9);
        String rate = String.format(Locale.ROOT, "%.0f records/s", done / secs);
        if (total <= 0) {
            return label + ": " + done + " records, " + rate;
        }
        double frac = Math.min(1.0, (double) done / total);
        if (!terminal) {
            return String.format(Locale.ROOT, "%s: %d/%d records (%.0f%%), %s", label, done, total, frac * 100, rate);
        }
        int filled = (int) Math.round(frac * BAR_WIDTH);
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d %3.0f%% %s", label, "#".repeat(filled),
                " ".repeat(BAR_WIDTH - filled), done, total, frac * 100, rate);
    }
}
