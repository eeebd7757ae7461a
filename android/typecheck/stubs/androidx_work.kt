// A stand-in for `androidx.work` (AndroidX work-runtime-ktx) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with AndroidX work-runtime-ktx: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.work
import android.content.Context
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.flow.Flow
class WorkerParameters
abstract class ListenableWorker(val applicationContext: Context, p: WorkerParameters) {
    val runAttemptCount: Int get() = 0
    val inputData: Data get() = TODO()
    abstract class Result { companion object { fun success(): Result = TODO(); fun retry(): Result = TODO(); fun failure(): Result = TODO() } }
}
abstract class CoroutineWorker(c: Context, p: WorkerParameters) : ListenableWorker(c, p) { abstract suspend fun doWork(): Result }
class Data { fun getString(key: String): String? = null }
fun workDataOf(vararg pairs: Pair<String, Any?>): Data = Data()
enum class NetworkType { CONNECTED }
enum class BackoffPolicy { EXPONENTIAL, LINEAR }
enum class ExistingWorkPolicy { KEEP, REPLACE, APPEND_OR_REPLACE }
enum class ExistingPeriodicWorkPolicy { KEEP, UPDATE }
class Constraints { class Builder { fun setRequiredNetworkType(t: NetworkType): Builder = this; fun build(): Constraints = Constraints() } }
abstract class WorkRequest
class OneTimeWorkRequest : WorkRequest() { class Builder { fun setConstraints(c: Constraints): Builder = this
    fun setBackoffCriteria(p: BackoffPolicy, d: Long, u: TimeUnit): Builder = this; fun setInitialDelay(d: Long, u: TimeUnit): Builder = this
    fun setInputData(d: Data): Builder = this; fun build(): OneTimeWorkRequest = OneTimeWorkRequest() } }
class PeriodicWorkRequest : WorkRequest() { class Builder { fun setConstraints(c: Constraints): Builder = this
    fun setBackoffCriteria(p: BackoffPolicy, d: Long, u: TimeUnit): Builder = this; fun build(): PeriodicWorkRequest = PeriodicWorkRequest() } }
inline fun <reified W : ListenableWorker> OneTimeWorkRequestBuilder(): OneTimeWorkRequest.Builder = TODO()
inline fun <reified W : ListenableWorker> PeriodicWorkRequestBuilder(repeatInterval: Long, repeatIntervalTimeUnit: TimeUnit): PeriodicWorkRequest.Builder = TODO()
class WorkInfo { val state: State get() = TODO(); enum class State { ENQUEUED, RUNNING, SUCCEEDED, FAILED, BLOCKED, CANCELLED } }
abstract class WorkManager {
    abstract fun enqueueUniquePeriodicWork(name: String, p: ExistingPeriodicWorkPolicy, r: PeriodicWorkRequest): Any
    abstract fun enqueueUniqueWork(name: String, p: ExistingWorkPolicy, r: OneTimeWorkRequest): Any
    abstract fun cancelUniqueWork(name: String): Any
    abstract fun getWorkInfosForUniqueWorkFlow(name: String): Flow<List<WorkInfo>>
    companion object { fun getInstance(c: Context): WorkManager = TODO() }
}
