// A stand-in for `android.net` (the Android SDK (android.jar)) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with the Android SDK (android.jar): only a Gradle build does
// that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package android.net
class Uri { val scheme: String? get() = null
    companion object { fun parse(s: String): Uri = Uri(); fun encode(s: String): String = s; fun fromParts(a: String, b: String, c: String?): Uri = Uri() } }
class Network
class NetworkCapabilities { fun hasCapability(c: Int): Boolean = true
    companion object { const val NET_CAPABILITY_INTERNET = 1; const val NET_CAPABILITY_VALIDATED = 2 } }
class ConnectivityManager {
    val activeNetwork: Network? get() = null
    fun getNetworkCapabilities(n: Network?): NetworkCapabilities? = null
    fun registerDefaultNetworkCallback(cb: NetworkCallback) {}
    open class NetworkCallback { open fun onCapabilitiesChanged(network: Network, networkCapabilities: NetworkCapabilities) {}
        open fun onLost(network: Network) {}; open fun onUnavailable() {} }
}
