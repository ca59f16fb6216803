package org.csmetrics;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;

/**
 * A native object (a ledger, a scorecard, a health result) owned by a Java
 * object: freed once, by close() or, if the owner is never closed, by a
 * Cleaner when the owner becomes unreachable.  Calls run under the read
 * lock (any number at once, from any thread); close() takes the write
 * lock, so it waits for running calls and later calls throw
 * IllegalStateException.
 */
final class Native implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The state the Cleaner frees: never refers to the owner. */
    private static final class State implements Runnable {
        final long handle;
        final LongConsumer free;
        boolean freed;

        State(long handle, LongConsumer free) {
            this.handle = handle;
            this.free = free;
        }

        @Override
        public synchronized void run() {
            if (!freed) {
                freed = true;
                free.accept(handle);
            }
        }
    }

    private final String what;
    private final State state;
    private final Cleaner.Cleanable cleanable;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    Native(Object owner, String what, long handle, LongConsumer free) {
        this.what = what;
        this.state = new State(handle, free);
        this.cleanable = CLEANER.register(owner, state);
    }

    /** A computation on the object. */
    interface Call<T> {
        T apply(long handle);
    }

    /** Run call with the handle under the read lock; IllegalStateException
     * once closed. */
    <T> T use(Call<T> call) {
        lock.readLock().lock();
        try {
            if (closed)
                throw new IllegalStateException(what + " is closed");
            return call.apply(state.handle);
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Free the native object (once; closing again does nothing). */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                cleanable.clean();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- argument checks and conversions of the Java layer -------------

    /** Every non-null array has n elements; else InvalidArgument naming it
     * (the C functions take one count for several arrays). */
    static void sameLength(long n, String[] names, Object... arrays) {
        for (int i = 0; i < arrays.length; i++) {
            Object a = arrays[i];
            if (a != null && java.lang.reflect.Array.getLength(a) != n)
                throw CsmException.invalid(names[i],
                    "array length differs from the other input columns");
        }
    }

    static void required(String name, Object array) {
        if (array == null)
            throw CsmException.invalid(name, "must not be null");
    }

    static String utf8(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static byte[] bytes(boolean[] b) {
        if (b == null)
            return null;
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++)
            out[i] = (byte) (b[i] ? 1 : 0);
        return out;
    }

    static byte[] bytes(int[] v, String field) {
        if (v == null)
            return null;
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < Byte.MIN_VALUE || v[i] > 255)
                throw new CsmException.Domain(2, "EDOMAIN", i, field, "value outside its domain",
                    "EDOMAIN: row " + i + ", field '" + field + "': value outside its domain");
            out[i] = (byte) v[i];
        }
        return out;
    }
}
