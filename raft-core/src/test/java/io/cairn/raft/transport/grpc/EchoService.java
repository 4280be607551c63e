package io.cairn.raft.transport.grpc;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A one-method service standing in for the server module's cluster-info RPC. */
final class EchoService implements BindableService {
    private final String name;

    EchoService(String name) {
        this.name = name;
    }

    MethodDescriptor<String, String> method() {
        return method(name);
    }

    static MethodDescriptor<String, String> method(String serviceName) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName, "Echo"))
                .setRequestMarshaller(Utf8.INSTANCE)
                .setResponseMarshaller(Utf8.INSTANCE)
                .build();
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder(name)
                .addMethod(method(), ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request + " caller=" + PeerHeaders.callerId());
                    response.onCompleted();
                }))
                .build();
    }

    private enum Utf8 implements MethodDescriptor.Marshaller<String> {
        INSTANCE;

        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
