// The core's sync transport over the platform's HTTP stack (HttpURLConnection: the system's TLS,
// proxy and certificate handling). Whatever the status, the answer's bytes go back to the core,
// which reads refusals too (the error stream of a 4xx or 5xx). A request that gets no answer is
// Unreachable, and its detail starts with the problem's code (review finding A18), so that the
// sync coordinator can tell what retrying may mend from what it cannot, and the worker reads the
// right words (logic/ErrorText.kt):
//   offline:          no connection (refused, no route, reset, dropped);
//   host-not-found:   the name did not resolve (also how Android says "no network" at times);
//   timeout:          connecting or reading took too long;
//   tls:              the TLS handshake or a certificate failed: retrying will not mend it;
//   http-not-allowed: the platform refuses cleartext http:// (Android's network security
//                     policy), or the address is not http(s) at all.
// Every request says which app and version sent it (User-Agent: Gadeplan-Android/<version>), so
// the centre can tell versions apart. The device token, when the core gives one, goes in the
// Authorization header (protocol 2). Plain java.net: it is tested on the JVM against a real centre.

package dk.gadeplan.app.sync

import dk.gadeplan.app.logic.ProblemCodes
import dk.gadeplan.core.Transport
import dk.gadeplan.core.TransportException
import java.io.IOException
import java.net.HttpURLConnection
import java.net.SocketTimeoutException
import java.net.URL
import java.net.UnknownHostException
import java.net.UnknownServiceException
import javax.net.ssl.SSLException

class HttpUrlConnectionTransport(
    centre: String,
    /** The app's version, e.g. BuildConfig.VERSION_NAME on the phone. */
    version: String = DEFAULT_VERSION,
    private val connectTimeoutMillis: Int = 15_000,
    private val readTimeoutMillis: Int = 60_000,
) : Transport {
    private val base = centre.trim().trimEnd('/')
    val userAgent = "Gadeplan-Android/$version"

    override fun send(endpoint: String, token: String?, body: ByteArray): ByteArray {
        val connection = try {
            URL("$base/v1/$endpoint").openConnection() as? HttpURLConnection
                ?: throw TransportException.Unreachable("${ProblemCodes.HTTP_NOT_ALLOWED}: not an http(s) address")
        } catch (e: IOException) {
            throw TransportException.Unreachable(detail(e))
        }
        try {
            connection.requestMethod = "POST"
            connection.doOutput = true
            connection.connectTimeout = connectTimeoutMillis
            connection.readTimeout = readTimeoutMillis
            connection.setRequestProperty("Content-Type", "application/json")
            connection.setRequestProperty("User-Agent", userAgent)
            if (token != null) connection.setRequestProperty("Authorization", "Bearer $token")
            // No fixed-length streaming: in that mode the JDK's HttpURLConnection turns a 401 (the
            // centre's "unknown-token") into an HttpRetryException and drops the refusal's body,
            // which the core must read. The body is in memory already; one copy more is cheap.
            connection.outputStream.use { it.write(body) }
            val stream = if (connection.responseCode >= 400) connection.errorStream else connection.inputStream
            return stream?.use { it.readBytes() } ?: ByteArray(0)
        } catch (e: IOException) {
            throw TransportException.Unreachable(detail(e))
        } finally {
            connection.disconnect()
        }
    }

    companion object {
        /** The version when none is given: the jar's, else "dev". */
        val DEFAULT_VERSION: String = HttpUrlConnectionTransport::class.java.`package`?.implementationVersion ?: "dev"

        /** The problem's code, then what happened: "tls: SSLHandshakeException: …". */
        fun detail(e: IOException): String {
            val what = listOfNotNull(e.javaClass.simpleName, e.message).joinToString(": ")
            return "${problemCode(e)}: $what"
        }

        /** Which problem a failed request was (see the header). */
        fun problemCode(e: IOException): String = when {
            e is UnknownHostException -> ProblemCodes.HOST_NOT_FOUND
            e is SocketTimeoutException -> ProblemCodes.TIMEOUT
            e is SSLException -> ProblemCodes.TLS
            e is UnknownServiceException -> ProblemCodes.HTTP_NOT_ALLOWED
            e.message?.contains("Cleartext", ignoreCase = true) == true -> ProblemCodes.HTTP_NOT_ALLOWED
            e.cause is SSLException -> ProblemCodes.TLS
            else -> ProblemCodes.OFFLINE
        }
    }
}
