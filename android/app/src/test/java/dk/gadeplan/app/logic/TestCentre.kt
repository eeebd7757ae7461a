// A real gadeplan-centre on loopback for the logic layer's tests, started once per test run (the
// binary's path comes from -Dgadeplan.centre, as in bindings/kotlin/GadeplanCoreTest.kt), with
// one team; each test enrols its own phones with codes from the centre's command line and
// revokes them with it. Also the helpers the tests share: a port nobody listens on, a phone's
// directory, and a clock the tests set.

package dk.gadeplan.app.logic

import dk.gadeplan.app.sync.HttpUrlConnectionTransport
import java.io.File
import java.net.ServerSocket
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import kotlin.concurrent.thread
import kotlin.test.assertTrue

object TestCentre {
    private val bin: String = System.getProperty("gadeplan.centre") ?: error("-Dgadeplan.centre=<path to gadeplan-centre>")
    private val data: File = Files.createTempDirectory("gadeplan-logic-centre").toFile()
    const val TEAM = "Vesterbro"

    /** The centre's address, e.g. http://127.0.0.1:41234. */
    val url: String by lazy { start() }

    /** The port the centre listens on. */
    val port: Int get() = Regex(""":(\d+)$""").find(url.trimEnd('/'))!!.groupValues[1].toInt()

    fun operator(vararg args: String): String {
        val p = ProcessBuilder(bin, "--data", data.path, *args).redirectErrorStream(true).start()
        val out = p.inputStream.bufferedReader().readText()
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out)
        return out
    }

    /** A one-time enrolment code for `worker` of the team. */
    fun code(worker: String): String {
        url // the centre (and its team) first
        return Regex("\"code\": \"([^\"]+)\"").find(operator("enrol", "--team", TEAM, "--worker", worker))!!.groupValues[1]
    }

    /** The phone `deviceId` revoked as lost: its next sync erases it. */
    fun revoke(deviceId: String) {
        operator("revoke", deviceId, "--lost", "--yes")
    }

    private fun start(): String {
        operator("team", "add", TEAM)
        val server = ProcessBuilder(bin, "--data", data.path, "serve", "--listen", "127.0.0.1:0", "--checkin-grace-minutes", "0").start()
        Runtime.getRuntime().addShutdownHook(
            Thread {
                server.destroy()
                server.waitFor(10, TimeUnit.SECONDS)
                data.deleteRecursively()
            },
        )
        val errors = server.errorStream.bufferedReader()
        val announced = errors.readLine() ?: error("the centre did not start")
        // The centre's log goes on on stderr: read, so that a full pipe never stops it.
        thread(isDaemon = true) {
            try {
                errors.forEachLine { }
            } catch (e: java.io.IOException) {
                // The centre stopped at the end of the run.
            }
        }
        return Regex("\"serving\":\"([^\"]+)\"").find(announced)!!.groupValues[1]
    }
}

/** A loopback port nobody listens on (taken and let go). */
fun closedPort(): Int = ServerSocket(0).use { it.localPort }

/** A transport to the test centre, with short timeouts. */
fun centreTransport(address: String = TestCentre.url) = HttpUrlConnectionTransport(address, "test", 5_000, 30_000)

/** A phone: its own directory, a wrapping key, a vault and a PhoneStore over them. */
class Phone(val dir: File = Files.createTempDirectory("gadeplan-phone").toFile(), val wrapper: JceKeyWrapper = JceKeyWrapper()) {
    /** Another start of the app: a new vault and PhoneStore over the same files and Keystore. */
    fun start(): PhoneStore = PhoneStore(dir, KeyVault(dir, wrapper), "Test phone")
}

/** A clock the test moves. */
class TestClock(start: Long = 1_764_950_400_000L) : () -> Long {
    private val now = AtomicLong(start)
    override fun invoke(): Long = now.get()
    fun advance(millis: Long) {
        now.addAndGet(millis)
    }
}
