package io.restock.delivery;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each message to a URL (body and headers from {@link WebhookRequests}); any 2xx answer is a
 * delivery. Each send runs on one of a fixed set of threads (as many as may be in flight), and the
 * request is written on that thread: everything but its last byte, then the gate logs the message
 * as leaving and writes the last byte. A provider cannot act on a request it has not received
 * whole, so a message is either logged as having left or certainly not delivered, whenever this
 * process dies. The signature is computed before the headers, and so before any byte, leave.
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final Timeout TIMEOUT = Timeout.ofSeconds(5);
  /**
   * The most one attempt may take, whatever the provider does: the timeout above is per read, so
   * a provider trickling its answer a byte at a time would otherwise hold a sending thread.
   */
  private static final long DEADLINE_SECONDS = 10;
  /** Enough for the JIT's first tier to compile the request path (it does so after about 200). */
  private static final int WARM_UP_REQUESTS = 2_000;
  private static final int WARM_UP_CONNECTIONS = 8;

  /** Runs on the sending thread around each request. */
  public interface SendGate {

    /**
     * All of the request but its last byte is out: run {@code release} to write that byte, or
     * throw {@link NotSent} without running it, and the request is abandoned incomplete. May
     * wait first.
     */
    void leaving(Notification notification, Runnable release);

    /** The provider did not take the message: an error answer, no answer, or no connection. */
    void notTaken(Notification notification);

    /**
     * The gate for warm-up requests (see {@link #warmUp()}): the same work on the way out, for
     * a message that cannot be mistaken for a real one and lets its request go.
     */
    SendGate forWarmUp();
  }

  private final URI url;
  private final SendGate gate;
  private final WebhookRequests requests;
  private final ExecutorService senders;
  private final ScheduledExecutorService deadlines;
  private final CloseableHttpClient client;
  /** Set by the first real message: the warm-up stops then. */
  private volatile boolean sending;

  public WebhookNotifier(URI url, int threads, SendGate gate, WebhookRequests requests) {
    this.url = url;
    this.gate = gate;
    this.requests = requests;
    if (requests.signingSecrets() == 0) {
      log.warn("NOTIFIER_WEBHOOK_SECRET is not set: webhook requests go unsigned, and the provider"
          + " cannot tell them from a forgery");
    } else {
      log.info("Webhook requests are signed (Standard Webhooks) with {} secret(s)",
          requests.signingSecrets());
    }
    AtomicInteger count = new AtomicInteger();
    this.senders = Executors.newFixedThreadPool(threads, r -> {
      Thread thread = new Thread(r, "webhook-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "webhook-deadline");
      thread.setDaemon(true);
      return thread;
    });
    this.client = newClient(threads);
  }

  /** Keep-alive connections, one per sending thread; no retries or redirects of its own. */
  private static CloseableHttpClient newClient(int connections) {
    return HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(connections)
            .setMaxConnPerRoute(connections)
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(2, TimeUnit.SECONDS)
                .setSocketTimeout(TIMEOUT)
                .build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom()
            .setResponseTimeout(TIMEOUT)
            .setConnectionRequestTimeout(TIMEOUT)
            .build())
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .build();
  }

  /**
   * Runs the whole request path (body, signature, client, and the gate's work before the last
   * byte) {@link #WARM_UP_REQUESTS} times against a throwaway server on loopback, off the
   * start-up path, with a client of its own. Until the JIT has compiled it, this path costs tens
   * of milliseconds a message: a service's first round would start late on every message and
   * lose a second's worth of its rate. Nothing is sent to the provider here.
   */
  public void warmUp() {
    SendGate warmGate = gate.forWarmUp();
    HttpServer local;
    try {
      local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      return;
    }
    local.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    ExecutorService answering = Executors.newFixedThreadPool(WARM_UP_CONNECTIONS);
    local.setExecutor(answering);
    local.start();
    URI target = URI.create("http://127.0.0.1:" + local.getAddress().getPort() + "/");
    long started = System.nanoTime();
    int made = 0;
    try (CloseableHttpClient warm = newClient(WARM_UP_CONNECTIONS)) {
      // A few at a time, and no more once a real message is under way: the warm-up is there
      // for the first round, and must not take the CPU from it.
      for (int from = 0; from < WARM_UP_REQUESTS && !sending; from += WARM_UP_CONNECTIONS) {
        CompletableFuture.allOf(IntStream.range(from, from + WARM_UP_CONNECTIONS)
            .mapToObj(i -> CompletableFuture.runAsync(() -> {
              Notification n = new Notification(0, "warm-up", i, 0, System.nanoTime(), "warm-up");
              post(warm, target, requests.attempt(n), release -> warmGate.leaving(n, release));
            }, senders))
            .toArray(CompletableFuture[]::new)).join();
        made += WARM_UP_CONNECTIONS;
      }
      log.info("Webhook path warmed up: {} requests in {} ms{}", made,
          (System.nanoTime() - started) / 1_000_000, sending ? ", cut short by the first round" : "");
    } catch (IOException | RuntimeException e) {
      // A warm-up that fails changes nothing: the first real sends will just be slower.
    } finally {
      local.stop(0);
      answering.shutdownNow();
    }
  }

  @Override
  public CompletableFuture<Void> send(Notification n) {
    sending = true;
    return CompletableFuture.runAsync(() -> {
      try {
        // Built here, when the attempt is made: its timestamp is the attempt's.
        post(client, url, requests.attempt(n), release -> gate.leaving(n, release));
      } catch (NotSent e) {
        throw e; // held back before its log entry: nothing to withdraw, and it may not be ours
      } catch (RuntimeException e) {
        gate.notTaken(n);
        throw e;
      }
    }, senders);
  }

  private void post(CloseableHttpClient client, URI target, WebhookRequests.Attempt attempt,
      Consumer<Runnable> lastByte) {
    HttpPost post = new HttpPost(target);
    attempt.headers().forEach(post::setHeader);
    post.setEntity(new LastByteHeldBack(attempt.body(), lastByte));
    int status;
    String retryAfter;
    ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, DEADLINE_SECONDS, TimeUnit.SECONDS);
    try {
      ClassicHttpResponse response = client.executeOpen(null, post, null);
      status = response.getCode();
      retryAfter = response.getFirstHeader("Retry-After") == null
          ? null : response.getFirstHeader("Retry-After").getValue();
      try (response) {
        EntityUtils.consume(response.getEntity());
      } catch (IOException bodyCutShort) {
        // The status line is the answer: a body that breaks off after it changes nothing, and
        // a 2xx must not become a retry.
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deadline.cancel(false);
    }
    if (status / 100 != 2) {
      throw new ProviderRefusal(status, retryAfter);
    }
  }

  /**
   * A JSON body whose last byte is written by whoever {@code lastByte} hands it to: until then
   * the provider holds an incomplete request, which it drops if the connection dies.
   */
  private static final class LastByteHeldBack extends AbstractHttpEntity {
    private final byte[] body;
    private final Consumer<Runnable> lastByte;

    LastByteHeldBack(byte[] body, Consumer<Runnable> lastByte) {
      super(ContentType.APPLICATION_JSON, null);
      this.body = body;
      this.lastByte = lastByte;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      out.write(body, 0, body.length - 1);
      out.flush();
      lastByte.accept(() -> {
        try {
          out.write(body, body.length - 1, 1);
          out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }

    @Override
    public long getContentLength() {
      return body.length;
    }

    @Override
    public InputStream getContent() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public boolean isRepeatable() {
      return false;
    }

    @Override
    public boolean isStreaming() {
      return false;
    }

    @Override
    public void close() {
      // Nothing to release: the body is an array.
    }
  }

  /** Lets the requests under way finish (a few seconds at most) before the connections close. */
  @Override
  public void close() {
    senders.shutdown();
    try {
      senders.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    senders.shutdownNow();
    deadlines.shutdownNow();
    try {
      client.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
