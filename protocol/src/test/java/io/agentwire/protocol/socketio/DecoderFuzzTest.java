package io.agentwire.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.protocol.engineio.EngineIo4Codec;
import io.agentwire.protocol.engineio.EngineIo4ParseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A bounded mutation fuzz of the Engine.IO and Socket.IO decoders in the normal test run: seeded (reproducible),
 * a fixed number of inputs, never a time limit. Every input is a mutation of a valid seed (byte flips, inserted
 * protocol characters, splices, truncations, repetitions); the decoders may only answer with a packet or their
 * documented parse exception. (Jazzer's JUnit integration fuzzes only with JAZZER_FUZZ=1 and one test per run, so
 * it does not fit the normal run; this test does.)
 */
class DecoderFuzzTest {
    private static final int ITERATIONS = 200_000;
    private static final List<String> SEEDS = List.of(
            "0", "0{\"token\":\"123\"}", "0/custom,", "0/custom,{\"pid\":\"p\",\"offset\":\"e:1\"}", "1", "1/admin,",
            "2[\"message\",1,\"2\",{\"3\":[true]}]", "2/admin,456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]",
            "3456[1,\"2\",{\"3\":[false]}]", "4{\"message\":\"no\",\"data\":{\"x\":[1,2]}}",
            "52-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
            "62-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
            "2[\"a\",[[[[[[[[[[{\"b\":[1.5e300,-0,null,\"\\u00e9\\ud83d\\ude00\"]}]]]]]]]]]]]");
    private static final String ALPHABET = "0123456789-/,[]{}\":_\\ \u001eb4e.+tfnulaE\u0000\u00e9\ud83d";

    @Test
    void socketIoDecoderOnlyEverThrowsItsParseError() {
        Random random = new Random(0x5eed_5150L);
        int packets = 0;
        int errors = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String input = mutate(random, SEEDS.get(random.nextInt(SEEDS.size())));
            SocketIo5Decoder decoder = new SocketIo5Decoder();
            try {
                SocketIo5Packet p = decoder.add(input);
                for (int a = 0; p == null && a < 12; a++) {
                    p = decoder.add(random.nextBoolean() ? new byte[random.nextInt(4)] : input.getBytes(StandardCharsets.UTF_8));
                }
                if (p != null) {
                    packets++;
                    SocketIo5Codec.encode(p); // whatever decodes must encode again
                }
            } catch (SocketIo5ParseException e) {
                errors++;
            } catch (RuntimeException e) {
                throw new AssertionError("input " + escape(input) + " escaped with " + e, e);
            }
        }
        assertThat(packets).as("the mutations still reach valid packets").isGreaterThan(ITERATIONS / 50);
        assertThat(errors).isGreaterThan(ITERATIONS / 50);
    }

    @Test
    void engineIoDecoderOnlyEverThrowsItsParseError() {
        Random random = new Random(0xe10_4L);
        for (int i = 0; i < ITERATIONS; i++) {
            String seed = "4" + SEEDS.get(random.nextInt(SEEDS.size())) + "\u001e2\u001ebAQID\u001e6";
            String input = mutate(random, seed);
            try {
                EngineIo4Codec.decodePayload(input);
            } catch (EngineIo4ParseException expected) {
                // documented
            } catch (RuntimeException e) {
                throw new AssertionError("input " + escape(input) + " escaped with " + e, e);
            }
        }
    }

    private static String mutate(Random r, String seed) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int pos = sb.isEmpty() ? 0 : r.nextInt(sb.length() + 1);
            switch (r.nextInt(7)) {
                case 0 -> { if (pos < sb.length()) sb.deleteCharAt(pos); }
                case 1 -> sb.insert(pos, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 2 -> { if (pos < sb.length()) sb.setCharAt(pos, (char) (sb.charAt(pos) ^ (1 << r.nextInt(7)))); }
                case 3 -> sb.setLength(Math.min(pos, sb.length()));
                case 4 -> {
                    String other = SEEDS.get(r.nextInt(SEEDS.size()));
                    sb.insert(pos, other, 0, r.nextInt(other.length() + 1));
                }
                case 5 -> { if (pos < sb.length()) sb.insert(pos, sb.substring(pos, Math.min(sb.length(), pos + 1 + r.nextInt(8))).repeat(1 + r.nextInt(40))); }
                default -> sb.insert(pos, Integer.toString(r.nextInt(), 10 + r.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        return sb.append('"').toString();
    }
}
