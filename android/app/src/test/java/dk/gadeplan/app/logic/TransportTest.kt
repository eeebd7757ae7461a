// The phone's transport (A18) on loopback: each way a request can fail becomes Unreachable with
// its problem's code first (a closed port, a name that does not resolve, TLS spoken to a plain
// HTTP port, a server that never answers, an address that is not http), a refusal's body still
// reaches the core, and every request says which app sent it.

package dk.gadeplan.app.logic

import com.sun.net.httpserver.HttpServer
import dk.gadeplan.app.sync.HttpUrlConnectionTransport
import dk.gadeplan.core.TransportException
import java.io.IOException
import java.net.ConnectException
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.SocketTimeoutException
import java.net.UnknownHostException
import java.net.UnknownServiceException
import javax.net.ssl.SSLHandshakeException
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class TransportTest {
    private fun failure(address: String, readTimeout: Int = 30_000): String {
        val e = assertFailsWith<TransportException.Unreachable> {
            HttpUrlConnectionTransport(address, "test", 5_000, readTimeout).send("digest", "token", "{}".toByteArray())
        }
        return e.detail
    }

    @Test
    fun aClosedPortIsOffline() {
        val detail = failure("http://127.0.0.1:${closedPort()}")
        assertTrue(detail.startsWith("offline: ConnectException"), detail)
        assertEquals(SyncProblem.OFFLINE, ProblemCodes.problemOf(detail))
    }

    @Test
    fun aNameThatDoesNotResolveIsHostNotFound() {
        val detail = failure("https://nohost.invalid")
        assertTrue(detail.startsWith("host-not-found: UnknownHostException"), detail)
        assertEquals(SyncProblem.HOST_NOT_FOUND, ProblemCodes.problemOf("the centre could not be reached: $detail"))
    }

    @Test
    fun tlsSpokenToAPlainPortIsTls() {
        val detail = failure("https://127.0.0.1:${TestCentre.port}")
        assertTrue(detail.startsWith("tls: "), detail)
    }

    @Test
    fun aServerThatNeverAnswersIsATimeout() {
        ServerSocket(0).use { silent ->
            val detail = failure("http://127.0.0.1:${silent.localPort}", readTimeout = 300)
            assertTrue(detail.startsWith("timeout: SocketTimeoutException"), detail)
        }
    }

    @Test
    fun anAddressThatIsNotHttpIsNotAllowed() {
        assertTrue(failure("ftp://127.0.0.1/centre").startsWith("http-not-allowed: "))
    }

    @Test
    fun thePlatformsFailuresAreClassified() {
        // Android's refusal of cleartext http:// (its network security policy), which the JVM
        // does not have: classified from the exception the platform throws.
        val code = HttpUrlConnectionTransport::problemCode
        assertEquals("http-not-allowed", code(UnknownServiceException("CLEARTEXT communication to centre.example not permitted by network security policy")))
        assertEquals("http-not-allowed", code(IOException("Cleartext HTTP traffic to centre.example not permitted")))
        assertEquals("tls", code(SSLHandshakeException("Chain validation failed")))
        assertEquals("host-not-found", code(UnknownHostException("Unable to resolve host")))
        assertEquals("timeout", code(SocketTimeoutException("connect timed out")))
        assertEquals("offline", code(ConnectException("Connection refused")))
        assertEquals("offline", code(IOException("unexpected end of stream")))
        assertEquals("tls: SSLHandshakeException: Chain validation failed", HttpUrlConnectionTransport.detail(SSLHandshakeException("Chain validation failed")))
    }

    @Test
    fun aRefusalsBodyReachesTheCoreAndTheAppSaysWhoItIs() {
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        var agent: String? = null
        var authorization: String? = null
        server.createContext("/v1/push") { exchange ->
            agent = exchange.requestHeaders.getFirst("User-Agent")
            authorization = exchange.requestHeaders.getFirst("Authorization")
            exchange.requestBody.readBytes()
            val body = """{"error":"unknown-token"}""".toByteArray()
            exchange.sendResponseHeaders(401, body.size.toLong())
            exchange.responseBody.use { it.write(body) }
        }
        server.start()
        try {
            val transport = HttpUrlConnectionTransport("http://127.0.0.1:${server.address.port}/", "1.4.2")
            val answer = transport.send("push", "t0k3n", "{}".toByteArray())
            assertEquals("""{"error":"unknown-token"}""", answer.decodeToString())
            assertEquals("Gadeplan-Android/1.4.2", agent)
            assertEquals("Bearer t0k3n", authorization)
            assertTrue(HttpUrlConnectionTransport("http://x").userAgent.startsWith("Gadeplan-Android/"))
        } finally {
            server.stop(0)
        }
    }
}
