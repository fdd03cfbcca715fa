package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/: the compose file parses as YAML (anchors and merge keys resolved, as Compose does) and holds together —
 * three AgentWire nodes on the Redis service, their variables ones the server knows, a health check, the load
 * balancer's config mounted and naming every node; the Grafana dashboard parses and every panel has queries.
 * (No Docker engine here to run {@code docker compose config}; the image itself: deploy/smoke-image.sh.)
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Set<String> COMPOSE_TOP = Set.of("services", "volumes", "networks", "configs", "secrets", "name");
    private static final List<String> NODES = List.of("agentwire-1", "agentwire-2", "agentwire-3");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        assertThat(o).as(what).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeFileDescribesThreeNodesOnRedisBehindTheLoadBalancer() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Map<String, Object> compose = map(new Yaml(options).load(Files.readString(DEPLOY.resolve("compose.yaml"))),
                "compose.yaml");
        compose.keySet().forEach(k -> assertThat(COMPOSE_TOP.contains(k) || k.startsWith("x-")).as("top-level " + k).isTrue());
        Map<String, Object> services = map(compose.get("services"), "services");
        assertThat(services).containsOnlyKeys("agentwire-1", "agentwire-2", "agentwire-3", "redis", "lb");
        Set<String> declaredVolumes = map(compose.getOrDefault("volumes", Map.of()), "volumes").keySet();
        Set<String> knownVariables = new HashSet<>(EnvBindings.of(ConfigLoader.reference()).variableByKey().values());

        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue(), e.getKey());
            assertThat(service.get("image")).as(e.getKey() + " image").isInstanceOf(String.class);
            Object deps = service.get("depends_on");
            Iterable<String> depNames = deps instanceof Map<?, ?> m ? (Iterable<String>) m.keySet()
                    : deps == null ? List.of() : (List<String>) deps;
            depNames.forEach(d -> assertThat(services).as(e.getKey() + " depends on " + d).containsKey(d));
            for (Object v : (List<Object>) service.getOrDefault("volumes", List.of())) {
                String source = v.toString().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(DEPLOY.resolve(source)).as(e.getKey() + " mounts " + source).exists();
                } else {
                    assertThat(declaredVolumes).as(e.getKey() + " volume " + source).contains(source);
                }
            }
        }
        for (String node : NODES) {
            Map<String, Object> service = map(services.get(node), node);
            assertThat(service.get("image")).isEqualTo("agentwire:" + VersionInfo.version());
            Map<String, Object> env = map(service.get("environment"), node + " environment");
            assertThat(env.get("AGENTWIRE_CLUSTER_REDIS")).isEqualTo("redis://redis:6379");
            env.keySet().forEach(k -> assertThat(knownVariables).as(node + ": " + k + " is a variable reference.conf reads")
                    .contains(k));
            assertThat(map(service.get("healthcheck"), node + " healthcheck").get("test").toString())
                    .contains("/opt/agentwire/lib/agentwire.jar", "health", "/readyz");
            assertThat(map(service.get("depends_on"), node + " depends_on")).containsKey("redis");
        }
        assertThat(map(services.get("redis"), "redis").get("command").toString()).contains("--appendfsync, always");
        Map<String, Object> lb = map(services.get("lb"), "lb");
        assertThat((List<Object>) lb.get("ports")).extracting(Object::toString).contains("8080:8080", "8000:8000", "5001:5001", "3001:3001");
        assertThat(lb.get("volumes").toString()).contains("./nginx.conf:/etc/nginx/nginx.conf");
    }

    @Test
    void nginxConfigBalancesEveryNodeOnBothPorts() throws IOException {
        String conf = Files.readString(DEPLOY.resolve("nginx.conf"));
        String code = conf.replaceAll("(?m)#.*$", "");
        long open = code.chars().filter(c -> c == '{').count();
        assertThat(code.chars().filter(c -> c == '}').count()).as("balanced braces").isEqualTo(open);
        Map<String, List<String>> upstreams = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("upstream\\s+(\\w+)\\s*\\{([^}]*)}").matcher(code);
        while (m.find()) {
            List<String> servers = new ArrayList<>();
            Matcher s = Pattern.compile("server\\s+([\\w.-]+:\\d+)").matcher(m.group(2));
            while (s.find()) servers.add(s.group(1));
            upstreams.put(m.group(1), servers);
        }
        assertThat(upstreams.get("agentwire_http")).containsExactly("agentwire-1:8080", "agentwire-2:8080", "agentwire-3:8080");
        assertThat(upstreams.get("agentwire_side")).containsExactly("agentwire-1:8000", "agentwire-2:8000", "agentwire-3:8000");
        assertThat(upstreams.get("agentwire_progress")).containsExactly("agentwire-1:5001", "agentwire-2:5001", "agentwire-3:5001");
        assertThat(upstreams.get("agentwire_mesh")).containsExactly("agentwire-1:3001", "agentwire-2:3001", "agentwire-3:3001");
        assertThat(code).contains("ip_hash", "listen 8080", "listen 8000", "proxy_pass http://agentwire_http",
                "proxy_pass http://agentwire_side", "proxy_set_header Upgrade $http_upgrade");
        for (String line : code.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.endsWith("{") || t.equals("}") || t.endsWith("}")) continue;
            assertThat(t).as("a directive ends with ';'").endsWith(";");
        }
    }

    @Test
    void grafanaDashboardParsesAndEveryPanelQueriesAgentWire() throws IOException {
        JsonNode d = new ObjectMapper().readTree(DEPLOY.resolve("grafana-dashboard.json").toFile());
        assertThat(d.path("title").asText()).isEqualTo("AgentWire");
        assertThat(d.path("panels")).hasSizeGreaterThan(8);
        for (JsonNode panel : d.path("panels")) {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode t : panel.path("targets")) assertThat(t.path("expr").asText()).isNotBlank();
        }
    }

    /** The metric names a dashboard query uses ({@code agentwire_…}), for LauncherIT to find in a real scrape. */
    static Set<String> dashboardMetrics() throws IOException {
        JsonNode d = new ObjectMapper().readTree(DEPLOY.resolve("grafana-dashboard.json").toFile());
        Set<String> names = new java.util.TreeSet<>();
        Pattern metric = Pattern.compile("agentwire_[a-z_]+");
        for (JsonNode panel : d.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                Matcher m = metric.matcher(t.path("expr").asText());
                while (m.find()) names.add(m.group());
            }
        }
        return names;
    }
}
