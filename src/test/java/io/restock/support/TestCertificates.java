package io.restock.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A certificate authority of the test's own and a server certificate it signed, made by openssl
 * in the test's own directory (keys are never kept anywhere else, nor committed). The server
 * certificate names 127.0.0.1 only, so a client that checks names refuses it as "localhost".
 */
public record TestCertificates(Path authority, Path serverCertificate, Path serverKey) {
  public static TestCertificates generate(Path dir) throws IOException, InterruptedException {
    Path caKey = dir.resolve("ca.key");
    Path ca = dir.resolve("ca.pem");
    Path key = dir.resolve("server.key");
    Path request = dir.resolve("server.csr");
    Path certificate = dir.resolve("server.pem");
    Path extensions = Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "1",
        "-subj", "/CN=restock test CA");
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", request.toString(), "-subj", "/CN=restock test redis");
    openssl(dir, "x509", "-req", "-in", request.toString(), "-CA", ca.toString(),
        "-CAkey", caKey.toString(), "-CAcreateserial", "-days", "1",
        "-extfile", extensions.toString(), "-out", certificate.toString());
    return new TestCertificates(ca, certificate, key);
  }

  private static void openssl(Path dir, String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Path log = dir.resolve("openssl.log");
    Process openssl = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (openssl.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + Files.readString(log));
    }
  }
}
