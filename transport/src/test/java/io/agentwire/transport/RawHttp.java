package io.agentwire.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP over a plain socket, for what the JDK client hides: what the server sent before it hung up. */
final class RawHttp {
    private RawHttp() { }

    /** Everything the server sends until it closes the connection; a socket timeout fails the test. */
    static String readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) got.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection; it sent: " + got, e);
        } catch (IOException e) {
            // reset after the server's close: what arrived is the answer
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
