package io.cairn.http;

import io.cairn.kv.Action;
import io.cairn.kv.ApplyResult;
import io.cairn.kv.ErrorCode;
import io.cairn.kv.EtcdException;
import io.cairn.kv.Event;
import io.cairn.kv.KeyPaths;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /v2/keys}: parameter parsing (spec 3), dispatch (spec 4), local and quorum reads,
 * writes through consensus, watches (spec 9), and etcd's headers (spec 10).
 */
final class KeysHandler {
    private static final Set<HttpMethod> ALLOWED = Set.of(HttpMethod.HEAD, HttpMethod.GET, HttpMethod.PUT, HttpMethod.POST,
            HttpMethod.DELETE);
    private static final Set<Action> VALUE_ACTIONS = Set.of(Action.SET, Action.CREATE, Action.UPDATE, Action.COMPARE_AND_SWAP);

    private final ClusterBackend backend;
    private final KeysAnswers answers;
    private final WatchResponder watches;

    KeysHandler(ClusterBackend backend) {
        this.backend = backend;
        this.answers = new KeysAnswers(backend);
        this.watches = new WatchResponder(backend, answers);
    }

    private FullHttpResponse success(Event event, boolean actionOnly) {
        return answers.success(event, actionOnly);
    }

    private FullHttpResponse error(EtcdException e) {
        return answers.error(e);
    }

    void handle(Exchange ex, String keyPath) {
        if (!ALLOWED.contains(ex.method)) {
            ex.respond(Responses.methodNotAllowed("HEAD,GET,PUT,POST,DELETE"));
            return;
        }
        KeysParams params;
        try {
            params = KeysParams.parse(parameters(ex), ex.method.equals(HttpMethod.GET));
        } catch (EtcdException e) {
            ex.respond(error(e));
            return;
        }
        String key = KeyPaths.clean(keyPath);
        if (ex.method.equals(HttpMethod.GET) || ex.isHead()) {
            read(ex, key, params);
        } else {
            write(ex, key, params);
        }
    }

    /** Query parameters, overridden by urlencoded form body parameters on PUT and POST (spec 3.1). */
    private static Map<String, String> parameters(Exchange ex) {
        Map<String, String> params = new HashMap<>();
        try {
            boolean form = (ex.method.equals(HttpMethod.PUT) || ex.method.equals(HttpMethod.POST))
                    && ex.contentType != null
                    && ex.contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded");
            if (form) {
                params.putAll(FormParser.parse(ex.bodyText()));
            }
            FormParser.parse(ex.rawQuery).forEach(params::putIfAbsent);
        } catch (FormParser.BadFormException e) {
            throw KeysParams.error(ErrorCode.INVALID_FORM, e.getMessage());
        }
        return params;
    }

    private void read(Exchange ex, String key, KeysParams params) {
        boolean get = ex.method.equals(HttpMethod.GET);
        if (get && params.quorum()) {
            // Answered on the channel's event loop: the read and its JSON stay off raft's threads.
            withTimeout(ex, backend.readBarrier()).whenCompleteAsync((ok, failure) -> {
                if (failure != null) {
                    ex.respond(error(consensusFailure(failure)));
                } else {
                    ex.respond(localGet(key, params));
                }
            }, ex.ctx.executor());
        } else if (get && params.waitForChange()) {
            watches.watch(ex, key, params);
        } else {
            ex.respond(localGet(key, params));
        }
    }

    private FullHttpResponse localGet(String key, KeysParams params) {
        try {
            return success(backend.store().get(key, params.recursive(), params.sorted()), false);
        } catch (EtcdException e) {
            return error(e);
        }
    }

    private void write(Exchange ex, String key, KeysParams p) {
        byte[] command;
        if (ex.method.equals(HttpMethod.POST)) {
            command = backend.commands().createInOrder(key, p.value(), p.dir(), p.ttl());
        } else if (ex.method.equals(HttpMethod.PUT)) {
            command = backend.commands().put(key, p.value(), p.dir(), p.ttl(), p.refresh(), p.prevExist(), p.prevValue(),
                    p.prevIndex());
        } else {
            command = backend.commands().remove(key, p.dir(), p.recursive(), p.prevValue(), p.prevIndex());
        }
        // Encoded on the channel's event loop, not on the apply thread that completes the future.
        withTimeout(ex, backend.propose(command)).whenCompleteAsync((result, failure) -> {
            if (failure != null) {
                ex.respond(error(consensusFailure(failure)));
            } else {
                ex.respond(applied(result, p.noValueOnSuccess()));
            }
        }, ex.ctx.executor());
    }

    private FullHttpResponse applied(ApplyResult result, boolean noValueOnSuccess) {
        if (result.error() != null) {
            return error(result.error());
        }
        if (result.event() == null) {
            return error(new EtcdException(ErrorCode.RAFT_INTERNAL, "etcdserver: no result", 0));
        }
        return success(result.event(), noValueOnSuccess && VALUE_ACTIONS.contains(result.event().action()));
    }

    /**
     * Fails {@code future} with a {@link TimeoutException} after the request timeout. The timer
     * lives on the channel's event loop, where this runs: {@code orTimeout} would put it in the
     * JDK's shared delay queue, whose scheduler thread is woken for nearly every request.
     */
    private <T> CompletableFuture<T> withTimeout(Exchange ex, CompletableFuture<T> future) {
        ScheduledFuture<?> timer = ex.ctx.executor().schedule(
                () -> future.completeExceptionally(new TimeoutException()),
                backend.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return future.whenComplete((value, failure) -> timer.cancel(false));
    }

    /** Consensus failures are 500 / errorCode 300 / index 0 (spec 11.4). */
    static EtcdException consensusFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof EtcdException e) {
            return e;
        }
        String text = cause instanceof TimeoutException ? "etcdserver: request timed out"
                : "etcdserver: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        return new EtcdException(ErrorCode.RAFT_INTERNAL, text, 0);
    }
}
