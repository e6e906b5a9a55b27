package io.restock.infra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom a rediss:// connection trusts. With REDIS_TLS_CA_FILE, the certificates in that PEM file
 * (the file redis-cli takes as --cacert and Redis as tls-ca-cert-file) and nothing else;
 * without it, the JVM's default trust store (public CAs, or -Djavax.net.ssl.trustStore). Either
 * way the server's certificate must name the host in REDIS_URL: Jedis checks it.
 */
final class RedisTls {
  private RedisTls() {}

  /** The CA certificates in a PEM file, checked at start so a bad file stops the service then. */
  static List<X509Certificate> readCaFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(in).stream().map(X509Certificate.class::cast).toList();
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("REDIS_TLS_CA_FILE " + file + " holds no certificate");
      }
      return certificates;
    } catch (IOException e) {
      throw new IllegalArgumentException("REDIS_TLS_CA_FILE " + file + " cannot be read ("
          + e.getClass().getSimpleName() + ")");
    } catch (CertificateException e) {
      throw new IllegalArgumentException("REDIS_TLS_CA_FILE " + file
          + " is not a PEM file of certificates: " + e.getMessage());
    }
  }

  /** TLS sockets that trust exactly {@code authorities}. */
  static SSLSocketFactory trusting(List<X509Certificate> authorities) {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        trusted.setCertificateEntry("redis-ca-" + i, authorities.get(i));
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return tls.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      // An in-memory key store of certificates that parsed: nothing here depends on the input.
      throw new IllegalStateException(e);
    }
  }
}
