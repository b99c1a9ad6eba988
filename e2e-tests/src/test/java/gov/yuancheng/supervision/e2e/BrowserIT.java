package gov.yuancheng.supervision.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web UI in a real browser (Debian's headless Chromium) on the started stack, signing in through Keycloak's own
 * login form: the office registers and assigns a task, the unit acknowledges, reports and asks for completion, the
 * office approves, the inspector finds the record; another unit's task is refused by its address. Screenshots of
 * each main page go to target/screenshots.
 *
 * <p>{@code -Dbrowser.gateway=http://127.0.0.1:18080 -Dbrowser.keycloak=http://127.0.0.1:18180} drives a stack
 * that is already running instead of starting one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserIT {

    static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of(System.getProperty("browser.screenshots", "target/screenshots"));
    static final String GATEWAY = System.getProperty("browser.gateway", "http://127.0.0.1:" + Stack.GATEWAY);
    static final String KEYCLOAK = System.getProperty("browser.keycloak", "http://127.0.0.1:" + Stack.KEYCLOAK);
    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** What the browser showed when a test failed, next to the screenshots. */
    @RegisterExtension
    final TestWatcher onFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser == null) {
                return;
            }
            try {
                String name = "failed-" + context.getRequiredTestMethod().getName();
                screenshot(name);
                Files.writeString(SCREENSHOTS.resolve(name + ".html"), browser.getCurrentUrl() + "\n" + browser.getPageSource());
            }
            catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    };

    static Stack stack;
    static WebDriver browser;
    static WebDriverWait wait;
    static String taskId;

    @BeforeAll
    static void startStackAndBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and its driver are needed for the browser tests: apt-get install chromium chromium-driver");
        if (System.getProperty("browser.gateway") == null) {
            stack = new Stack();
            // Half of all Ed25519 keys have a '+' in the base64 of their public key, which is also the separator
            // of the key's text form: this one does, so that the page's signature check is tried on such a key.
            stack.startFresh(Map.of("audit/signing.key",
                    "PRIVATE+KEY+yuancheng.gov/supervision/audit+18696226+ARI3Q8ksXpQJknVT1T8Wy+1iNU1D/0ct9H85qdIeLwFh"));
        }
        Files.createDirectories(SCREENSHOTS);
        Path profile = Files.createTempDirectory("browser-it-profile");
        var options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--lang=zh-CN", "--window-size=1280,1000", "--user-data-dir=" + profile);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, PATIENCE);
    }

    @AfterAll
    static void stopBrowserAndStack() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    @Order(1)
    void theLandingPageOffersTheLoginInChineseAndSwitchesToEnglish() throws IOException {
        browser.get(GATEWAY + "/");
        WebElement login = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
        assertThat(login.getText()).isEqualTo("登录");
        screenshot("01-landing");

        browser.findElement(By.id("lang")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login"))).getText()).isEqualTo("Sign in");
        browser.findElement(By.id("lang")).click();
        wait.until(ExpectedConditions.textToBe(By.id("login"), "登录"));
    }

    @Test
    @Order(2)
    void theOfficeRegistersAndAssignsATaskFromTheForm() throws IOException {
        signIn("dcs-zhang");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lights")));
        assertThat(browser.findElement(By.id("who")).getText()).contains("张 明").contains("区委区政府督查室");
        waitForOptional(By.cssSelector("#chart canvas"));
        screenshot("02-office-dashboard");

        open("#/tasks");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table.tasks tbody tr")));
        screenshot("03-office-task-list");

        open("#/tasks/new");
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("register")));
        WebElement title = form.findElement(By.name("title"));
        title.sendKeys("x", Keys.BACK_SPACE);
        // The form speaks as the user types: an emptied title is named as missing before anything is sent.
        wait.until(d -> !hint("title").isEmpty());
        title.sendKeys("浏览器测试：推进高新区扩园提质");
        wait.until(d -> hint("title").isEmpty());
        form.findElement(By.name("description")).sendKeys("完成扩园规划报批，按月报送进展。");
        new Select(form.findElement(By.name("category"))).selectByValue("urban-economy");
        new Select(form.findElement(By.name("leadUnit"))).selectByValue("dept-fgj");
        setValue(form.findElement(By.name("deadline")), LocalDate.now().plusMonths(3).toString());
        form.findElement(By.cssSelector("input[name=coUnits][value='town-yuannan']")).click();
        form.findElement(By.name("responsibleLeader")).sendKeys("leader-liu");
        screenshot("04-office-register-form");
        form.findElement(By.id("submit")).click();

        taskId = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("task-id"))).getText();
        assertThat(taskId).matches("[0-9a-f-]{36}");
        assertThat(browser.findElement(By.id("task-title")).getText()).isEqualTo("浏览器测试：推进高新区扩园提质");
        assertThat(browser.findElements(By.cssSelector(".assignment[data-unit='dept-fgj'][data-state='ASSIGNED']"))).hasSize(1);
        screenshot("05-office-task-detail");
        signOut();
    }

    @Test
    @Order(3)
    void theUnitAcknowledgesReportsAndAsksForCompletion() throws IOException {
        signIn("fgj-li");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a.task-link")));
        screenshot("06-unit-task-list");

        open("#/tasks/" + taskId);
        act("ACKNOWLEDGE");
        submitAction();
        waitForState("dept-fgj", "ACKNOWLEDGED");

        act("REPORT_PROGRESS");
        WebElement form = browser.findElement(By.id("action-form"));
        form.findElement(By.name("text")).sendKeys("扩园规划已完成初稿，正在征求意见。");
        WebElement percent = form.findElement(By.name("percent"));
        percent.clear();
        percent.sendKeys("60");
        Path evidence = Files.writeString(Files.createTempFile("evidence", ".txt"), "扩园规划初稿征求意见情况\n");
        form.findElement(By.name("evidence")).sendKeys(evidence.toString());
        WebElement uploaded = wait.until(d -> d.findElements(By.cssSelector(".uploads li.ok, .uploads li.error")).stream()
                .findFirst().orElse(null));
        boolean withEvidence = uploaded.getAttribute("class").contains("ok");
        screenshot("07-unit-report-form");
        submitAction();
        wait.until(d -> d.findElements(By.cssSelector(".assignment[data-unit='dept-fgj'] details li")).stream()
                .anyMatch(li -> li.getText().contains("60%")));
        if (withEvidence) {
            assertThat(browser.findElements(By.cssSelector(".assignment[data-unit='dept-fgj'] a.attachment"))).isNotEmpty();
        }

        act("REQUEST_COMPLETION");
        browser.findElement(By.id("action-form")).findElement(By.name("summary")).sendKeys("扩园规划已报批，申请办结。");
        submitAction();
        waitForState("dept-fgj", "COMPLETION_REQUESTED");
        screenshot("08-unit-task-detail");

        browser.manage().window().setSize(new Dimension(375, 812));
        try {
            browser.navigate().refresh();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("task-title")));
            Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow).as("horizontal scrolling on a 375-pixel phone").isLessThanOrEqualTo(0L);
            screenshot("09-unit-task-detail-phone");
            open("#/tasks");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a.task-link")));
            assertNoHorizontalScrolling();
            screenshot("10-unit-task-list-phone");
        }
        finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    @Order(4)
    void aUnitUserOpeningAnotherUnitsTaskByItsAddressIsToldItIsNotFound() throws Exception {
        String othersTask = registerThroughApi("dept-gxj");

        open("#/tasks/" + othersTask);
        WebElement notFound = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("not-found")));
        assertThat(notFound.getText()).contains("没有找到这个事项");
        assertThat(browser.findElements(By.id("task-title"))).isEmpty();
        screenshot("11-unit-other-units-task");
        signOut();
    }

    @Test
    @Order(5)
    void theOfficeApprovesTheCompletionAndIsToldWhyAPlanCannotBeImported() throws IOException {
        signIn("dcs-zhang");
        open("#/tasks/" + taskId);
        act("REVIEW");
        submitAction();
        waitForState("dept-fgj", "COMPLETED");
        screenshot("12-office-reviewed");

        open("#/plans/import");
        Path plan = Files.writeString(Files.createTempFile("plan", ".yaml"), "plan: 空的工作计划\ntasks: []\n");
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("import")));
        form.findElement(By.name("file")).sendKeys(plan.toString());
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#import-result table tbody tr")));
        assertThat(browser.findElement(By.id("import-result")).getText()).contains("未导入任何事项");
        screenshot("12b-office-plan-import-errors");
        signOut();
    }

    @Test
    @Order(6)
    void theInspectorSeesEveryStepInTheAuditTrail() throws IOException {
        signIn("jw-zhao");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-form")));
        WebElement field = browser.findElement(By.id("audit-task"));
        field.sendKeys(taskId);
        field.submit();
        new WebDriverWait(browser, Duration.ofSeconds(60)).pollingEvery(Duration.ofSeconds(2)).until(d -> {
            boolean reviewed = d.findElements(By.cssSelector("#audit-records tbody tr")).stream()
                    .anyMatch(tr -> tr.getAttribute("data-type").contains("reviewed"));
            if (!reviewed) {
                d.findElement(By.cssSelector("#audit-form button[type=submit]")).click();
            }
            return reviewed;
        });
        List<String> types = browser.findElements(By.cssSelector("#audit-records tbody tr")).stream()
                .map(tr -> tr.getAttribute("data-type")).toList();
        assertThat(types).anyMatch(t -> t.contains("registered")).anyMatch(t -> t.contains("acknowledged"))
                .anyMatch(t -> t.contains("progress")).anyMatch(t -> t.contains("completion"));
        assertThat(browser.findElement(By.id("audit-records")).getText()).contains("李 华").contains("张 明");

        List<WebElement> verify = browser.findElements(By.cssSelector("#audit-records tbody tr:first-child button"));
        assertThat(verify).as("every record can be checked in the page").isNotEmpty();
        verify.get(0).click();
        WebElement result = wait.until(d -> {
            WebElement r = d.findElement(By.cssSelector("#audit-records tbody tr:first-child .proof"));
            return r.getText().isBlank() ? null : r;
        });
        assertThat(result.getText()).as("inclusion proof and checkpoint signature checked in the page")
                .startsWith("✔").contains("检查点签名有效").contains("18696226");
        screenshot("13-inspector-audit");

        String today = java.time.LocalDate.now().toString();
        open("#/audit?unit=dept-fgj&type=gov.supervision.task.acknowledged.v1&from=" + today + "&to=" + today);
        List<WebElement> acknowledged = wait.until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#audit-records tbody tr"));
            return rows.isEmpty() ? null : rows;
        });
        assertThat(acknowledged).allSatisfy(row -> assertThat(row.getAttribute("data-type"))
                .isEqualTo("gov.supervision.task.acknowledged.v1"));
        assertThat(browser.findElement(By.id("unit-evidence")).getAttribute("href")).contains("unit=dept-fgj", "from=", "to=");
        screenshot("13c-inspector-audit-by-action-and-period");

        browser.findElement(By.linkText("李 华")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.className("chip")));
        List<WebElement> byActor = wait.until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#audit-records tbody tr"));
            return rows.isEmpty() ? null : rows;
        });
        assertThat(byActor).allSatisfy(row -> assertThat(row.getText()).contains("李 华"));
        screenshot("13b-inspector-audit-by-actor");
        signOut();
    }

    @Test
    @Order(7)
    void theResponsibleLeaderSeesTheTaskTheyAnswerForAndCanReadItInEnglish() throws IOException {
        signIn("leader-liu");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a.task-link")));
        assertThat(browser.findElements(By.cssSelector("a.task-link"))).extracting(WebElement::getText)
                .contains("浏览器测试：推进高新区扩园提质");
        screenshot("14-leader-task-list");
        browser.manage().window().setSize(new Dimension(375, 812));
        try {
            browser.navigate().refresh();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a.task-link")));
            assertNoHorizontalScrolling();
            screenshot("14b-leader-task-list-phone");
        }
        finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }

        browser.findElement(By.id("lang")).click();
        wait.until(ExpectedConditions.textToBe(By.id("logout"), "Sign out"));
        open("#/tasks/" + taskId);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("task-status"), "Active"));
        screenshot("15-leader-task-detail-english");
        browser.findElement(By.id("lang")).click();
        wait.until(ExpectedConditions.textToBe(By.id("logout"), "退出"));
        signOut();
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    @Test
    @Order(8)
    void theAdministratorKeepsTheWorkingDayCalendar() throws IOException {
        signIn("sys-sun");
        open("#/calendar?year=2026");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("calendar-holidays")));
        assertThat(browser.findElement(By.id("calendar-holidays")).getText()).contains("2026-10-01", "2026-02-17");

        WebElement workdays = browser.findElement(By.id("calendar-workdays-input"));
        String published = workdays.getAttribute("value");
        workdays.sendKeys("\n2026-13-45");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#calendar-form .hint[data-for=workdays]"), "2026-13-45"));
        screenshot("16-admin-calendar-bad-date");

        setValue(workdays, published);
        browser.findElement(By.cssSelector("#calendar-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("calendar-message"), "已保存"));
        screenshot("17-admin-calendar-saved");
        signOut();
    }

    static void assertNoHorizontalScrolling() {
        Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow).as("horizontal scrolling on a 375-pixel phone").isLessThanOrEqualTo(0L);
    }

    static void signIn(String username) {
        browser.get(GATEWAY + "/");
        // A test that failed half-way may have left someone signed in.
        wait.until(d -> !d.findElements(By.id("login")).isEmpty() || !d.findElements(By.id("logout")).isEmpty());
        if (!browser.findElements(By.id("logout")).isEmpty()) {
            signOut();
        }
        wait.until(ExpectedConditions.elementToBeClickable(By.id("login"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(Stack.PASSWORD);
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("logout")));
    }

    static void signOut() {
        browser.findElement(By.id("logout")).click();
        wait.until(d -> !d.findElements(By.id("login")).isEmpty() || !d.findElements(By.id("kc-logout")).isEmpty());
        if (!browser.findElements(By.id("kc-logout")).isEmpty()) {
            browser.findElement(By.id("kc-logout")).click();
        }
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
    }

    static void open(String route) {
        browser.get(GATEWAY + "/" + route);
    }

    static void act(String action) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-action='" + action + "']"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#action-form form")));
    }

    static void submitAction() {
        browser.findElement(By.cssSelector("#action-form button[data-submit]")).click();
    }

    static void waitForState(String unit, String state) {
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".assignment[data-unit='" + unit + "'][data-state='" + state + "']")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
    }

    static String hint(String name) {
        return browser.findElement(By.cssSelector(".hint[data-for='" + name + "']")).getText();
    }

    static void setValue(WebElement input, String value) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];"
                + "arguments[0].dispatchEvent(new Event('input', { bubbles: true }));"
                + "arguments[0].dispatchEvent(new Event('change', { bubbles: true }));", input, value);
    }

    static void waitForOptional(By what) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.presenceOfElementLocated(what));
        }
        catch (org.openqa.selenium.TimeoutException e) {
            // The chart is an addition: the dashboard's tables carry the same figures.
        }
    }

    static void screenshot(String name) throws IOException {
        Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A task for another unit, registered by the office with a real token from Keycloak's password grant. */
    static String registerThroughApi(String unit) throws Exception {
        String body = """
                {"title":"另一单位的事项","category":"livelihood","leadUnit":"%s","deadline":"%s"}
                """.formatted(unit, LocalDate.now().plusMonths(2));
        HttpResponse<String> created = Stack.http.send(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/tasks"))
                .header("Authorization", "Bearer " + token("dcs-zhang")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Stack.json.readTree(created.body()).get("id").asString();
    }

    static String token(String username) throws Exception {
        String form = Map.of("grant_type", "password", "client_id", "supervision-cli", "username", username,
                "password", Stack.PASSWORD).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = Stack.http.send(HttpRequest.newBuilder(URI.create(
                KEYCLOAK + "/realms/supervision/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Stack.json.readTree(response.body()).get("access_token").asString();
    }
}
