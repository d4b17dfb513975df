package io.chroma.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;

/** The chroma command line run in-process, as the tests drive it: its exit code and what it printed. */
public record CliResult(int code, String out, String err) {

    public static CliResult run(String... args) {
        return run(cl -> { }, args);
    }

    /** As {@link #run(String...)}, once {@code setUp} has adjusted the command line (a test's environment, say). */
    public static CliResult run(Consumer<CommandLine> setUp, String... args) {
        CommandLine cl = ChromaCli.commandLine(args); // as main builds it
        setUp.accept(cl);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliResult(code, out.toString(), err.toString());
    }

    /** The {@code error:} lines on stderr: a failure prints exactly one. */
    public List<String> errorLines() {
        return err.lines().filter(l -> l.startsWith("error:")).toList();
    }
}
