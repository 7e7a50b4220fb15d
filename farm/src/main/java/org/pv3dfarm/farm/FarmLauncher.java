package org.pv3dfarm.farm;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/farm}: starts the whole farm on this machine ({@link Farm}), prints where to reach it, optionally runs
 * the demo ({@link DemoJob}), and runs until Ctrl-C or SIGTERM, which stop everything cleanly.
 *
 * <p>Exit codes: 0 after {@code --help} or a successful {@code --demo --exit}; 1 when the farm or the demo fails;
 * 2 for a bad command line or environment.
 */
public final class FarmLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(FarmLauncher.class);
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private FarmLauncher() {
    }

    public static void main(String[] args) {
        int exitCode = run(args, System.getenv(), System.out, System.err);
        // Daemon-less threads of the libraries (Jetty, Kafka clients) must not keep a finished launcher alive.
        System.exit(exitCode);
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (FarmCommandLine.wantsHelp(args)) {
            out.print(FarmCommandLine.USAGE);
            return OK;
        }
        FarmOptions options;
        try {
            options = FarmCommandLine.parse(args, FarmEnvironment.apply(environment, FarmOptions.builder()));
        } catch (IllegalArgumentException e) {
            err.println("farm: " + e.getMessage());
            err.println("Try bin/farm --help");
            return USAGE;
        }
        Farm farm;
        try {
            farm = Farm.start(options);
        } catch (RuntimeException e) {
            LOG.error("the farm did not start", e);
            err.println("farm: the farm did not start: " + e.getMessage());
            return FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            farm.close();
            stopped.countDown();
        }, "pv3d-farm-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(FarmSummary.render(farm));
        if (options.demo()) {
            boolean demoOk = runDemo(farm, options, out, err);
            if (options.exitAfterDemo()) {
                Runtime.getRuntime().removeShutdownHook(hook);
                farm.close();
                return demoOk ? OK : FAILED;
            }
        }
        out.println("Farm running. Stop it with Ctrl-C.");
        awaitUninterruptibly(stopped);
        return OK;
    }

    private static boolean runDemo(Farm farm, FarmOptions options, PrintStream out, PrintStream err) {
        try {
            DemoJob.Result result = DemoJob.run(new JobApiClient(farm.apiUri()), options.demoFrames(),
                    farm.layout().demo(), options.demoTimeout(), out);
            out.println("demo: done in " + seconds(result.elapsed()) + " s");
            for (int view = 0; view < result.videos().size(); view++) {
                out.println("demo: MP4       " + result.videos().get(view));
                out.println("demo: presigned " + result.videoUrls().get(view));
            }
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.error("the demo failed", e);
            err.println("farm: the demo failed: " + e.getMessage());
            return false;
        }
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // Only the shutdown hook ends the farm.
            }
        }
    }
}
