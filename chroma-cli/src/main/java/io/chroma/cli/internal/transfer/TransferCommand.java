package io.chroma.cli.internal.transfer;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** What export, import and copy share besides {@link Commands}: progress on stderr, the spec, the environment. */
abstract class TransferCommand implements Callable<Integer> {

    @Mixin
    ProgressOptions progressOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The environment (client auth variables); tests replace it. */
    Map<String, String> env = System.getenv();
}
