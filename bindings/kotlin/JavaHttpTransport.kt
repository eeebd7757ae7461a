// The sync transport on the JVM, with java.net.http: the core hands it request bytes for an
// endpoint (and the device token, which goes in the Authorization header) and takes back the
// answer's bytes, whatever the HTTP status (refusals are JSON too).
// A connection that fails is TransportException.Unreachable: the core retries the step later.
// The Android app implements the same interface with HttpURLConnection (android/…/sync/).

package dk.gadeplan.test

import dk.gadeplan.core.Transport
import dk.gadeplan.core.TransportException
import java.io.IOException
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

class JavaHttpTransport(centre: String) : Transport {
    private val base = centre.trimEnd('/')
    private val client: HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()

    override fun send(endpoint: String, token: String?, body: ByteArray): ByteArray {
        val builder = HttpRequest.newBuilder(URI.create("$base/v1/$endpoint"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        if (token != null) builder.header("Authorization", "Bearer $token")
        val request = builder.build()
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body()
        } catch (e: IOException) {
            throw TransportException.Unreachable(e.javaClass.simpleName)
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
            throw TransportException.Unreachable("interrupted")
        }
    }
}
