package org.phrasebook.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Slowloris-style clients: connections that send a request a byte at a time, all driven by
 * one thread over non-blocking sockets, each noting when and how the server closed it.
 */
final class Tricklers implements AutoCloseable {

    /** One slow connection: what it still has to send, and what the server did to it. */
    static final class Trickle {
        private final SocketChannel channel;
        private final byte[] request;
        private int sent;
        private final StringBuilder answer = new StringBuilder();
        private final long openedAt = System.nanoTime();
        private volatile long lastByteAt = openedAt;
        private volatile long closedAt;
        private volatile String closedHow;

        private Trickle(SocketChannel channel, byte[] request) {
            this.channel = channel;
            this.request = request;
        }

        boolean isClosed() {
            return closedAt != 0;
        }

        /** How long after its last byte the server closed it. */
        Duration closedAfterLastByte() {
            return Duration.ofNanos(closedAt - lastByteAt);
        }

        Duration openFor() {
            return Duration.ofNanos((closedAt != 0 ? closedAt : System.nanoTime()) - openedAt);
        }

        /** The first line of what the server answered before closing, if anything. */
        String answer() {
            synchronized (answer) {
                return answer.toString().lines().findFirst().orElse("");
            }
        }

        @Override
        public String toString() {
            return "trickle after %d of %d bytes, open %d ms: %s%s".formatted(sent, request.length, openFor().toMillis(),
                    isClosed() ? "closed (" + closedHow + ") " + closedAfterLastByte().toMillis() + " ms after its last byte"
                            : "still open", answer().isEmpty() ? "" : ", answered \"" + answer() + "\"");
        }

        private void tick(ByteBuffer readBuffer) {
            if (isClosed()) {
                return;
            }
            try {
                readBuffer.clear();
                int read = channel.read(readBuffer);
                if (read > 0) {
                    synchronized (answer) {
                        answer.append(new String(readBuffer.array(), 0, read, StandardCharsets.ISO_8859_1));
                    }
                }
                if (read < 0) {
                    close("EOF");
                    return;
                }
                if (sent < request.length) {
                    sent += channel.write(ByteBuffer.wrap(request, sent, 1));
                    lastByteAt = System.nanoTime();
                }
            } catch (IOException e) {
                close(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        private void close(String how) {
            closedHow = how;
            closedAt = System.nanoTime();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    private final List<Trickle> trickles = new CopyOnWriteArrayList<>();
    private final Duration interval;
    private final Thread driver;
    private volatile boolean running = true;

    /** Sends one byte of every open trickle each {@code interval}. */
    Tricklers(Duration interval) {
        this.interval = interval;
        this.driver = new Thread(this::drive, "tricklers");
        driver.setDaemon(true);
        driver.start();
    }

    /**
     * Opens a connection that sends {@code atOnce} at once, then {@code trickled} a byte at a
     * time, and stops sending (but stays open) after {@code upTo} bytes of it.
     */
    Trickle open(int port, String atOnce, String trickled, int upTo) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ByteBuffer head = ByteBuffer.wrap(atOnce.getBytes(StandardCharsets.UTF_8));
        while (head.hasRemaining()) {
            channel.write(head);
        }
        channel.configureBlocking(false);
        byte[] bytes = trickled.getBytes(StandardCharsets.UTF_8);
        byte[] limited = new byte[Math.min(upTo, bytes.length)];
        System.arraycopy(bytes, 0, limited, 0, limited.length);
        Trickle trickle = new Trickle(channel, limited);
        trickles.add(trickle);
        return trickle;
    }

    List<Trickle> all() {
        return new ArrayList<>(trickles);
    }

    private void drive() {
        ByteBuffer readBuffer = ByteBuffer.allocate(8192);
        while (running) {
            for (Trickle trickle : trickles) {
                trickle.tick(readBuffer);
            }
            AddLoad.sleep(interval);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        driver.join(5_000);
        for (Trickle trickle : trickles) {
            if (!trickle.isClosed()) {
                trickle.close("by the test");
            }
        }
    }
}
