package io.agentwire.agent;

import static io.agentwire.agent.model.FakeOpenAi.status;
import static io.agentwire.agent.model.FakeOpenAi.system;
import static io.agentwire.agent.model.FakeOpenAi.text;
import static io.agentwire.agent.model.FakeOpenAi.user;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.model.FakeOpenAi;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripted model the toolsmith tests talk to (through {@link FakeOpenAi}, the real streaming wire format): it
 * answers each role of the toolsmith's prompts (planner, specification writer, test writer, implementer,
 * argument extractor, responder) for a handful of tools, by what the request says.
 */
public final class ToolsmithModel {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    record Script(String spec, String tests, String code, String repaired) { }

    static final Map<String, Script> TOOLS = Map.of(
            "km_to_miles", new Script("""
                    {"function_name": "km_to_miles", "parameters": [{"name": "km", "type": "float", "description": "a distance in kilometers"}],
                     "return_type": "float", "docstring": "Convert a distance in kilometers to miles."}""", """
                    from km_to_miles import km_to_miles

                    def test_ten():
                        assert abs(km_to_miles(10) - 6.21371) < 1e-6

                    def test_zero():
                        assert km_to_miles(0) == 0
                    """, "```python\ndef km_to_miles(km):\n    return round(km * 0.621371, 6)\n```", null),
            "round_number", new Script("""
                    {"function_name": "round_number", "parameters": [{"name": "value", "type": "float", "description": "the number"},
                     {"name": "digits", "type": "int", "description": "decimal places"}], "return_type": "float",
                     "docstring": "Round a number to a given number of decimal places."}""", """
                    ```python
                    from round_number import round_number

                    def test_round():
                        assert round_number(6.21371, 1) == 6.2
                    ```""", "def round_number(value, digits):\n    return round(value, digits)\n", null),
            "reverse_text", new Script("""
                    {"function_name": "reverse_text", "parameters": [{"name": "text", "type": "str", "description": "the text"}],
                     "return_type": "str", "docstring": "Reverse the characters of a text."}""", """
                    from reverse_text import reverse_text

                    def test_reverse():
                        assert reverse_text("abc") == "cba"
                    """, "```python\ndef reverse_text(text):\n    return text\n```",
                    "```python\ndef reverse_text(text):\n    return text[::-1]\n```"),
            "count_vowels", new Script("""
                    {"function_name": "count_vowels", "parameters": [{"name": "text", "type": "str", "description": "the text"}],
                     "return_type": "int", "docstring": "Count the vowels in a text."}""", """
                    from count_vowels import count_vowels

                    def test_banana():
                        assert count_vowels("banana") == 3
                    """, "```python\ndef count_vowels(text):\n    return 0\n```",
                    "```python\ndef count_vowels(text):\n    return len(text)\n```"),
            "fetch_page", new Script("""
                    {"function_name": "fetch_page", "parameters": [{"name": "text", "type": "str", "description": "the host"}],
                     "return_type": "str", "docstring": "Fetch the front page of a web host."}""", """
                    from fetch_page import fetch_page

                    def test_callable():
                        assert callable(fetch_page)
                    """, """
                    ```python
                    import socket

                    def fetch_page(text):
                        with socket.create_connection((text, 80), timeout=5) as s:
                            s.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
                            return s.recv(1000).decode()
                    ```""", null),
            "wait_forever", new Script("""
                    {"function_name": "wait_forever", "parameters": [], "return_type": "None", "docstring": "Wait forever."}""", """
                    import time
                    from wait_forever import wait_forever

                    def test_waits():
                        time.sleep(300)
                    """, "def wait_forever():\n    return None\n", null));

    public final AtomicInteger specs = new AtomicInteger();
    final AtomicInteger implementations = new AtomicInteger();
    final AtomicInteger repairs = new AtomicInteger();
    final AtomicInteger plans = new AtomicInteger();
    /** Requests to answer with HTTP 500 first, by role (each failing once). */
    final Map<String, Boolean> failOnce = new ConcurrentHashMap<>();

    public FakeOpenAi.Reply answer(JsonNode body) {
        String sys = system(body);
        String user = user(body);
        for (String role : failOnce.keySet()) {
            if (sys.contains(role) && failOnce.remove(role) != null) return status(500, "scripted failure");
        }
        if (sys.contains("planner")) {
            plans.incrementAndGet();
            if (user.contains(", then round")) {
                Matcher n = NUMBER.matcher(user);
                String km = n.find() ? n.group() : "1";
                return text("{\"strategy\": \"multi_tool_sequential\", \"reasoning\": \"two steps\", \"sub_tasks\": "
                        + "[\"Convert " + km + " kilometers to miles\", \"Round the result to 1 decimal place\"]}");
            }
            return text("```json\n{\"strategy\": \"single_tool\", \"reasoning\": \"one function does it\", \"sub_tasks\": []}\n```");
        }
        if (sys.contains("specification writer")) {
            specs.incrementAndGet();
            String u = user.toLowerCase();
            String name = u.contains("kilometers") ? "km_to_miles" : u.contains("round") ? "round_number"
                    : u.contains("reverse") ? "reverse_text" : u.contains("vowels") ? "count_vowels"
                    : u.contains("wait") ? "wait_forever" : u.contains("fetch") ? "fetch_page" : null;
            return name == null ? text("I can not turn this into a function.") : text(TOOLS.get(name).spec());
        }
        if (sys.contains("test writer")) return text(TOOLS.get(toolIn(sys)).tests());
        if (sys.contains("implementer")) {
            Script s = TOOLS.get(toolIn(sys));
            if (user.contains("The tests failed")) {
                repairs.incrementAndGet();
                return text(s.repaired() != null ? s.repaired() : s.code());
            }
            implementations.incrementAndGet();
            return text(s.code());
        }
        if (sys.contains("argument extractor")) return text(arguments(user));
        if (sys.contains("reflection engine")) {
            return text("The tool opens a network connection, and the sandbox has none: fetch pages outside tools.");
        }
        if (sys.contains("responder")) {
            Matcher m = Pattern.compile("Result: (.*)").matcher(user);
            return text("The answer is " + (m.find() ? m.group(1) : "?") + ".");
        }
        return text("(unexpected request)");
    }

    private static String toolIn(String sys) {
        for (String name : TOOLS.keySet()) if (sys.contains("`" + name + "`") || sys.contains("import " + name)) return name;
        throw new AssertionError("no known tool in " + sys);
    }

    private static String arguments(String user) {
        String request = line(user, "Request: ");
        String previous = line(user, "Previous step's result: ");
        if (user.contains("Function: km_to_miles")) {
            Matcher n = NUMBER.matcher(request);
            return n.find() ? "{\"km\": " + n.group() + "}" : "{\"km\": null}";
        }
        if (user.contains("Function: round_number")) {
            String value = previous != null ? previous : first(request);
            return "{\"value\": " + value + ", \"digits\": 1}";
        }
        Matcher q = QUOTED.matcher(request);
        return q.find() ? "{\"text\": \"" + q.group(1) + "\"}" : "{\"text\": null}";
    }

    private static String first(String s) {
        Matcher n = NUMBER.matcher(s);
        return n.find() ? n.group() : "null";
    }

    private static String line(String text, String prefix) {
        for (String l : text.split("\n")) if (l.startsWith(prefix)) return l.substring(prefix.length()).strip();
        return null;
    }
}
