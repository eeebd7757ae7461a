// Whether the phone has a usable network, as a StateFlow (M7: the offline banner). One default
// network callback for the life of the process; the banner says "offline" instead of a sync
// error when there is simply no signal in the park.

package dk.gadeplan.app.platform

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

class Connectivity(context: Context) {
    private val manager = context.getSystemService(ConnectivityManager::class.java)
    private val state = MutableStateFlow(currentlyOnline())
    val online: StateFlow<Boolean> = state.asStateFlow()

    init {
        manager.registerDefaultNetworkCallback(object : ConnectivityManager.NetworkCallback() {
            override fun onCapabilitiesChanged(network: Network, networkCapabilities: NetworkCapabilities) {
                state.value = usable(networkCapabilities)
            }

            override fun onLost(network: Network) {
                state.value = false
            }

            override fun onUnavailable() {
                state.value = false
            }
        })
    }

    private fun currentlyOnline(): Boolean =
        manager.activeNetwork?.let { manager.getNetworkCapabilities(it) }?.let(::usable) ?: false

    private fun usable(caps: NetworkCapabilities): Boolean =
        caps.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET) &&
            caps.hasCapability(NetworkCapabilities.NET_CAPABILITY_VALIDATED)
}
