package org.csmetrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the JNI library libcsmetrics_jni.so once, in this order:
 * <ol>
 * <li>the file named by the system property {@code csmetrics.native.path};</li>
 * <li>{@code System.loadLibrary("csmetrics_jni")}: a directory of
 *     {@code java.library.path} (e.g. {@code -Djava.library.path=build/bindings/java});</li>
 * <li>the copy inside the jar ({@code org/csmetrics/native/linux-ARCH/}),
 *     extracted to a new temporary directory (deleted when the JVM exits).</li>
 * </ol>
 */
final class NativeLoader {
    private static final String NAME = "csmetrics_jni";
    private static boolean loaded;

    private NativeLoader() {}

    static synchronized void load() {
        if (loaded)
            return;
        String path = System.getProperty("csmetrics.native.path");
        if (path != null) {
            System.load(Path.of(path).toAbsolutePath().toString());
        } else {
            try {
                System.loadLibrary(NAME);
            } catch (UnsatisfiedLinkError e) {
                loadFromJar(e);
            }
        }
        loaded = true;
    }

    private static String arch() {
        String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        switch (a) {
        case "amd64": case "x86_64": return "x86_64";
        case "aarch64": case "arm64": return "aarch64";
        default: return a;
        }
    }

    private static void loadFromJar(UnsatisfiedLinkError cause) {
        String file = System.mapLibraryName(NAME);
        String res = "/org/csmetrics/native/linux-" + arch() + "/" + file;
        try (InputStream in = NativeLoader.class.getResourceAsStream(res)) {
            if (in == null) {
                UnsatisfiedLinkError e = new UnsatisfiedLinkError(
                    NAME + " is neither on java.library.path nor in the jar (" + res + ")");
                e.initCause(cause);
                throw e;
            }
            Path dir = Files.createTempDirectory("csmetrics-jni");
            Path lib = dir.resolve(file);
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            lib.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            System.load(lib.toString());
        } catch (IOException e) {
            UnsatisfiedLinkError u = new UnsatisfiedLinkError("cannot extract " + res + ": " + e);
            u.initCause(e);
            throw u;
        }
    }
}
