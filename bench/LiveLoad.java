import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/live.sh's load client (JDK 17+, no dependencies: {@code java bench/LiveLoad.java}).
 *
 * <pre>java bench/LiveLoad.java STREAM_URL ADD_URL STREAMS RATE SECONDS TAG CONTROL_FILE OWNER_PID</pre>
 *
 * Opens STREAMS Server-Sent Event streams on STREAM_URL ({@code /api/phrases/stream} of
 * replica B), each its own HTTP/1.1 connection, all read by one thread, and prints
 * {@code LIVE ready ...} once every one has its {@code retry:} line. Then it holds them idle and follows CONTROL_FILE, a file
 * the script appends commands to: {@code adds NAME} sends {@code POST /api/phrases} with a
 * unique text to ADD_URL (replica A) at RATE a second for SECONDS, open loop (a slow answer
 * does not delay the next send), waits until every stream got every acknowledged add (10 s
 * at most), and prints the round's figures as {@code LIVE NAME key value} lines, then
 * {@code LIVE NAME done}; {@code quit} ends the run. Latency is from the moment an add was
 * sent to the moment its {@code id:} line reached a stream, on one clock (this JVM's
 * nanoTime). It exits on its own when OWNER_PID (the script) is gone. The adds go through
 * java.net.http.HttpClient; the streams through java.nio (see {@link #openStreams}).
 */
public final class LiveLoad {

    /** A round waits for late events as long as they keep coming, until none came for this long. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long DRAIN_MAX_NANOS = TimeUnit.SECONDS.toNanos(300);
    private static final long OPEN_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int OPENING_AT_ONCE = 50;
    /**
     * The reader reads each stream at most this often: a stream then gets two events a read
     * at 100 adds/s instead of one, halving the client's system calls on the cores it shares
     * with the app. Arrival times are thus up to this late, never early.
     */
    private static final long READ_PAUSE_MILLIS = 20;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println("usage: java LiveLoad.java STREAM_URL ADD_URL STREAMS RATE SECONDS TAG CONTROL_FILE OWNER_PID");
            System.exit(2);
        }
        URI streamUri = URI.create(args[0]);
        URI addUri = URI.create(args[1]);
        int streams = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        String tag = args[5];
        Path control = Path.of(args[6]);
        long owner = Long.parseLong(args[7]);

        List<Stream> open = openStreams(streamUri, streams);
        HttpClient adds = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        int seen = 0;
        while (true) {
            List<String> commands = Files.exists(control) ? Files.readAllLines(control) : List.of();
            for (; seen < commands.size(); seen++) {
                String[] command = commands.get(seen).trim().split("\\s+");
                switch (command[0]) {
                    case "adds" -> new Round(command[1], open, adds, addUri, rate, seconds, tag).run();
                    case "quit" -> {
                        report("all", "streams_ended_early", Stream.ended(open));
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown command: " + commands.get(seen));
                }
            }
            if (ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true)) {
                System.err.println("LiveLoad: the script (pid " + owner + ") is gone: stopping");
                System.exit(1);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Opens every stream, OPENING_AT_ONCE at a time, on one thread that then reads them all
     * (java.nio, one selector): the JDK's HttpClient took more CPU than the app to read
     * 100,000 events a second, so it would have measured itself.
     */
    private static List<Stream> openStreams(URI uri, int count) throws Exception {
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        byte[] request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Selector selector = Selector.open();
        List<Stream> streams = new ArrayList<>();
        CountDownLatch settled = new CountDownLatch(count);
        long t0 = System.nanoTime();
        Thread reader = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            int opening = 0;
            try {
                while (true) {
                    while (streams.size() < count && opening < OPENING_AT_ONCE) {
                        SocketChannel channel = SocketChannel.open(address);
                        channel.configureBlocking(false);
                        channel.write(ByteBuffer.wrap(request)); // a few dozen bytes on a new socket: written whole
                        Stream stream = new Stream(channel);
                        channel.register(selector, SelectionKey.OP_READ, stream);
                        synchronized (streams) {
                            streams.add(stream);
                        }
                        opening++;
                    }
                    long woke = System.nanoTime();
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        Stream stream = (Stream) key.attachment();
                        boolean wasSettled = stream.settled();
                        stream.read(buffer);
                        if (!wasSettled && stream.settled()) {
                            opening--;
                            settled.countDown();
                        }
                        if (stream.ended) {
                            key.cancel();
                        }
                    }
                    selector.selectedKeys().clear();
                    long rest = READ_PAUSE_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - woke);
                    if (rest > 0 && settled.getCount() == 0) {
                        Thread.sleep(rest);
                    }
                }
            } catch (IOException | InterruptedException e) {
                System.err.println("LiveLoad: the streams' reader failed: " + e);
                System.exit(1);
            }
        }, "streams");
        reader.setDaemon(true);
        reader.start();
        settled.await(OPEN_NANOS, TimeUnit.NANOSECONDS);
        List<Stream> opened;
        synchronized (streams) {
            opened = List.copyOf(streams);
        }
        long ready = opened.stream().filter(Stream::isReady).count();
        System.out.printf("LIVE ready %d of %d in %d ms; refused %d%n", ready, count,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Stream.refused.get());
        System.out.flush();
        return opened;
    }

    static void report(String round, String key, Object value) {
        System.out.println("LIVE " + round + " " + key + " " + value);
        System.out.flush();
    }

    /**
     * One stream: its HTTP/1.1 response read as it comes (status line, headers, then the
     * chunked body), each {@code id:} line recorded with its arrival time. Only the start of
     * a line is kept, to tell the kinds apart. Read by the one reader thread.
     */
    static final class Stream {

        static final AtomicInteger refused = new AtomicInteger();
        private static final byte[] ID_LINE = "id: ".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] RETRY_LINE = "retry:".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] OK = "HTTP/1.1 200 ".getBytes(StandardCharsets.US_ASCII);

        private enum Part { STATUS, HEADERS, SIZE, DATA, DATA_END }

        private final SocketChannel channel;
        private final byte[] line = new byte[32];
        private int lineLength;
        private Part part = Part.STATUS;
        private long chunkLeft;
        private boolean chunked;
        private volatile boolean ready;
        private volatile boolean ended;
        private long[] ids = new long[1024];
        private long[] arrivals = new long[1024];
        private int received;

        Stream(SocketChannel channel) {
            this.channel = channel;
        }

        static long ended(List<Stream> streams) {
            return streams.stream().filter(s -> s.ended).count();
        }

        boolean isReady() {
            return ready && !ended;
        }

        boolean settled() {
            return ready || ended;
        }

        synchronized int received() {
            return received;
        }

        /** The ids and arrival times from position {@code from} on. */
        synchronized long[][] since(int from) {
            return new long[][] {Arrays.copyOfRange(ids, from, received), Arrays.copyOfRange(arrivals, from, received)};
        }

        void read(ByteBuffer buffer) {
            try {
                while (true) {
                    buffer.clear();
                    int n = channel.read(buffer);
                    if (n < 0) {
                        end();
                        return;
                    }
                    if (n == 0) {
                        return;
                    }
                    long now = System.nanoTime();
                    buffer.flip();
                    while (buffer.hasRemaining() && !ended) {
                        take(buffer, now);
                    }
                    if (n < buffer.capacity()) {
                        return; // all there was: no second read (a system call) to learn it
                    }
                }
            } catch (IOException e) {
                end();
            }
        }

        private void end() {
            ended = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        private void take(ByteBuffer buffer, long now) {
            if (part == Part.DATA) {
                int n = (int) Math.min(chunkLeft, buffer.remaining());
                for (int i = 0; i < n; i++) {
                    bodyByte(buffer.get(), now);
                }
                if ((chunkLeft -= n) == 0) {
                    part = Part.DATA_END;
                }
                return;
            }
            byte b = buffer.get();
            if (b != '\n') {
                if (lineLength < line.length) {
                    line[lineLength++] = b;
                }
                return;
            }
            int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
            lineLength = 0;
            switch (part) {
                case STATUS -> {
                    if (length < OK.length || !Arrays.equals(line, 0, OK.length, OK, 0, OK.length)) {
                        refused.incrementAndGet();
                        end();
                    }
                    part = Part.HEADERS;
                }
                case HEADERS -> {
                    if (length == 0) {
                        part = chunked ? Part.SIZE : Part.DATA;
                        chunkLeft = chunked ? 0 : Long.MAX_VALUE;
                    } else if (new String(line, 0, length, StandardCharsets.US_ASCII).toLowerCase().startsWith("transfer-encoding: chunked")) {
                        chunked = true;
                    }
                }
                case SIZE -> {
                    chunkLeft = Long.parseLong(new String(line, 0, length, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
                    part = chunkLeft == 0 ? Part.STATUS : Part.DATA; // a last chunk: the response ended
                    if (chunkLeft == 0) {
                        end();
                    }
                }
                case DATA_END -> part = Part.SIZE; // the CRLF after a chunk's data
                default -> throw new IllegalStateException(part.name());
            }
        }

        /** One byte of the event stream itself. */
        private void bodyByte(byte b, long now) {
            if (b != '\n') {
                if (lineLength < line.length) {
                    line[lineLength++] = b;
                }
                return;
            }
            if (startsWith(ID_LINE)) {
                long id = 0;
                for (int i = ID_LINE.length; i < lineLength; i++) {
                    id = id * 10 + (line[i] - '0');
                }
                record(id, now);
            } else if (!ready && startsWith(RETRY_LINE)) {
                ready = true;
            }
            lineLength = 0;
        }

        private boolean startsWith(byte[] prefix) {
            return lineLength >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
        }

        private synchronized void record(long id, long now) {
            if (received == ids.length) {
                ids = Arrays.copyOf(ids, received * 2);
                arrivals = Arrays.copyOf(arrivals, received * 2);
            }
            ids[received] = id;
            arrivals[received++] = now;
        }
    }

    /** One round of adds through replica A, and what every stream on replica B got of them. */
    record Round(String name, List<Stream> streams, HttpClient client, URI addUri, int rate, int seconds, String tag) {

        void run() throws InterruptedException {
            int total = rate * seconds;
            long[] sent = new long[total];
            long[] answered = new long[total];
            long[] idOf = new long[total];
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            // The streams open at the start are counted: one that ends during the round misses adds.
            int[] marks = new int[streams.size()];
            boolean[] counted = new boolean[streams.size()];
            for (int s = 0; s < marks.length; s++) {
                marks[s] = streams.get(s).received();
                counted[s] = streams.get(s).isReady();
            }
            long endedBefore = Stream.ended(streams);
            CountDownLatch done = new CountDownLatch(total);
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            for (int i = 0; i < total; i++) {
                long due = t0 + i * period;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                int n = i;
                HttpRequest add = HttpRequest.newBuilder(addUri).timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json").header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"live " + tag + "-" + name + "-" + n + "\"}"))
                        .build();
                sent[n] = System.nanoTime();
                client.sendAsync(add, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                    answered[n] = System.nanoTime();
                    Matcher id = response == null ? null : ID.matcher(response.body());
                    if (response != null && response.statusCode() == 201 && id.find()) {
                        idOf[n] = Long.parseLong(id.group(1));
                    } else {
                        failed.incrementAndGet();
                        if (failures.incrementAndGet() <= 3) {
                            System.err.println("LiveLoad: add " + n + " failed: "
                                    + (response == null ? failure : response.statusCode() + " " + response.body()));
                        }
                    }
                    done.countDown();
                });
            }
            long sendSeconds = System.nanoTime() - t0;
            done.await(10, TimeUnit.SECONDS);
            long unanswered = done.getCount();
            Map<Long, Integer> indexOf = new HashMap<>();
            for (int i = 0; i < total; i++) {
                if (idOf[i] != 0) {
                    indexOf.put(idOf[i], i);
                }
            }
            int acked = indexOf.size();

            // Wait until every stream has as many events as there were acknowledged adds: a
            // backlog is waited for (its events are late, not missing) while it shrinks.
            long drainStart = System.nanoTime();
            long progressAt = drainStart;
            long lastCount = -1;
            while (System.nanoTime() - drainStart < DRAIN_MAX_NANOS && System.nanoTime() - progressAt < STALL_NANOS) {
                boolean complete = true;
                long count = 0;
                for (int s = 0; s < marks.length; s++) {
                    int got = streams.get(s).received() - marks[s];
                    count += got;
                    complete &= !streams.get(s).isReady() || got >= acked;
                }
                if (complete) {
                    break;
                }
                if (count != lastCount) {
                    lastCount = count;
                    progressAt = System.nanoTime();
                }
                Thread.sleep(20);
            }
            long caughtUp = System.nanoTime() - drainStart;
            Thread.sleep(200); // a duplicate, if any, would follow right behind
            long cpu = cpuNanos() - cpu0;

            long[] first = new long[total];
            long[] last = new long[total];
            Arrays.fill(first, Long.MAX_VALUE);
            long[] latencies = new long[0];
            int count = 0;
            long missing = 0, duplicate = 0, foreign = 0, outOfOrder = 0, streamsCounted = 0;
            for (int s = 0; s < marks.length; s++) {
                if (!counted[s]) {
                    continue;
                }
                Stream stream = streams.get(s);
                streamsCounted++;
                long[][] got = stream.since(marks[s]);
                BitSet seen = new BitSet(total);
                long previous = 0;
                for (int k = 0; k < got[0].length; k++) {
                    Integer i = indexOf.get(got[0][k]);
                    if (i == null) {
                        foreign++;
                        continue;
                    }
                    if (got[0][k] < previous) {
                        outOfOrder++;
                    }
                    previous = got[0][k];
                    if (seen.get(i)) {
                        duplicate++;
                        continue;
                    }
                    seen.set(i);
                    first[i] = Math.min(first[i], got[1][k]);
                    last[i] = Math.max(last[i], got[1][k]);
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, Math.max(1024, count * 2));
                    }
                    latencies[count++] = got[1][k] - sent[i];
                }
                missing += acked - seen.cardinality();
            }
            latencies = Arrays.copyOf(latencies, count);
            Arrays.sort(latencies);
            long[] addTimes = indexOf.values().stream().mapToLong(i -> answered[i] - sent[i]).sorted().toArray();

            // Every add's timeline, for the raw log: when it was sent (from the round's start),
            // its answer, and its first and last arrival on B's streams (ms after it was sent).
            StringBuilder timeline = new StringBuilder("LiveLoad " + name + ": add, id, sent at, answered after, first and last arrival after (ms)\n");
            for (int i = 0; i < total; i++) {
                timeline.append(String.format("  %d %d %.1f %.1f %s %s%n", i, idOf[i], (sent[i] - t0) / 1e6,
                        (answered[i] - sent[i]) / 1e6, first[i] == Long.MAX_VALUE ? "-" : ms(first[i] - sent[i]),
                        last[i] == 0 ? "-" : ms(last[i] - sent[i])));
            }
            System.err.print(timeline);
            report(name, "streams", streamsCounted);
            report(name, "streams_ended", Stream.ended(streams) - endedBefore);
            report(name, "adds_sent", total);
            report(name, "adds_ok", acked);
            report(name, "adds_failed", failed.get());
            report(name, "adds_unanswered", unanswered);
            report(name, "drain_s", String.format("%.1f", caughtUp / 1e9));
            report(name, "send_rate", String.format("%.1f", total / (sendSeconds / 1e9)));
            report(name, "add_p50_ms", ms(percentile(addTimes, 50)));
            report(name, "add_p99_ms", ms(percentile(addTimes, 99)));
            report(name, "deliveries_expected", streamsCounted * acked);
            report(name, "delivered", count);
            report(name, "missing", missing);
            report(name, "duplicate", duplicate);
            report(name, "foreign", foreign);
            report(name, "out_of_order", outOfOrder);
            report(name, "latency_p50_ms", ms(percentile(latencies, 50)));
            report(name, "latency_p99_ms", ms(percentile(latencies, 99)));
            report(name, "latency_max_ms", ms(latencies.length == 0 ? -1 : latencies[latencies.length - 1]));
            report(name, "client_cpu_s", String.format("%.1f", cpu / 1e9));
            report(name, "done", "");
        }

        private static long percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return -1;
            }
            int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
        }

        private static String ms(long nanos) {
            return nanos < 0 ? "n/a" : String.format("%.1f", nanos / 1e6);
        }

        private static long cpuNanos() {
            return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
    }
}
