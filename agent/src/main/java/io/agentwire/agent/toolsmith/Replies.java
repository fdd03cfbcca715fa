package io.agentwire.agent.toolsmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the model wrote: a JSON object (bare, fenced or after prose) or Python code (fenced or bare). */
final class Replies {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern FENCE = Pattern.compile("```[a-zA-Z0-9_+-]*\\s*\\n(.*?)```", Pattern.DOTALL);

    private Replies() { }

    /**
     * @return the JSON object in the text
     * @throws IllegalArgumentException saying why there is none
     */
    static JsonNode object(String text) {
        String s = text == null ? "" : text.strip();
        Matcher m = FENCE.matcher(s);
        if (m.find()) s = m.group(1).strip();
        int open = s.indexOf('{');
        int close = s.lastIndexOf('}');
        if (open < 0 || close < open) throw new IllegalArgumentException("no JSON object in the answer");
        try {
            JsonNode node = MAPPER.readTree(s.substring(open, close + 1));
            if (node == null || !node.isObject()) throw new IllegalArgumentException("not a JSON object");
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
    }

    /** The code in the text's first fenced block, or the whole text if it has none. */
    static String code(String text) {
        String s = text == null ? "" : text;
        Matcher m = FENCE.matcher(s);
        return (m.find() ? m.group(1) : s).strip() + "\n";
    }
}
