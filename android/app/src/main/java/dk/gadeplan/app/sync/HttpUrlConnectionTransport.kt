// The core's sync transport over the platform's HTTP stack (HttpURLConnection: the system's TLS,
// proxy and certificate handling). Whatever the status, the answer's bytes go back to the core,
// which reads refusals too; a connection that fails is Unreachable, and the core retries later.
// The device token, when the core gives one, goes in the Authorization header (protocol 2).

package dk.gadeplan.app.sync

import dk.gadeplan.core.Transport
import dk.gadeplan.core.TransportException
import java.io.IOException
import java.net.HttpURLConnection
import java.net.URL

class HttpUrlConnectionTransport(centre: String) : Transport {
    private val base = centre.trimEnd('/')

    override fun send(endpoint: String, token: String?, body: ByteArray): ByteArray {
        val connection = try {
            URL("$base/v1/$endpoint").openConnection() as HttpURLConnection
        } catch (e: IOException) {
            throw TransportException.Unreachable(e.javaClass.simpleName)
        }
        try {
            connection.requestMethod = "POST"
            connection.doOutput = true
            connection.connectTimeout = 15_000
            connection.readTimeout = 60_000
            connection.setRequestProperty("Content-Type", "application/json")
            if (token != null) connection.setRequestProperty("Authorization", "Bearer $token")
            connection.setFixedLengthStreamingMode(body.size)
            connection.outputStream.use { it.write(body) }
            val stream = if (connection.responseCode >= 400) connection.errorStream else connection.inputStream
            return stream?.use { it.readBytes() } ?: ByteArray(0)
        } catch (e: IOException) {
            throw TransportException.Unreachable(e.javaClass.simpleName)
        } finally {
            connection.disconnect()
        }
    }
}
