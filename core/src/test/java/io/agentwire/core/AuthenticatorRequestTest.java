package io.agentwire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request's header and query maps behave as the immutable maps they were copied from (kept as pairs). */
class AuthenticatorRequestTest {

    private static Map<String, List<String>> source() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("host", List.of("example.com:3000"));
        m.put("cookie", new ArrayList<>(Arrays.asList("a=1", "b=2")));
        m.put("x-empty", List.of());
        m.put("authorization", List.of("Bearer t0k"));
        return m;
    }

    @Test
    void readsAsTheMapItWasMadeFrom() {
        Map<String, List<String>> src = source();
        Authenticator.Request r = new Authenticator.Request("/ws", src, Map.of("EIO", List.of("4")), "127.0.0.1");

        assertThat(r.headers()).isEqualTo(src).hasSize(4).hasSameHashCodeAs(src);
        assertThat(src).isEqualTo(r.headers());
        assertThat(r.headers().get("cookie")).containsExactly("a=1", "b=2");
        assertThat(r.headers().get("x-empty")).isEmpty();
        assertThat(r.headers().get("nope")).isNull();
        assertThat(r.headers()).containsKey("x-empty").doesNotContainKey("nope");
        assertThat(r.headers().keySet()).containsExactly("host", "cookie", "x-empty", "authorization");
        assertThat(r.header("Host")).contains("example.com:3000");
        assertThat(r.bearerToken()).contains("t0k");
        assertThat(r.queryParam("EIO")).contains("4");
        assertThat(r.query()).isEqualTo(Map.of("EIO", List.of("4")));
        Map<String, List<String>> none = new Authenticator.Request("/", Map.of(), Map.of(), "x").headers();
        assertThat(none).isEmpty();
        assertThat(none).isEqualTo(Map.of());
        assertThat(r.headers().toString()).isEqualTo(src.toString());
    }

    @Test
    void isACopyAndImmutable() {
        Map<String, List<String>> src = source();
        Authenticator.Request r = new Authenticator.Request("/ws", src, Map.of(), "127.0.0.1");
        src.get("cookie").add("c=3");
        src.put("late", List.of("1"));

        assertThat(r.headers().get("cookie")).containsExactly("a=1", "b=2");
        assertThat(r.headers()).doesNotContainKey("late");
        assertThatThrownBy(() -> r.headers().put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.headers().remove("host")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.headers().get("cookie").add("d")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.headers().clear()).isInstanceOf(UnsupportedOperationException.class);
        // a copy of a request's maps is an equal request (each call of headers() a new view of the same pairs)
        Authenticator.Request again = new Authenticator.Request("/ws", r.headers(), r.query(), "127.0.0.1");
        assertThat(again).isEqualTo(r).hasSameHashCodeAs(r).hasToString(r.toString());
        assertThat(again.headers()).isEqualTo(r.headers()).isNotSameAs(r.headers());
        assertThat(new Authenticator.Request("/ws", r.headers(), r.query(), "x")).isNotEqualTo(r);
        // equal as maps are, whatever order the names came in
        Map<String, List<String>> reversed = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(r.headers().keySet());
        java.util.Collections.reverse(names);
        for (String n : names) reversed.put(n, List.copyOf(r.headers().get(n)));
        Authenticator.Request inOtherOrder = new Authenticator.Request("/ws", reversed, r.query(), "127.0.0.1");
        assertThat(inOtherOrder).isEqualTo(r).hasSameHashCodeAs(r);
    }

    /** Headers and query share one array: a name in one is not found in the other. */
    @Test
    void headersAndQueryStayApart() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("token", List.of("from-query"));
        query.put("EIO", List.of("4"));
        Authenticator.Request r = new Authenticator.Request("/", Map.of("host", List.of("h")), query, "x");
        assertThat(r.queryParam("host")).isEmpty();
        assertThat(r.header("token")).isEmpty();
        assertThat(r.headers()).containsOnlyKeys("host");
        assertThat(r.query()).containsOnlyKeys("token", "EIO").isEqualTo(query);
        assertThat(r.bearerToken()).contains("from-query");
        Authenticator.Request noQuery = new Authenticator.Request("/", Map.of("token", List.of("h")), Map.of(), "x");
        assertThat(noQuery.queryParam("token")).isEmpty();
        assertThat(noQuery.query()).isEmpty();
        assertThat(r.header("x-empty")).isEmpty();
    }

    @Test
    void nullsAreRefusedAsMapCopyOfDoes() {
        Map<String, List<String>> withNullValue = new LinkedHashMap<>();
        withNullValue.put("a", Arrays.asList("1", null));
        assertThatThrownBy(() -> new Authenticator.Request("/", withNullValue, Map.of(), "x"))
                .isInstanceOf(NullPointerException.class);
        Map<String, List<String>> withNullList = new LinkedHashMap<>();
        withNullList.put("a", null);
        assertThatThrownBy(() -> new Authenticator.Request("/", withNullList, Map.of(), "x"))
                .isInstanceOf(NullPointerException.class);
    }
}
