package io.cairn.raft.transport.grpc;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * TLS for peer traffic, from PEM files (as mounted from a Kubernetes Secret), mirroring etcd's
 * {@code --peer-cert-file}, {@code --peer-key-file}, {@code --peer-trusted-ca-file} and
 * {@code --peer-client-cert-auth}. The same certificate serves as this member's server
 * certificate and as its client certificate towards other members, so it needs both usages and
 * subject alternative names for every name peers dial it by.
 *
 * @param certChain this member's certificate chain (PEM)
 * @param privateKey its private key (PEM, PKCS#8)
 * @param trustedCa the CA certificates that sign members' certificates (PEM)
 * @param requireClientCert whether the server refuses peers that present no trusted certificate
 */
public record PeerTls(Path certChain, Path privateKey, Path trustedCa, boolean requireClientCert) {

    public PeerTls {
        Objects.requireNonNull(certChain, "certChain");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(trustedCa, "trustedCa");
    }

    SslContext serverContext() {
        try {
            return GrpcSslContexts.configure(
                            SslContextBuilder.forServer(certChain.toFile(), privateKey.toFile()), SslProvider.JDK)
                    .trustManager(trustedCa.toFile())
                    .clientAuth(requireClientCert ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException("cannot load peer TLS files " + this, e));
        }
    }

    SslContext clientContext() {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forClient(),
                            SslProvider.JDK)
                    .trustManager(trustedCa.toFile())
                    .keyManager(certChain.toFile(), privateKey.toFile())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException("cannot load peer TLS files " + this, e));
        }
    }
}
