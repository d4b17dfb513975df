package io.chroma.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Looks at the server from outside: its memory (/proc), its data directory (du), and the machine.
 * Every probe is best-effort: a missing /proc entry or tool gives null, never a failed run.
 */
public final class Probe {

    private Probe() {
    }

    /** Runs a command, returns its trimmed stdout, or null if it failed or took over 60 s. */
    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The PID printed (first integer token) by a shell command such as {@code cat server.pid}. */
    static Integer pidFromCommand(String shellCommand) {
        String out = run(List.of("bash", "-c", shellCommand));
        if (out == null || out.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(out.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A field of /proc/PID/status in KiB (e.g. VmRSS, VmHWM), or null. */
    static Long statusKiB(int pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The process and all its descendants (a launcher script may fork the real server). */
    static List<Integer> tree(int pid) {
        List<Integer> out = new ArrayList<>();
        out.add(pid);
        for (int i = 0; i < out.size(); i++) {
            Path tasks = Path.of("/proc", String.valueOf(out.get(i)), "task");
            try (var dirs = Files.list(tasks)) {
                for (Path t : (Iterable<Path>) dirs::iterator) {
                    try {
                        String children = Files.readString(t.resolve("children")).trim();
                        if (!children.isEmpty()) {
                            for (String c : children.split("\\s+")) {
                                int child = Integer.parseInt(c);
                                if (!out.contains(child)) {
                                    out.add(child);
                                }
                            }
                        }
                    } catch (IOException | NumberFormatException e) {
                        // the task ended while we looked
                    }
                }
            } catch (IOException e) {
                // the process ended while we looked
            }
        }
        return out;
    }

    /** Summed {@code field} over the process tree, or null when the process is gone. */
    static Long treeKiB(int pid, String field) {
        Long total = null;
        for (int p : tree(pid)) {
            Long v = statusKiB(p, field);
            if (v != null) {
                total = (total == null ? 0 : total) + v;
            }
        }
        return total;
    }

    /** {@code du -sk DIR}: allocated KiB, what the disk actually holds. */
    static Long duKiB(Path dir) {
        String out = run(List.of("du", "-sk", dir.toString()));
        if (out == null || out.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(out.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static BenchResult.Environment environment(Path repo, String loadStart, String loadEnd) {
        String nprocOut = run(List.of("nproc"));
        int nproc = nprocOut != null && nprocOut.matches("\\d+") ? Integer.parseInt(nprocOut)
                : Runtime.getRuntime().availableProcessors();
        long mem = -1;
        String cpu = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    mem = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: leave unknown
        }
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        String jdk = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version");
        return new BenchResult.Environment(nproc, mem, cpu, os, jdk, gitCommit(repo), loadStart, loadEnd);
    }

    /** HEAD of the repository, with "+dirty" when the work tree has changes (read-only git calls). */
    static String gitCommit(Path repo) {
        if (repo == null) {
            return null;
        }
        String head = run(List.of("git", "-C", repo.toString(), "rev-parse", "--short=12", "HEAD"));
        if (head == null) {
            return null;
        }
        String status = run(List.of("git", "-C", repo.toString(), "status", "--porcelain", "--untracked-files=no"));
        return status != null && !status.isEmpty() ? head + "+dirty" : head;
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
