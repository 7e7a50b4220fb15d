package org.pv3dfarm.farm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a JVM's CPU time goes, by thread group: every thread's CPU time is sampled every 100 ms between
 * {@link #start()} and {@link #stop()}, so that short-lived threads (a job's writer) count too (all but their last
 * 100 ms), and summed by thread name with numbers and ids folded ({@code pv3d-writer-<job>} →
 * {@code pv3d-writer-*}). Native threads that the JVM does not know (ONNX Runtime's intra-op pool, x264's encoder
 * threads, GC and JIT) are not seen there; on Linux {@link #osGroups()} has every thread of the process by its OS
 * name ({@code /proc/self/task/TID/comm}, 15 characters; a native thread inherits its creator's name, so x264's
 * threads count under the job writer that opened the encoder), read at the start and the stop only (reading
 * /proc every 100 ms cost 1.4 CPU ms a farm frame), with 10 ms clock ticks: threads that ended in between are
 * missing from it.
 */
final class ThreadCpuProfile {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> first = new HashMap<>();
    private final Map<Long, Long> last = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final Map<String, Long> osFirst = new HashMap<>();
    private final Map<String, Long> osLast = new HashMap<>();
    private final Map<String, String> osNames = new HashMap<>();
    private volatile boolean running;
    private Thread sampler;

    /** Starts sampling. */
    ThreadCpuProfile start() {
        sampleOs(true);
        sample(true);
        running = true;
        sampler = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                sample(false);
            }
        }, "cpu-profile-sampler");
        sampler.setDaemon(true);
        sampler.start();
        return this;
    }

    /** Stops sampling; CPU nanoseconds per thread group since {@link #start()}, largest first. */
    Map<String, Long> stop() throws InterruptedException {
        running = false;
        sampler.join();
        sample(false);
        sampleOs(false);
        Map<String, Long> groups = new HashMap<>();
        last.forEach((id, cpu) -> groups.merge(group(names.get(id)), cpu - first.getOrDefault(id, 0L), Long::sum));
        Map<String, Long> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** CPU nanoseconds per OS thread name (numbers folded) since {@link #start()}, largest first; empty off Linux. */
    synchronized Map<String, Long> osGroups() {
        Map<String, Long> groups = new HashMap<>();
        osLast.forEach((tid, ticks) -> groups.merge(osNames.get(tid).replaceAll("\\d+", "#"),
                (ticks - osFirst.getOrDefault(tid, 0L)) * 10_000_000L, Long::sum));
        Map<String, Long> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** utime + stime ticks of every thread of this process, by thread directory name. */
    private synchronized void sampleOs(boolean initial) {
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return;
        }
        for (java.io.File task : tasks) {
            try {
                String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                String tid = task.getName();
                if (!osNames.containsKey(tid)) {
                    osNames.put(tid, java.nio.file.Files.readString(task.toPath().resolve("comm")).trim());
                }
                if (initial) {
                    osFirst.put(tid, ticks);
                }
                osLast.put(tid, ticks);
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended between the listing and the read
            }
        }
    }

    private synchronized void sample(boolean initial) {
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || info.getThreadName().equals("cpu-profile-sampler")) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) {
                continue;
            }
            if (initial) {
                first.put(info.getThreadId(), cpu);
            }
            last.put(info.getThreadId(), cpu);
            names.put(info.getThreadId(), info.getThreadName());
        }
    }

    static String group(String threadName) {
        String name = threadName.contains(" | ") ? threadName.substring(0, threadName.indexOf(" | ")) : threadName;
        if (name.startsWith("pv3d-writer-") || name.startsWith("pv3d-job-") || name.startsWith("pv3d-worker-")) {
            return name.substring(0, name.indexOf('-', 5) + 1) + "*";
        }
        return name.replaceAll("(?<=[-_.])\\d+", "#");
    }
}
