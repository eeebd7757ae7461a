// The application: owns the one encrypted store of this phone. The store is created at enrolment,
// when the worker's name is known, with a random key that the Android Keystore keeps wrapped.

package dk.gadeplan.app

import android.app.Application
import dk.gadeplan.app.sync.SyncScheduler
import dk.gadeplan.core.Store
import java.io.File

class GadeplanApp : Application() {
    @Volatile
    private var opened: Store? = null

    /** The store file, in app-private storage that is excluded from backups. */
    private val storeFile: File get() = File(noBackupFilesDir, "gadeplan.db")

    /** The store if this phone has one, opened on first use. */
    fun store(): Store? = synchronized(this) {
        opened ?: if (storeFile.exists()) Store.open(storeFile.path, KeyVault.storeKey(this)).also { opened = it } else null
    }

    /** Creates the store for this phone's worker (first start). */
    fun createStore(worker: String): Store = synchronized(this) {
        opened ?: Store.create(storeFile.path, KeyVault.storeKey(this), worker, android.os.Build.MODEL).also { opened = it }
    }

    override fun onCreate() {
        super.onCreate()
        SyncScheduler.schedulePeriodic(this)
    }
}
