package gov.yuancheng.supervision.task;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** One running task-service over a real KRaft broker and the Mongo-wire server, shared by the HTTP tests. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 3, topics = "supervision.task-events")
@ActiveProfiles("test")
abstract class ServiceTestBase {

    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final String OFFICE = tokens.token("dcs-zhang", "office-dcs", "supervisor");
    static final String FGJ = tokens.token("fgj-li", "dept-fgj", "unit");
    static final String YUANNAN = tokens.token("yuannan-wang", "town-yuannan", "unit");
    static final String GXJ = tokens.token("gxj-chen", "dept-gxj", "unit");
    static final String LEADER = tokens.token("leader-liu", "district-leaders", "leader");
    static final String OTHER_LEADER = tokens.token("leader-he", "district-leaders", "leader");
    static final String INSPECTOR = tokens.token("jw-zhao", "dept-jw", "inspector");
    static final String ADMIN = tokens.token("sys-sun", "dept-zsj", "admin");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri("tasks_it"));
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwksUri);
    }

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(request(path, token, Map.of()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path, String token) throws Exception {
        return http.send(request(path, token, Map.of()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String token, String body) throws Exception {
        return post(path, token, body, Map.of());
    }

    HttpResponse<String> post(String path, String token, String body, Map<String, String> headers) throws Exception {
        return http.send(request(path, token, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path, String token, Map<String, String> headers) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (!token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        headers.forEach(builder::header);
        return builder;
    }

    JsonNode read(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    /** A task for dept-fgj (lead) and town-yuannan (co), answered for by leader-liu. */
    JsonNode newTask(String title) throws Exception {
        var response = post("/api/tasks", OFFICE, """
                {"title":"%s","category":"urban-economy","leadUnit":"dept-fgj","coUnits":["town-yuannan"],
                 "deadline":"2099-06-30","responsibleLeader":"leader-liu",
                 "source":{"kind":"LEADERSHIP_INSTRUCTION","reference":"区领导批示〔2026〕3号"}}
                """.formatted(title));
        if (response.statusCode() != 201) {
            throw new AssertionError(response.body());
        }
        return read(response);
    }

    static String assignmentOf(JsonNode task, String unit) {
        for (JsonNode a : task.get("assignments")) {
            if (a.get("unit").asString().equals(unit)) {
                return a.get("id").asString();
            }
        }
        throw new AssertionError("no assignment for " + unit);
    }
}
