package io.premiumbot.api.promo;

import static io.premiumbot.api.Fixtures.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The operator's side of promo codes: the API (roles, audit, conflicts) and the console page. */
@QuarkusTest
class PromoCodeOperatorsTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private static String signIn(String token) {
        Response response = given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("token", token)
                .post("/console/login");
        assertEquals(303, response.statusCode());
        return response.getCookie("console_session");
    }

    private static String promoPage(String session) {
        return given().cookie("console_session", session)
                .get("/console/promo-codes")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    @Test
    void anAdminCreatesACodeOnceAndItIsAuditedUnderTheirName() {
        String code = "OPS" + newUserId();
        String body = "{\"code\":\"" + code + "\",\"percentOff\":15,\"months\":[12,3],\"maxUses\":100}";
        operatorNamed(ADAM_TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/admin/promo-codes")
                .then()
                .statusCode(201)
                .header("Location", endsWith("/admin/promo-codes/" + code))
                .body("months", contains(3, 12))
                .body("status", is("ACTIVE"))
                .body("uses", is(0))
                .body("discountGiven", is("0.000000"));
        operatorNamed(ADAM_TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/admin/promo-codes")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        operator()
                .get("/admin/audit?target=promo:" + code)
                .then()
                .body("items", hasSize(1))
                .body("items[0].operator", is("adam"));
    }

    @Test
    void onlyAdminsCreateOrDisableCodes() {
        String code = "ROLE" + newUserId();
        String body = "{\"code\":\"" + code + "\",\"percentOff\":5,\"months\":[3]}";
        operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/admin/promo-codes")
                .then()
                .statusCode(403);
        operator()
                .contentType(ContentType.JSON)
                .body(body)
                .post("/admin/promo-codes")
                .then()
                .statusCode(201);
        operatorNamed(VERA_TOKEN).get("/admin/promo-codes/" + code).then().statusCode(200);
        operatorNamed(VERA_TOKEN)
                .post("/admin/promo-codes/" + code + "/disable")
                .then()
                .statusCode(403);
    }

    @Test
    void aCodeThatCanNotWorkIsRefusedWithAProblem() {
        operator()
                .contentType(ContentType.JSON)
                .body("{\"code\":\"BOTH" + newUserId() + "\",\"percentOff\":5,\"amountOff\":\"1\",\"months\":[3]}")
                .post("/admin/promo-codes")
                .then()
                .statusCode(400)
                .body("detail", containsString("exactly one"));
        operator()
                .contentType(ContentType.JSON)
                .body("{\"code\":\"FREE" + newUserId() + "\",\"percentOff\":100,\"months\":[3]}")
                .post("/admin/promo-codes")
                .then()
                .statusCode(400);
        operator()
                .contentType(ContentType.JSON)
                .body("{\"code\":\"M" + newUserId() + "\",\"percentOff\":5,\"months\":[4]}")
                .post("/admin/promo-codes")
                .then()
                .statusCode(400)
                .body("detail", containsString("months"));
    }

    @Test
    void aDisabledCodeIsRefusedToCustomers() {
        String code = PromoCodesTest.newCode("\"percentOff\":10", "");
        operator()
                .post("/admin/promo-codes/" + code.toLowerCase() + "/disable")
                .then()
                .statusCode(200)
                .body("status", is("DISABLED"));
        long customer = newUserId();
        send(customer, "/promo " + code).body("text", is("Code " + code + " is no longer valid."));
    }

    @Test
    void theOperatorApiDocumentsPromoCodes() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths", hasKey("/admin/promo-codes"))
                .body("paths", hasKey("/admin/promo-codes/{code}/disable"));
    }

    @Test
    void anAdminCreatesAndDisablesACodeInTheConsole() {
        String session = signIn(ADAM_TOKEN);
        Matcher csrf = CSRF.matcher(promoPage(session));
        assertTrue(csrf.find());
        String code = "WEB" + newUserId();
        given().redirects()
                .follow(false)
                .cookie("console_session", session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", csrf.group(1))
                .formParam("code", code)
                .formParam("amountOff", "2")
                .formParam("months", "6")
                .formParam("months", "12")
                .formParam("validUntil", "2999-12-31T23:59")
                .formParam("maxUses", "3")
                .post("/console/promo-codes")
                .then()
                .statusCode(303);
        operator()
                .get("/admin/promo-codes/" + code)
                .then()
                .body("amountOff", is("2.000000"))
                .body("months", contains(6, 12))
                .body("maxUses", is(3))
                .body("validUntil", startsWith("2999-12-31T23:59"));
        assertTrue(promoPage(session).contains(code));

        given().redirects()
                .follow(false)
                .cookie("console_session", session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", "forged")
                .post("/console/promo-codes/" + code + "/disable")
                .then()
                .statusCode(403);
        given().redirects()
                .follow(false)
                .cookie("console_session", session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", csrf.group(1))
                .post("/console/promo-codes/" + code + "/disable")
                .then()
                .statusCode(303);
        operator().get("/admin/promo-codes/" + code).then().body("status", is("DISABLED"));
    }

    @Test
    void aViewerSeesCodesButNoForms() {
        String html = promoPage(signIn(VERA_TOKEN));
        assertFalse(html.contains("id=\"new-promo-code\""));
    }
}
