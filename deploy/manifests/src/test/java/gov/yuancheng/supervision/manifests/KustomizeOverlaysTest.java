package gov.yuancheng.supervision.manifests;

import static gov.yuancheng.supervision.manifests.Repository.SERVICES;
import static gov.yuancheng.supervision.manifests.Repository.get;
import static gov.yuancheng.supervision.manifests.Repository.list;
import static gov.yuancheng.supervision.manifests.Repository.map;
import static gov.yuancheng.supervision.manifests.Repository.maps;
import static gov.yuancheng.supervision.manifests.Repository.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay with {@code kubectl kustomize} and checks what an operator relies on: each service runs
 * with Actuator probes, requests and limits, a Service, a disruption budget and an autoscaler; the province runs
 * at least two of everything; only the gateway is reachable from outside.
 */
class KustomizeOverlaysTest {

    private static final List<String> OVERLAYS = List.of("district", "province");

    @BeforeAll
    static void kubectlIsThere() {
        assumeTrue(onPath("kubectl"),
                "kubectl is not on PATH: the Kustomize checks are skipped (.ci/run installs the kubernetes-client package)");
    }

    @Test
    void everyOverlayDirectoryIsChecked() throws IOException {
        try (var dirs = Files.list(Repository.root().resolve("deploy/k8s/overlays"))) {
            assertThat(dirs.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactlyElementsOf(OVERLAYS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"district", "province"})
    void everyServiceIsCompleteInTheOverlay(String overlay) {
        List<Map<String, Object>> objects = render("deploy/k8s/overlays/" + overlay);
        assertThat(objects).noneMatch(o -> "Secret".equals(o.get("kind")))
                .as("Secrets are created by the operators, never rendered from the repository");
        Set<String> configMaps = names(objects, "ConfigMap");
        for (String service : SERVICES) {
            Map<String, Object> deployment = one(objects, "Deployment", service);
            Map<String, Object> podLabels = map(deployment, "spec", "template", "metadata", "labels");
            assertThat(map(deployment, "spec", "selector", "matchLabels")).isNotEmpty();
            assertThat(podLabels).containsAllEntriesOf(map(deployment, "spec", "selector", "matchLabels"));
            Map<String, Object> pod = map(deployment, "spec", "template", "spec");
            assertThat(get(pod, "securityContext", "runAsNonRoot")).as(service + " runs as non-root").isEqualTo(true);
            List<Map<String, Object>> containers = maps(list(pod, "containers"));
            assertThat(containers).as(service + " containers").isNotEmpty();
            for (Map<String, Object> container : containers) {
                String where = overlay + "/" + service + "/" + container.get("name");
                assertProbe(container, "livenessProbe", "/actuator/health/liveness", where);
                assertProbe(container, "readinessProbe", "/actuator/health/readiness", where);
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertThat(get(container, "resources", bound, resource))
                                .as(where + " resources." + bound + "." + resource).isNotNull();
                    }
                }
                assertThat(get(container, "securityContext", "readOnlyRootFilesystem")).as(where).isEqualTo(true);
                assertThat(get(container, "securityContext", "allowPrivilegeEscalation")).as(where).isEqualTo(false);
                // the port the service is told to listen on is the port the probes and the Service use
                String port = env(container, "PORT");
                assertThat(port).as(where + " PORT").isNotNull();
                assertThat(maps(list(container, "ports"))).anyMatch(p -> "http".equals(p.get("name"))
                        && port.equals(String.valueOf(p.get("containerPort"))));
                for (Map<String, Object> from : maps(list(container, "envFrom"))) {
                    String name = string(from, "configMapRef", "name");
                    if (name != null) {
                        assertThat(configMaps).as(where + " reads ConfigMap " + name).contains(name);
                    }
                }
            }

            Map<String, Object> svc = one(objects, "Service", service);
            assertThat(podLabels).as(service + " Service selects its pods")
                    .containsAllEntriesOf(map(svc, "spec", "selector"));
            assertThat(maps(list(svc, "spec", "ports"))).anyMatch(p -> "http".equals(String.valueOf(p.get("targetPort"))));

            Map<String, Object> pdb = one(objects, "PodDisruptionBudget", service);
            assertThat(podLabels).as(service + " PDB selects its pods")
                    .containsAllEntriesOf(map(pdb, "spec", "selector", "matchLabels"));

            Map<String, Object> hpa = one(objects, "HorizontalPodAutoscaler", service);
            assertThat(string(hpa, "apiVersion")).isEqualTo("autoscaling/v2");
            assertThat(string(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
            assertThat(string(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(service);
            int min = number(hpa, "spec", "minReplicas");
            int max = number(hpa, "spec", "maxReplicas");
            assertThat(min).as(service + " HPA").isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(max);
            assertThat(number(deployment, "spec", "replicas")).isBetween(min, max);
        }

        List<Map<String, Object>> ingresses = all(objects, "Ingress");
        assertThat(ingresses).as("one Ingress, for the gateway").hasSize(1);
        List<String> backends = new ArrayList<>();
        for (Map<String, Object> rule : maps(list(ingresses.get(0), "spec", "rules"))) {
            for (Map<String, Object> path : maps(list(rule, "http", "paths"))) {
                backends.add(string(path, "backend", "service", "name"));
            }
        }
        assertThat(backends).isNotEmpty().containsOnly("gateway");
        assertThat(list(ingresses.get(0), "spec", "tls")).as("TLS at the Ingress").isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"district", "province"})
    void theSettingsAreOnesTheServicesRead(String overlay) {
        List<Map<String, Object>> objects = render("deploy/k8s/overlays/" + overlay);
        Set<String> read = new HashSet<>();
        SERVICES.forEach(s -> read.addAll(Repository.variablesReadBy(s)));
        for (Map<String, Object> configMap : all(objects, "ConfigMap")) {
            for (String name : map(configMap, "data").keySet()) {
                assertThat(read.contains(name) || Repository.readByPlatform(name))
                        .as(overlay + ": " + name + " in ConfigMap " + string(configMap, "metadata", "name")
                                + " is read by no service")
                        .isTrue();
            }
        }
        Map<String, Object> common = one(objects, "ConfigMap", "supervision-common");
        assertThat(string(common, "data", "BIND_ADDRESS")).isEqualTo("0.0.0.0");
        assertThat(string(common, "data", "TOPIC_REPLICAS")).isEqualTo("3");
        assertThat(string(common, "data", "JAVA_TOOL_OPTIONS")).contains("MaxRAMPercentage");
        Map<String, Object> audit = one(objects, "ConfigMap", "audit-service-config");
        assertThat(string(audit, "data", "AUDIT_SIGNING_KEY_GENERATE")).isEqualTo("false");
    }

    @Test
    void theProvinceRunsAtLeastTwoOfEverything() {
        List<Map<String, Object>> objects = render("deploy/k8s/overlays/province");
        for (String service : SERVICES) {
            assertThat(number(one(objects, "Deployment", service), "spec", "replicas")).as(service + " replicas")
                    .isGreaterThanOrEqualTo(2);
            assertThat(number(one(objects, "HorizontalPodAutoscaler", service), "spec", "minReplicas"))
                    .as(service + " HPA minReplicas").isGreaterThanOrEqualTo(2);
        }
        int district = Integer.parseInt(string(one(render("deploy/k8s/overlays/district"), "ConfigMap",
                "supervision-common"), "data", "TOPIC_PARTITIONS"));
        int province = Integer.parseInt(string(one(objects, "ConfigMap", "supervision-common"), "data",
                "TOPIC_PARTITIONS"));
        assertThat(province).as("more partitions in the province").isGreaterThan(district);
    }

    @Test
    void theOverlaysKeepToKustomizeV2Syntax() {
        // kubectl 1.20 (Debian's kubernetes-client) embeds kustomize v2.0.3, which knows none of these fields
        for (String overlay : OVERLAYS) {
            String text = Repository.read("deploy/k8s/overlays/" + overlay + "/kustomization.yaml");
            Map<String, Object> kustomization = Repository.yaml().load(text);
            assertThat(kustomization).as(overlay).doesNotContainKeys("patches", "labels", "components",
                    "replicas", "sortOptions", "buildMetadata");
            assertThat(list(kustomization, "bases")).as(overlay + " names its base under bases").isNotEmpty();
        }
    }

    private static void assertProbe(Map<String, Object> container, String probe, String path, String where) {
        assertThat(string(container, probe, "httpGet", "path")).as(where + " " + probe).isEqualTo(path);
        assertThat(string(container, probe, "httpGet", "port")).as(where + " " + probe + " port").isEqualTo("http");
    }

    private static String env(Map<String, Object> container, String name) {
        return maps(list(container, "env")).stream().filter(e -> name.equals(e.get("name")))
                .map(e -> string(e, "value")).findFirst().orElse(null);
    }

    private static int number(Map<String, Object> object, String... path) {
        Object value = get(object, path);
        assertThat(value).as(String.join(".", path)).isInstanceOf(Integer.class);
        return (Integer) value;
    }

    private static Set<String> names(List<Map<String, Object>> objects, String kind) {
        Set<String> names = new HashSet<>();
        all(objects, kind).forEach(o -> names.add(string(o, "metadata", "name")));
        return names;
    }

    private static List<Map<String, Object>> all(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static Map<String, Object> one(List<Map<String, Object>> objects, String kind, String name) {
        List<Map<String, Object>> found = all(objects, kind).stream()
                .filter(o -> name.equals(string(o, "metadata", "name"))).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(String relative) {
        Path dir = Repository.root().resolve(relative);
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String out = readAll(process.getInputStream());
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize " + relative + ": " + err.join()).isZero();
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object document : Repository.yaml().loadAll(out)) {
                if (document != null) {
                    objects.add((Map<String, Object>) document);
                }
            }
            assertThat(objects).as("objects rendered from " + relative).isNotEmpty();
            return objects;
        }
        catch (IOException e) {
            throw new AssertionError("cannot run kubectl", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
