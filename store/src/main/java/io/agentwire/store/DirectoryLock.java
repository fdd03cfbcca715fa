package io.agentwire.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on {@code dataDir/agentwire.lock}, held while a store is open. The writer caches each
 * stream's last offset, so a second writer on the same file (another process, or a second open in this one)
 * must be refused. The OS releases the lock when the process dies, however it dies. Opens within this JVM
 * are checked first by path, because closing a second channel on a locked file may drop the OS lock.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE_NAME = "agentwire.lock";
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path dataDir) throws IOException {
        Path file = dataDir.toRealPath().resolve(FILE_NAME);
        if (!HELD.add(file)) throw new IOException("the store in " + dataDir + " is already open in this process");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) throw new IOException("the store in " + dataDir + " is open in another process");
            return new DirectoryLock(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) channel.close();
            HELD.remove(file);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD.remove(file);
        }
    }
}
